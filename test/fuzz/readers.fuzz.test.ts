import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { expectWellBehaved, FUZZ_RUNS, fuzzParser, mutatedInputs, type ReaderOutcome, runBounded, seedTexts } from './fuzz-harness.js';

/** Every reader, fed mutated real files and random text: it refuses with a location or accepts; it never throws or runs away. */

const READERS = new URL('./fuzz-readers.ts', import.meta.url).href;

describe('readers under fuzzing', () => {
  const parser = fuzzParser();
  afterAll(() => parser.close());

  it('the spend CSV reader', async () => {
    const seeds = seedTexts('spend', { match: /\.csv$/i, maxBytes: 6_000, encoding: 'latin1' });
    await fc.assert(
      fc.asyncProperty(mutatedInputs(seeds), async (text) => {
        const outcome = await runBounded<ReaderOutcome>(parser, READERS, 'readSpendText', [text, 'fuzzed.csv']);
        expectWellBehaved(outcome, text);
      }),
      { numRuns: FUZZ_RUNS },
    );
  }, 300_000);

  it('the publiccode.yml reader', async () => {
    const seeds = seedTexts('publiccode', { match: /\.ya?ml$/ });
    await fc.assert(
      fc.asyncProperty(mutatedInputs(seeds), async (text) => {
        const outcome = await runBounded<ReaderOutcome>(parser, READERS, 'readPubliccodeText', [text, 'publiccode.yml']);
        expectWellBehaved(outcome, text);
      }),
      { numRuns: FUZZ_RUNS },
    );
  }, 300_000);

  it('the OCDS reader', async () => {
    const seeds = seedTexts('ocds', { match: /\.json$/, maxBytes: 40_000 });
    await fc.assert(
      fc.asyncProperty(mutatedInputs(seeds), async (text) => {
        const outcome = await runBounded<ReaderOutcome>(parser, READERS, 'readOcdsText', [text]);
        expectWellBehaved(outcome, text);
      }),
      { numRuns: FUZZ_RUNS },
    );
  }, 300_000);
});
