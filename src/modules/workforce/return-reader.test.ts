import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countField, HEADCOUNT, readReturnCsv, readReturnForm, writeReturnCsv } from './return-reader.js';
import { DIMENSIONS, emptyCounts, GRADE_BANDS, type ReturnCounts } from './workforce.categories.js';

/** A consistent return: each grade's headcount split among each dimension's categories. */
const countsArbitrary = fc
  .tuple(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 4, maxLength: 4 }), fc.array(fc.nat(), { minLength: 400, maxLength: 400 }))
  .filter(([headcounts]) => headcounts.some((count) => count > 0))
  .map(([headcounts, choices]) => {
    const counts = emptyCounts();
    let next = 0;
    GRADE_BANDS.forEach((grade, index) => {
      counts.headcount[grade] = headcounts[index] as number;
      for (const dimension of DIMENSIONS) {
        const cells = counts.dimensions[dimension.code]?.[grade] as Record<string, number>;
        for (let person = 0; person < counts.headcount[grade]; person += 1) {
          const category = dimension.categories[(choices[next++ % choices.length] as number) % dimension.categories.length]?.code as string;
          cells[category] = (cells[category] ?? 0) + 1;
        }
      }
    });
    return counts;
  });

function formFields(counts: ReturnCounts): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const grade of GRADE_BANDS) {
    fields[countField(HEADCOUNT, grade)] = String(counts.headcount[grade]);
    for (const dimension of DIMENSIONS)
      for (const category of dimension.categories)
        fields[countField(dimension.code, grade, category.code)] = String(counts.dimensions[dimension.code]?.[grade]?.[category.code] ?? 0);
  }
  return fields;
}

describe('reading a diversity return', () => {
  it('reads back every consistent return it writes, from CSV and from the form', () => {
    fc.assert(
      fc.property(countsArbitrary, (counts) => {
        expect(readReturnCsv(writeReturnCsv(counts))).toEqual({ ok: true, counts });
        expect(readReturnForm(formFields(counts))).toEqual({ ok: true, counts });
      }),
      { numRuns: 100 },
    );
  });

  it('never throws on random text, and refuses it with a row and a column', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 })), (text) => {
        const result = readReturnCsv(text);
        if (!result.ok) for (const problem of result.problems) expect(problem.row).toBeGreaterThanOrEqual(1);
        if (!result.ok) for (const problem of result.problems) expect(problem.column.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a mutated return at the row and column mutated', () => {
    const mutations = [
      { column: 'count', text: (value: string) => String(-1 - Number(value)) },
      { column: 'count', text: (value: string) => `${value}.5` },
      { column: 'count', text: () => 'lots' },
      { column: 'category', text: () => 'unheard-of' },
      { column: 'grade_band', text: () => 'chief' },
      { column: 'dimension', text: () => 'shoe-size' },
    ] as const;
    fc.assert(
      fc.property(countsArbitrary, fc.nat(), fc.constantFrom(...mutations), (counts, pick, mutation) => {
        const lines = writeReturnCsv(counts).trimEnd().split('\r\n');
        const dataRows = lines
          .slice(1)
          .map((line, index) => ({ line, row: index + 2 }))
          .filter(({ line }) => !line.includes(`,${HEADCOUNT},`));
        const target = dataRows[pick % dataRows.length] as { line: string; row: number };
        const cells = target.line.split(',');
        const position = ['grade_band', 'dimension', 'category', 'count'].indexOf(mutation.column);
        cells[position] = mutation.text(cells[position] as string);
        lines[target.row - 1] = cells.join(',');
        const result = readReturnCsv(lines.join('\r\n'));
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.problems).toContainEqual(expect.objectContaining({ row: target.row, column: mutation.column }));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a return whose dimensions do not add up to the headcount, pointing at the headcount row', () => {
    const counts = emptyCounts();
    counts.headcount.senior = 3;
    for (const dimension of DIMENSIONS) (counts.dimensions[dimension.code]?.senior as Record<string, number>)['not-known'] = 3;
    (counts.dimensions.ethnicity?.senior as Record<string, number>)['not-known'] = 2;
    const result = readReturnCsv(writeReturnCsv(counts));
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]?.column).toBe('count');
    expect(problems[0]?.message).toContain('Ethnicity in the senior band adds up to 2');
    const lines = writeReturnCsv(counts).split('\r\n');
    if (!result.ok) expect(lines[(result.problems[0]?.row as number) - 1]).toBe('senior,headcount,,3');
  });

  it('keeps “prefer not to say” and “not known” apart in every dimension', () => {
    for (const dimension of DIMENSIONS) {
      const codes = dimension.categories.map((category) => category.code);
      expect(codes).toContain('prefer-not-to-say');
      expect(codes).toContain('not-known');
      expect(new Set(codes).size).toBe(codes.length);
    }
  });

  it('names the header columns that are missing', () => {
    const result = readReturnCsv('grade,dimension,category,count\r\nentry,headcount,,1\r\n');
    const problems = result.ok ? [] : result.problems;
    expect(problems.map((problem) => [problem.row, problem.column])).toEqual([[1, 'grade_band']]);
    expect(problems[0]?.message).toContain('missing: grade_band');
  });
});
