import { CsvTokenizer } from './csv-tokenizer.js';
import { compactHeader, lookupHeader } from './header-synonyms.js';
import type { EncodingGuess } from './spend-encoding.js';
import { type CanonicalField, type DetectedLayout, SpendFileError, type SpendReadOptions } from './spend-types.js';

export interface SampleRow {
  cells: string[];
  line: number;
}

const DELIMITERS = [',', '\t', ';', '|'] as const;
// Preamble rarely runs past a few lines; 50 leaves room for a long title block.
const HEADER_SEARCH_ROWS = 50;
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

function isBlankRow(cells: readonly string[]): boolean {
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

function findNamedColumn(headers: readonly string[], name: string): number {
  const wanted = name.trim().toLowerCase();
  const exact = headers.findIndex((header) => header.trim().toLowerCase() === wanted);
  if (exact !== -1) return exact;
  const compact = compactHeader(name);
  return headers.findIndex((header) => compactHeader(header) === compact);
}

/** The sample row that looks most like a header (most canonical fields named), or null. */
export function findHeaderRow(rows: readonly SampleRow[], mapping: SpendReadOptions['mapping']): SampleRow | null {
  const namedColumns = Object.values(mapping ?? {}).filter((value): value is string => typeof value === 'string');
  let best: SampleRow | null = null;
  // One known name is enough: synonyms match whole cells, so titles and data rarely score.
  let bestScore = 0;
  for (const row of rows.slice(0, HEADER_SEARCH_ROWS)) {
    if (isBlankRow(row.cells)) continue;
    // Explicitly named columns make a row the header outright.
    if (namedColumns.length > 0 && namedColumns.every((name) => findNamedColumn(row.cells, name) !== -1)) return row;
    const score = countFieldMatches(row.cells);
    if (score > bestScore) {
      best = row;
      bestScore = score;
    }
  }
  return best;
}

const CAPITAL_REVENUE_VALUES = new Set(['capital', 'revenue', 'c', 'r', 'cap', 'rev']);

/** Maps header columns to canonical fields by synonym, then applies the caller's explicit mapping. */
export function buildMapping(
  headers: readonly string[],
  dataRows: readonly SampleRow[],
  explicit: SpendReadOptions['mapping'],
  hasHeader: boolean,
): Partial<Record<CanonicalField, number>> {
  const mapping: Partial<Record<CanonicalField, number>> = {};
  const ranks: Partial<Record<CanonicalField, number>> = {};
  headers.forEach((header, index) => {
    const entry = lookupHeader(header);
    if (!entry) return;
    const current = ranks[entry.field];
    if (current === undefined || entry.rank < current) {
      mapping[entry.field] = index;
      ranks[entry.field] = entry.rank;
    }
  });

  // Oxford's plain "Type" column holds Capital/Revenue: recognise it by its values.
  if (mapping.capitalRevenue === undefined) {
    const used = new Set(Object.values(mapping));
    headers.forEach((header, index) => {
      if (mapping.capitalRevenue !== undefined || used.has(index) || compactHeader(header) !== 'type') return;
      const values = dataRows.map((row) => (row.cells[index] ?? '').trim().toLowerCase()).filter((value) => value !== '');
      if (values.length > 0 && values.every((value) => CAPITAL_REVENUE_VALUES.has(value))) mapping.capitalRevenue = index;
    });
  }

  for (const [field, target] of Object.entries(explicit ?? {}) as [CanonicalField, number | string | undefined][]) {
    if (target === undefined) continue;
    let index: number;
    if (typeof target === 'number') {
      if (!Number.isInteger(target) || target < 0)
        throw new SpendFileError(`mapping for ${field} must be a column index from 0, not ${target}`);
      index = target;
    } else {
      if (!hasHeader)
        throw new SpendFileError(`mapping for ${field} names column '${target}', but the file has no header row; map it by index`);
      index = findNamedColumn(headers, target);
      if (index === -1) throw new SpendFileError(`mapping for ${field}: no column '${target}' in the header`, { column: target });
    }
    // An explicit choice of column takes it away from any field the synonyms gave it to.
    for (const [other, otherIndex] of Object.entries(mapping) as [CanonicalField, number][]) {
      if (otherIndex === index && other !== field && explicit?.[other] === undefined) Reflect.deleteProperty(mapping, other);
    }
    mapping[field] = index;
  }
  return mapping;
}

export interface LayoutDetection {
  layout: DetectedLayout;
  /** Sample rows after the header. */
  dataRows: SampleRow[];
}

/** Detects delimiter, line ending, header row and column mapping from the decoded start of a file. */
export function detectLayout(text: string, encoding: EncodingGuess, options: SpendReadOptions, complete: boolean): LayoutDetection {
  const delimiter = detectDelimiter(text, complete);
  const lineEnding = detectLineEnding(text);
  const rows = tokenizeSample(text, delimiter, complete);
  const hasHeader = options.hasHeader !== false;
  const headerRow = hasHeader ? findHeaderRow(rows, options.mapping) : null;
  const headers = headerRow ? headerRow.cells.map((cell) => cell.trim()) : [];
  const dataRows = headerRow ? rows.filter((row) => row.line > headerRow.line) : rows;
  const mapping = hasHeader && !headerRow ? {} : buildMapping(headers, dataRows.slice(0, 50), options.mapping, hasHeader);
  const mappedColumns = new Set(Object.values(mapping));
  const unmappedColumns = headers.filter((header, index) => header !== '' && !mappedColumns.has(index));
  return {
    layout: {
      encoding: encoding.encoding,
      bom: encoding.bom,
      delimiter,
      lineEnding,
      headerLine: headerRow ? headerRow.line : null,
      headers,
      mapping,
      unmappedColumns,
    },
    dataRows,
  };
}

/** Refuses files the reader cannot turn into payments: no header found, or no amount, supplier or date to read. */
export function assertTransactionLevel(layout: DetectedLayout, options: SpendReadOptions): void {
  const name = options.fileName ? `${options.fileName}: ` : '';
  if (options.hasHeader !== false && layout.headerLine === null) {
    throw new SpendFileError(
      `${name}no header row found in the first ${HEADER_SEARCH_ROWS} rows (looked for names such as "Date", "Supplier Name", "Amount"); for a file without a header give hasHeader: false and a mapping by column index`,
    );
  }
  const found = layout.headers.length > 0 ? ` (columns: ${layout.headers.filter((h) => h !== '').join(', ')})` : '';
  if (layout.mapping.amount === undefined) {
    throw new SpendFileError(`${name}not a transaction-level spending file: no amount column${found}`);
  }
  if (layout.mapping.supplierName === undefined) {
    throw new SpendFileError(`${name}not a transaction-level spending file: no supplier column${found}`);
  }
  if (layout.mapping.date === undefined && !options.period) {
    throw new SpendFileError(
      `${name}not a transaction-level spending file: no date column${found}; if every row is a payment in a known period, give that period`,
    );
  }
}
