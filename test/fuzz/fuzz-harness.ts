import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { expect } from 'vitest';
import { type BoundedParser, createBoundedParser, ParseBudgetError } from '../../src/platform/parsing/bounded-parser.js';

/**
 * The shared harness of the fuzz tests: real files as seeds, mutations of them, and checks every reader's outcome
 * must pass. A reader joins by giving its seeds, a way to run it (in a worker with a budget, so a file that makes
 * it loop or grow is caught without timing anything here), and its outcome as a ReaderOutcome.
 */

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');

/** Runs per property: enough to find the common breakages; CI runs them on every push, each time with a new seed. */
export const FUZZ_RUNS = 60;

/** What a reader made of one input: refused (with where and why) or accepted, and how much work it did. */
export interface ReaderOutcome {
  accepted: boolean;
  /** Every refusal (the whole file, or one row or field of it), each with where it is. */
  refusals: { where: string; message: string }[];
  /** Units of work done (records, issues): bounded by the input's size for a reader that never runs away. */
  work: number;
}

/** The text of real files of a fixture folder (with a filter on names), first `maxBytes` of each. */
export function seedTexts(folder: string, options: { match?: RegExp; maxBytes?: number; encoding?: BufferEncoding } = {}): string[] {
  const root = path.join(FIXTURES, folder);
  const files: string[] = [];
  const walk = (directory: string) => {
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) walk(full);
      else if ((options.match ?? /./).test(entry.name) && !/SOURCES\.md$/.test(entry.name)) files.push(full);
    }
  };
  walk(root);
  return files.sort().map((file) =>
    fs
      .readFileSync(file)
      .subarray(0, options.maxBytes ?? 20_000)
      .toString(options.encoding ?? 'utf8'),
  );
}

/** Pieces that break readers: control characters, quotes and separators, YAML anchors, huge and odd numbers. */
const HOSTILE = [
  '\u0000',
  '\u0001',
  '\u000b',
  '\u001f',
  '\uFFFE',
  '\uFEFF',
  '\r\n',
  '\n',
  '\r',
  '"',
  '""',
  ',',
  ';',
  '\t',
  '\\',
  '{',
  '}',
  '[',
  ']',
  ':',
  '- ',
  '&a ',
  '*a',
  '<<: *a',
  '!!binary ',
  '1e308',
  '-1e308',
  'NaN',
  '9'.repeat(40),
  '-0',
  '£',
  '€1,000.00',
  '31/02/2021',
  '0000-00-00',
  ' ',
  '',
];

type Mutation = { at: number; length: number; insert: string; kind: 'replace' | 'duplicate' | 'truncate' };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  length: fc.nat({ max: 64 }),
  insert: fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 16 }), fc.string({ unit: 'binary', maxLength: 8 })),
  kind: fc.constantFrom('replace', 'replace', 'replace', 'duplicate', 'truncate'),
});

function applyMutation(text: string, { at, length, insert, kind }: Mutation): string {
  const start = text.length === 0 ? 0 : at % text.length;
  if (kind === 'truncate') return text.slice(0, start);
  if (kind === 'duplicate') return text.slice(0, start + length) + text.slice(start, start + length) + text.slice(start + length);
  return text.slice(0, start) + insert + text.slice(start + length);
}

/** Real inputs with a few mutations each, real inputs untouched, and random text. */
export function mutatedInputs(seeds: readonly string[]): fc.Arbitrary<string> {
  const mutated = fc
    .tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 8 }))
    .map(([seed, mutations]) => mutations.reduce(applyMutation, seed));
  return fc.oneof(
    { arbitrary: mutated, weight: 8 },
    { arbitrary: fc.constantFrom(...seeds), weight: 1 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 2_000 }), weight: 1 },
  );
}

/** A worker with a generous budget for readers under fuzzing: running past it fails the property. */
export function fuzzParser(): BoundedParser {
  return createBoundedParser({ timeLimitMs: 20_000, memoryLimitMb: 256 });
}

/**
 * Runs a reader in the worker. Any error it throws (rather than refusing) or any run past the budget fails the
 * property, with the input that caused it (fast-check shrinks it).
 */
export async function runBounded<T>(parser: BoundedParser, moduleUrl: string, exportName: string, args: unknown[]): Promise<T> {
  try {
    return await parser.run<T>(moduleUrl, exportName, args);
  } catch (error) {
    if (error instanceof ParseBudgetError) throw new Error(`the reader ran past its budget: ${error.message}`);
    throw error;
  }
}

/** The checks every reader's outcome passes: each refusal says where, and work is bounded by the input's size. */
export function expectWellBehaved(outcome: ReaderOutcome, input: string): void {
  for (const refusal of outcome.refusals) {
    expect(refusal.where, `a refusal without a location: ${refusal.message}`).not.toBe('');
    expect(refusal.message).not.toBe('');
  }
  if (!outcome.accepted) expect(outcome.refusals.length).toBeGreaterThan(0);
  // Counting work rather than timing it: a reader produces at most a few records or issues per line of input.
  const lines = input.split(/\r\n|\r|\n/).length;
  expect(outcome.work).toBeLessThanOrEqual(4 * lines + 8 * 64);
}
