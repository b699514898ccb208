import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validatePubliccode } from './publiccode-validator.js';
import { defaultYamlLimits, readYaml, toPlain } from './publiccode-yaml.js';

/** Nine levels of nine aliases each: 342 bytes that would expand to 9⁹ (387 million) strings. */
function nestedAliasBomb(levels = 9): string {
  const names = 'abcdefghijklmnopqrstuvwxyz'.slice(0, levels);
  const lines = [`${names[0]}: &${names[0]} ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]`];
  for (let index = 1; index < names.length; index += 1) {
    const previous = `*${names[index - 1]}`;
    lines.push(`${names[index]}: &${names[index]} [${Array.from({ length: 9 }, () => previous).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

describe('reading untrusted YAML within limits', () => {
  it('refuses a nested-alias bomb after expanding no more than the alias limit', () => {
    const bomb = nestedAliasBomb();
    expect(bomb.length).toBeLessThan(470);
    const reading = readYaml(bomb);
    expect(reading).toEqual({
      ok: false,
      problems: [{ message: expect.stringMatching(/more than 100 YAML aliases/) as string, position: { line: 1, column: 1 } }],
    });
    // The validator gives the same clear refusal instead of an error page.
    expect(validatePubliccode(bomb).errors).toEqual([expect.objectContaining({ field: '', line: 1, column: 1 })]);
  });

  it('refuses a bomb whose aliases stay under the count in the text but multiply when expanded', () => {
    // Four levels of nine: only 27 aliases are written, but expanding them would visit 9 + 81 + 729 of them.
    const reading = readYaml(nestedAliasBomb(4));
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.problems[0]?.message).toMatch(/aliases|keys and list items/);
  });

  it('refuses a self-referencing alias with a clear message at its place', () => {
    expect(readYaml('name: &loop [*loop]\n')).toEqual({
      ok: false,
      problems: [{ message: expect.stringMatching(/refers to the value that contains it/) as string, position: { line: 1, column: 14 } }],
    });
    expect(readYaml('a: &loop\n  b:\n    c: *loop\n')).toMatchObject({ ok: false, problems: [{ position: { line: 3, column: 8 } }] });
    expect(readYaml('a: *nowhere\n').ok).toBe(false);
  });

  it('refuses 50,000 keys while counting tokens, before any tree or duplicate check is built', () => {
    const manyKeys = Array.from({ length: 50_000 }, (_, index) => `key${index}: value`).join('\n');
    expect(manyKeys.length).toBeGreaterThan(500_000);
    expect(readYaml(manyKeys)).toEqual({
      ok: false,
      problems: [{ message: expect.stringMatching(/more than 10,000 keys and list items/) as string, position: { line: 1, column: 1 } }],
    });
    const flowKeys = `{${Array.from({ length: 50_000 }, (_, index) => `k${index}: v`).join(', ')}}`;
    expect(readYaml(flowKeys).ok).toBe(false);
  });

  it('finds a duplicate among thousands of keys without comparing every pair', () => {
    const keys = Array.from({ length: 5_000 }, (_, index) => `key${index}: value`);
    keys.push('key42: again');
    const reading = readYaml(keys.join('\n'));
    expect(reading).toEqual({
      ok: false,
      problems: [{ message: 'The key "key42" appears twice in the same map (first on line 43)', position: { line: 5001, column: 1 } }],
    });
  });

  it('refuses deep nesting, a file that is too long, and never throws', () => {
    expect(readYaml('['.repeat(100_000)).ok).toBe(false);
    expect(readYaml(Array.from({ length: 200 }, (_, depth) => `${' '.repeat(depth)}k:`).join('\n')).ok).toBe(false);
    expect(readYaml('a: b\n', { ...defaultYamlLimits, maxCharacters: 3 })).toMatchObject({
      ok: false,
      problems: [{ message: expect.stringMatching(/characters long/) as string }],
    });
  });

  it('refuses a file of several YAML documents, saying so', () => {
    expect(readYaml('name: A\n---\nname: B\n')).toMatchObject({
      ok: false,
      problems: [{ message: expect.stringMatching(/more than one YAML document/) as string }],
    });
  });

  it('accepts ordinary anchors, aliases and merge keys, and keeps the YAML 1.2 values', () => {
    const reading = readYaml('base: &base {name: A, optional: true}\nmerged:\n  <<: *base\n  name: B\ncopy: *base\nversion: 1.10\n');
    expect(reading.ok).toBe(true);
    if (reading.ok) {
      expect(toPlain(reading.root)).toEqual({
        base: { name: 'A', optional: true },
        merged: { name: 'B', optional: true },
        copy: { name: 'A', optional: true },
        version: 1.1,
      });
    }
  });

  it('answers any text with a reading or a refusal that has a line and column, never an exception', () => {
    const yamlish = fc.stringMatching(/^[a-z:&*\-[\]{}!|>'"#,\s0-9<]{0,200}$/);
    fc.assert(
      fc.property(yamlish, (text) => {
        const result = validatePubliccode(text);
        for (const issue of [...result.errors, ...result.warnings]) {
          expect(issue.line).toBeGreaterThanOrEqual(1);
          expect(issue.column).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 500 },
    );
  });
});
