import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { CsvTokenizer } from './csv-tokenizer.js';

function tokenize(chunks: readonly string[], delimiter = ','): [number, string[]][] {
  const rows: [number, string[]][] = [];
  const tokenizer = new CsvTokenizer(delimiter);
  chunks.forEach((chunk, index) => tokenizer.push(chunk, index === chunks.length - 1, (cells, line) => rows.push([line, cells])));
  return rows;
}

describe('CsvTokenizer', () => {
  it('reads quoted delimiters, doubled quotes and quoted newlines, counting physical lines', () => {
    const text = 'a,"b,c","say ""hi"""\r\n"two\nlines",x,\n\nlast,"",z';
    expect(tokenize([text])).toEqual([
      [1, ['a', 'b,c', 'say "hi"']],
      [2, ['two\nlines', 'x', '']],
      [4, ['']],
      [5, ['last', '', 'z']],
    ]);
  });

  it('accepts CR-only and mixed line endings', () => {
    expect(tokenize(['a,b\rc,d\r\ne,f\ng,h\r'])).toEqual([
      [1, ['a', 'b']],
      [2, ['c', 'd']],
      [3, ['e', 'f']],
      [4, ['g', 'h']],
    ]);
  });

  it('splits on the delimiter it was given', () => {
    expect(tokenize(['a\tb;c|d\n'], '\t')).toEqual([[1, ['a', 'b;c|d']]]);
    expect(tokenize(['a\tb;c|d\n'], '|')).toEqual([[1, ['a\tb;c', 'd']]]);
  });

  it('keeps an unterminated quote to the end of input and reports where it began', () => {
    const tokenizer = new CsvTokenizer(',');
    const rows: string[][] = [];
    tokenizer.push('a,b\nc,"open\nrest', true, (cells) => rows.push(cells));
    expect(rows).toEqual([
      ['a', 'b'],
      ['c', 'open\nrest'],
    ]);
    expect(tokenizer.unterminatedQuoteLine).toBe(2);
  });

  it('gives the same rows however the text is split into chunks', () => {
    const cell = fc.oneof(
      fc.stringMatching(/^[a-z ]{0,5}$/),
      fc.stringMatching(/^[a-z,"\r\n]{0,6}$/).map((s) => `"${s.replace(/"/g, '""')}"`),
    );
    const row = fc.array(cell, { minLength: 1, maxLength: 5 }).map((cells) => cells.join(','));
    const document = fc
      .tuple(fc.array(row, { minLength: 1, maxLength: 8 }), fc.constantFrom('\n', '\r\n', '\r'))
      .map(([rows, end]) => rows.join(end) + end);
    fc.assert(
      fc.property(document, fc.array(fc.nat(), { maxLength: 6 }), (text, cuts) => {
        const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
        const chunks: string[] = [];
        let previous = 0;
        for (const point of points) {
          chunks.push(text.slice(previous, point));
          previous = point;
        }
        chunks.push(text.slice(previous));
        expect(tokenize(chunks)).toEqual(tokenize([text]));
      }),
      { numRuns: 2000 },
    );
  });
});
