/**
 * Finding a spending file's shape before its columns are read: its delimiter and line ending, a sample of its first
 * rows, and which row is the header (files often start with titles, notes or blank lines).
 */
import { CsvTokenizer } from './csv-tokenizer.js';
import { headerWords } from './column-roles.js';
import { compactHeader, lookupHeader } from './header-synonyms.js';
import { parseAmountPence } from './spend-amount.js';
import { parseSpendDate } from './spend-date.js';
import { type CanonicalField, type DetectedLayout, type SpendReadOptions } from './spend-types.js';

export interface SampleRow {
  cells: string[];
  line: number;
}

const DELIMITERS = [',', '\t', ';', '|'] as const;
// Preamble rarely runs past a few lines; 50 leaves room for a long title block.
export const HEADER_SEARCH_ROWS = 100;
const SAMPLE_ROWS = 200;

/** Tokenizes the rows of a sample; an incomplete last row is dropped unless the sample is the whole file. */
export function tokenizeSample(text: string, delimiter: string, complete: boolean, maxRows = SAMPLE_ROWS): SampleRow[] {
  const rows: SampleRow[] = [];
  const tokenizer = new CsvTokenizer(delimiter);
  tokenizer.push(text, complete, (cells, line) => {
    if (rows.length < maxRows) rows.push({ cells, line });
  });
  return rows;
}

export function isBlankRow(cells: readonly string[]): boolean {
  for (const cell of cells) if (cell.trim() !== '') return false;
  return true;
}

/** Picks the delimiter that splits the sample into the most rows of one consistent width (comma on a tie). */
export function detectDelimiter(text: string, complete: boolean): string {
  let best: string = ',';
  let bestScore = -1;
  let bestWidth = 0;
  for (const delimiter of DELIMITERS) {
    const widths = new Map<number, number>();
    for (const row of tokenizeSample(text, delimiter, complete, 100)) {
      if (isBlankRow(row.cells)) continue;
      widths.set(row.cells.length, (widths.get(row.cells.length) ?? 0) + 1);
    }
    let modalWidth = 0;
    let frequency = 0;
    for (const [width, count] of widths) {
      if (count > frequency || (count === frequency && width > modalWidth)) {
        modalWidth = width;
        frequency = count;
      }
    }
    const score = modalWidth > 1 ? frequency : 0;
    if (score > bestScore || (score === bestScore && modalWidth > bestWidth)) {
      best = delimiter;
      bestScore = score;
      bestWidth = modalWidth;
    }
  }
  return best;
}

/** The first row ending in the sample decides the reported line ending (LF when there is none). */
export function detectLineEnding(text: string): DetectedLayout['lineEnding'] {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) return 'LF';
    if (c === 13) return text.charCodeAt(i + 1) === 10 ? 'CRLF' : 'CR';
  }
  return 'LF';
}

function countFieldMatches(cells: readonly string[]): number {
  const fields = new Set<CanonicalField>();
  for (const cell of cells) {
    const entry = lookupHeader(cell);
    if (entry) fields.add(entry.field);
  }
  return fields.size;
}

export function findNamedColumn(headers: readonly string[], name: string): number {
  const wanted = name.trim().toLowerCase();
  const exact = headers.findIndex((header) => header.trim().toLowerCase() === wanted);
  if (exact !== -1) return exact;
  const compact = compactHeader(name);
  return headers.findIndex((header) => compactHeader(header) === compact);
}

const ROLE_HEADER_WORDS = new Set([
  'amount',
  'amt',
  'value',
  'net',
  'gross',
  'vat',
  'date',
  'supplier',
  'vendor',
  'payee',
  'beneficiary',
  'creditor',
  'merchant',
  'name',
  'description',
  'service',
  'department',
  'directorate',
  'expense',
  'expenditure',
  'type',
  'code',
  'number',
  'reference',
  'ref',
  'transaction',
  'invoice',
  'payment',
  'cost',
  'centre',
  'account',
  'category',
  'body',
  'organisation',
  'total',
  'purpose',
  'period',
  'id',
  'no',
]);

function isDataLike(cell: string): boolean {
  return parseAmountPence(cell).ok || parseSpendDate(cell).ok;
}

/** How much a row looks like a header: known names, header words, text cells; values count against it. */
function headerRowScore(row: SampleRow): number {
  let text = 0;
  let data = 0;
  let words = 0;
  for (const cell of row.cells) {
    const value = cell.trim();
    if (value === '') continue;
    if (isDataLike(value)) data++;
    else if (/[a-z]/i.test(value) && value.length <= 80) {
      text++;
      if (headerWords(value).some((word) => ROLE_HEADER_WORDS.has(word))) words++;
    }
  }
  if (text < 2) return 0;
  return countFieldMatches(row.cells) * 3 + words * 2 + text * 0.5 - data * 2;
}

/** Share of the next rows that look like payments: as wide as the header and holding a number. */
function dataFollows(rows: readonly SampleRow[], at: number, width: number): number {
  let looked = 0;
  let data = 0;
  for (let i = at + 1; i < rows.length && looked < 10; i++) {
    const cells = (rows[i] as SampleRow).cells;
    if (isBlankRow(cells)) continue;
    looked++;
    const filled = cells.filter((cell) => cell.trim() !== '').length;
    if (filled >= Math.max(2, width / 2) && cells.some((cell) => cell.trim() !== '' && parseAmountPence(cell).ok)) data++;
  }
  return looked === 0 ? 0 : data / looked;
}

/** The sample row that looks most like a header above rows of payments, or null. */
export function findHeaderRow(rows: readonly SampleRow[], mapping: SpendReadOptions['mapping']): SampleRow | null {
  const namedColumns = Object.values(mapping ?? {}).filter((value): value is string => typeof value === 'string');
  let best: SampleRow | null = null;
  let bestScore = 0;
  const searched = rows.slice(0, HEADER_SEARCH_ROWS);
  for (const [at, row] of searched.entries()) {
    if (isBlankRow(row.cells)) continue;
    // Explicitly named columns make a row the header outright.
    if (namedColumns.length > 0 && namedColumns.every((name) => findNamedColumn(row.cells, name) !== -1)) return row;
    const own = headerRowScore(row);
    if (own <= 0) continue;
    const width = row.cells.filter((cell) => cell.trim() !== '').length;
    const score = own + 4 * dataFollows(rows, at, width);
    if (score > bestScore) {
      best = row;
      bestScore = score;
    }
  }
  return best;
}
