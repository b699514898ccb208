import { parse } from 'csv-parse/sync';
import { DIMENSIONS, emptyCounts, findDimension, GRADE_BANDS, type GradeBand, type ReturnCounts } from './workforce.categories.js';

/**
 * Reads and checks a diversity return, from CSV or from the form. A return is aggregate counts only, one row
 * per grade band, dimension and category:
 *
 *     grade_band,dimension,category,count
 *     entry,headcount,,4
 *     entry,ethnicity,asian,1
 *
 * Rows left out count as 0. Every problem names its row and column (CSV) or field (form); nothing is accepted
 * while any remains, and each dimension must add up to the headcount of each grade band.
 */

export const RETURN_CSV_COLUMNS = ['grade_band', 'dimension', 'category', 'count'] as const;
export const HEADCOUNT = 'headcount';
const MAX_BYTES = 1_000_000;
const MAX_COUNT = 100_000;

export interface ReturnProblem {
  /** The CSV row (the header is row 1), or null for the form. */
  row: number | null;
  /** The CSV column, or the form field. */
  column: string;
  message: string;
}

export type ReadResult = { ok: true; counts: ReturnCounts } | { ok: false; problems: ReturnProblem[] };

/** The form field of one count (`headcount.entry`, `ethnicity.entry.asian`). */
export const countField = (dimension: string, grade: GradeBand, category?: string) =>
  category === undefined ? `${dimension}.${grade}` : `${dimension}.${grade}.${category}`;

function parseCount(raw: string): number | string {
  const text = raw.trim();
  if (text === '') return 'is empty: give a whole number, 0 or more';
  if (!/^-?\d+$/.test(text)) return `“${text.slice(0, 20)}” is not a whole number`;
  const value = Number(text);
  if (value < 0) return `${value} is negative: counts are 0 or more`;
  if (value > MAX_COUNT) return `${value} is more than ${MAX_COUNT}`;
  return value;
}

/** The CSV's records, or the refusal of a file that is too big or is not CSV. */
function parseRecords(text: string): string[][] | ReadResult {
  if (Buffer.byteLength(text, 'utf8') > MAX_BYTES)
    return refuse(1, 'file', 'The file is larger than 1 MB; a return has at most a few hundred rows');
  try {
    const parsed: unknown = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true, bom: true });
    return parsed as string[][];
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return refuse(line, 'file', `The file is not valid CSV: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** One count of a return's CSV file: a grade band's headcount (no dimension) or one category's count. */
interface CsvCount {
  grade: GradeBand;
  dimensionCode: string;
  dimension: ReturnType<typeof findDimension>;
  category: string;
  value: number;
}

/** One row of a return's CSV file read, or the problem with it. */
function readCsvRow(record: readonly string[], row: number, headerLength: number, positions: readonly number[]): CsvCount | ReturnProblem {
  const cell = (column: number) => (record[positions[column] as number] ?? '').trim();
  if (record.length !== headerLength) {
    return { row, column: 'file', message: `Row ${row} has ${record.length} cells; the header has ${headerLength}` };
  }
  const grade = cell(0).toLowerCase() as GradeBand;
  if (!GRADE_BANDS.includes(grade)) {
    return { row, column: 'grade_band', message: `“${cell(0).slice(0, 40)}” is not a grade band: use ${GRADE_BANDS.join(', ')}` };
  }
  const dimensionCode = cell(1).toLowerCase();
  const dimension = findDimension(dimensionCode);
  if (dimensionCode !== HEADCOUNT && !dimension) {
    return {
      row,
      column: 'dimension',
      message: `“${cell(1).slice(0, 40)}” is not a dimension: use ${[HEADCOUNT, ...DIMENSIONS.map((entry) => entry.code)].join(', ')}`,
    };
  }
  const category = cell(2).toLowerCase();
  if (dimension && !dimension.categories.some((entry) => entry.code === category)) {
    return {
      row,
      column: 'category',
      message: `“${cell(2).slice(0, 40)}” is not a category of ${dimension.name.toLowerCase()}: use ${dimension.categories.map((entry) => entry.code).join(', ')}`,
    };
  }
  if (!dimension && category !== '' && category !== 'total') {
    return { row, column: 'category', message: 'Leave the category empty (or write total) on a headcount row' };
  }
  const value = parseCount(cell(3));
  if (typeof value === 'string') return { row, column: 'count', message: `The count ${value}` };
  return { grade, dimensionCode, dimension, category, value };
}

/** Reads a return from CSV text. Never throws: every problem comes back with its row and column. */
export function readReturnCsv(text: string): ReadResult {
  const records = parseRecords(text);
  if (!Array.isArray(records)) return records;
  const header = (records[0] ?? []).map((cell) => cell.trim().toLowerCase());
  const positions = RETURN_CSV_COLUMNS.map((column) => header.indexOf(column));
  const missing = RETURN_CSV_COLUMNS.filter((_, index) => positions[index] === -1);
  if (missing.length > 0)
    return refuse(
      1,
      missing[0] as string,
      `The header row must name the columns ${RETURN_CSV_COLUMNS.join(', ')}; missing: ${missing.join(', ')}`,
    );
  const counts = emptyCounts();
  const problems: ReturnProblem[] = [];
  const seen = new Map<string, number>();
  const headcountRows = new Map<GradeBand, number>();
  records.slice(1).forEach((record, index) => {
    const row = index + 2;
    if (problems.length >= 100) return;
    const read = readCsvRow(record, row, header.length, positions);
    if ('message' in read) {
      problems.push(read);
      return;
    }
    const { grade, dimensionCode, dimension, category, value } = read;
    const key = `${grade}|${dimensionCode}|${dimension ? category : ''}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problems.push({ row, column: 'category', message: `This count was already given on row ${earlier}` });
      return;
    }
    seen.set(key, row);
    if (dimension) (counts.dimensions[dimension.code]?.[grade] as Record<string, number>)[category] = value;
    else {
      counts.headcount[grade] = value;
      headcountRows.set(grade, row);
    }
  });
  if (problems.length > 0) return { ok: false, problems };
  const inconsistent = checkConsistency(counts).map((problem) => ({
    row: headcountRows.get(problem.grade) ?? 1,
    column: 'count',
    message: problem.message,
  }));
  return inconsistent.length > 0 ? { ok: false, problems: inconsistent } : { ok: true, counts };
}

/** Reads a return from the form's fields (`headcount.entry`, `ethnicity.entry.asian`...); empty fields count as 0. */
export function readReturnForm(fields: Record<string, unknown>): ReadResult {
  const counts = emptyCounts();
  const problems: ReturnProblem[] = [];
  const read = (field: string): number => {
    const raw = fields[field];
    if (raw === undefined || (typeof raw === 'string' && raw.trim() === '')) return 0;
    const value = parseCount(typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : 'not a number');
    if (typeof value === 'string') {
      problems.push({ row: null, column: field, message: `The count ${value}` });
      return 0;
    }
    return value;
  };
  for (const grade of GRADE_BANDS) {
    counts.headcount[grade] = read(countField(HEADCOUNT, grade));
    for (const dimension of DIMENSIONS)
      for (const category of dimension.categories)
        (counts.dimensions[dimension.code]?.[grade] as Record<string, number>)[category.code] = read(
          countField(dimension.code, grade, category.code),
        );
  }
  if (problems.length > 0) return { ok: false, problems };
  const inconsistent = checkConsistency(counts).map((problem) => ({
    row: null,
    column:
      problem.dimension === HEADCOUNT
        ? countField(HEADCOUNT, problem.grade)
        : countField(problem.dimension, problem.grade, problem.firstCategory),
    message: problem.message,
  }));
  return inconsistent.length > 0 ? { ok: false, problems: inconsistent } : { ok: true, counts };
}

/** Each dimension of each grade band must add up to that band's headcount; and someone must be counted. */
export function checkConsistency(counts: ReturnCounts): { grade: GradeBand; dimension: string; firstCategory: string; message: string }[] {
  const problems: { grade: GradeBand; dimension: string; firstCategory: string; message: string }[] = [];
  for (const grade of GRADE_BANDS)
    for (const dimension of DIMENSIONS) {
      const cells = counts.dimensions[dimension.code]?.[grade] ?? {};
      const sum = dimension.categories.reduce((total, category) => total + (cells[category.code] ?? 0), 0);
      if (sum !== counts.headcount[grade])
        problems.push({
          grade,
          dimension: dimension.code,
          firstCategory: dimension.categories[0]?.code ?? '',
          message: `${dimension.name} in the ${grade} band adds up to ${sum}, but the headcount of that band is ${counts.headcount[grade]}. Count people who did not answer as “not known” and those who chose not to as “prefer not to say”.`,
        });
    }
  const total = GRADE_BANDS.reduce((sum, grade) => sum + counts.headcount[grade], 0);
  if (total === 0 && problems.length === 0)
    problems.push({
      grade: 'entry',
      dimension: HEADCOUNT,
      firstCategory: '',
      message: 'The return counts nobody: give the headcount of each grade band',
    });
  return problems;
}

/** A return as CSV, in the layout the reader takes (for downloading one's own return and as a template). */
export function writeReturnCsv(counts: ReturnCounts): string {
  const lines = [RETURN_CSV_COLUMNS.join(',')];
  for (const grade of GRADE_BANDS) {
    lines.push(`${grade},${HEADCOUNT},,${counts.headcount[grade]}`);
    for (const dimension of DIMENSIONS)
      for (const category of dimension.categories)
        lines.push(`${grade},${dimension.code},${category.code},${counts.dimensions[dimension.code]?.[grade]?.[category.code] ?? 0}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

function refuse(row: number, column: string, message: string): ReadResult {
  return { ok: false, problems: [{ row, column, message }] };
}
