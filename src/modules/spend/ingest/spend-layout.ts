import { CsvTokenizer } from './csv-tokenizer.js';
import { describesNetAmount, headerWords, looksLikeBodyColumn, profileColumns, rankCandidates, type ScoredRole } from './column-roles.js';
import { compactHeader, lookupHeader } from './header-synonyms.js';
import { parseAmountPence } from './spend-amount.js';
import { parseSpendDate } from './spend-date.js';
import type { EncodingGuess } from './spend-encoding.js';
import { type CanonicalField, type DetectedLayout, SpendFileError, type SpendReadOptions } from './spend-types.js';

export interface SampleRow {
  cells: string[];
  line: number;
}

const DELIMITERS = [',', '\t', ';', '|'] as const;
// Preamble rarely runs past a few lines; 50 leaves room for a long title block.
const HEADER_SEARCH_ROWS = 100;
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

const CAPITAL_REVENUE_VALUES = new Set(['capital', 'revenue', 'c', 'r', 'cap', 'rev']);

export interface MappingDecision {
  mapping: Partial<Record<CanonicalField, number>>;
  notes: string[];
  ambiguous: Partial<Record<CanonicalField, string[]>>;
}

const SCORED_ROLES: readonly ScoredRole[] = ['amount', 'date', 'supplierName'];

function label(headers: readonly string[], index: number): string {
  const header = headers[index];
  return header ? `"${header}"` : `column ${index + 1}`;
}

/** Gives a column to one field only: the newest choice takes it from any other field. */
function assign(
  mapping: Partial<Record<CanonicalField, number>>,
  field: CanonicalField,
  index: number,
  keep: ReadonlySet<CanonicalField>,
): void {
  for (const [other, otherIndex] of Object.entries(mapping) as [CanonicalField, number][]) {
    if (otherIndex === index && other !== field && !keep.has(other)) Reflect.deleteProperty(mapping, other);
  }
  mapping[field] = index;
}

/**
 * Maps columns to canonical fields: known header names first, then amount, date and supplier by the scores
 * of column-roles.ts (header words and values), a period column when there is no date, a body column by its
 * values, and last the caller's explicit mapping, which always wins.
 */
export function buildMapping(
  headers: readonly string[],
  dataRows: readonly SampleRow[],
  explicit: SpendReadOptions['mapping'],
  hasHeader: boolean,
): MappingDecision {
  const mapping: Partial<Record<CanonicalField, number>> = {};
  const notes: string[] = [];
  const ambiguous: Partial<Record<CanonicalField, string[]>> = {};
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

  const explicitFields = new Set(
    Object.keys(explicit ?? {}).filter((field) => explicit?.[field as CanonicalField] !== undefined) as CanonicalField[],
  );
  const explicitIndexes = resolveExplicit(headers, explicit, hasHeader);
  const sample = dataRows.filter((row) => !isBlankRow(row.cells)).map((row) => row.cells);
  const width = Math.max(headers.length, ...sample.map((cells) => cells.length));
  const profiles = profileColumns(headers, sample, width);
  const taken = new Set<number>(explicitIndexes.values());
  const chosen = new Set<CanonicalField>();
  for (const role of SCORED_ROLES) {
    if (explicitFields.has(role)) continue;
    const candidates = rankCandidates(role, profiles, taken);
    const best = candidates[0];
    if (!best) continue;
    const tied = candidates.filter((candidate) => candidate.score === best.score);
    if (tied.length > 1) ambiguous[role] = tied.map((candidate) => candidate.header || `column ${candidate.index + 1}`);
    assign(mapping, role, best.index, chosen);
    chosen.add(role);
    taken.add(best.index);
    if (role === 'amount') noteOtherAmounts(headers, candidates, notes);
  }
  choosePeriod(mapping, profiles, taken, explicitFields, headers, notes);
  if (mapping.organisation === undefined && mapping.organisationName === undefined) {
    const body = profiles.find(
      (profile) => !taken.has(profile.index) && !Object.values(mapping).includes(profile.index) && looksLikeBodyColumn(profile),
    );
    if (body) mapping.organisationName = body.index;
  }
  for (const [field, index] of explicitIndexes) assign(mapping, field, index, explicitFields);
  return { mapping, notes, ambiguous };
}

/** Says which of several amount columns was used, and why. */
function noteOtherAmounts(headers: readonly string[], candidates: readonly { index: number; header: string }[], notes: string[]): void {
  const [best, ...others] = candidates;
  const amountLike = others.filter((candidate) => headerWords(candidate.header).some((word) => AMOUNT_NOTE_WORDS.has(word)));
  if (!best || amountLike.length === 0) return;
  const why = describesNetAmount(best.header) ? ' (the amount excluding VAT, as the Transparency Code asks)' : '';
  notes.push(
    `amounts read from ${label(headers, best.index)}${why}; not used: ${amountLike.map((c) => label(headers, c.index)).join(', ')}`,
  );
}

const AMOUNT_NOTE_WORDS = new Set(['amount', 'amt', 'value', 'net', 'gross', 'vat', 'total', 'sum']);

/** Uses a period column as the date only when no column holds dates. */
function choosePeriod(
  mapping: Partial<Record<CanonicalField, number>>,
  profiles: Parameters<typeof rankCandidates>[1],
  taken: Set<number>,
  explicitFields: ReadonlySet<CanonicalField>,
  headers: readonly string[],
  notes: string[],
): void {
  if (explicitFields.has('period')) return;
  if (mapping.date !== undefined) {
    Reflect.deleteProperty(mapping, 'period');
    return;
  }
  const best = rankCandidates('period', profiles, taken)[0];
  if (!best) return;
  mapping.period = best.index;
  taken.add(best.index);
  notes.push(`no column holds payment dates: each row is dated by the month in the period column ${label(headers, best.index)}`);
}

function resolveExplicit(
  headers: readonly string[],
  explicit: SpendReadOptions['mapping'],
  hasHeader: boolean,
): Map<CanonicalField, number> {
  const indexes = new Map<CanonicalField, number>();
  for (const [field, target] of Object.entries(explicit ?? {}) as [CanonicalField, number | string | undefined][]) {
    if (target === undefined) continue;
    if (typeof target === 'number') {
      if (!Number.isInteger(target) || target < 0)
        throw new SpendFileError(`mapping for ${field} must be a column index from 0, not ${target}`);
      indexes.set(field, target);
      continue;
    }
    if (!hasHeader)
      throw new SpendFileError(`mapping for ${field} names column '${target}', but the file has no header row; map it by index`);
    const index = findNamedColumn(headers, target);
    if (index === -1) throw new SpendFileError(`mapping for ${field}: no column '${target}' in the header`, { column: target });
    indexes.set(field, index);
  }
  return indexes;
}

export interface LayoutDetection {
  layout: DetectedLayout;
  /** Sample rows after the header. */
  dataRows: SampleRow[];
  /** Rows above the header (titles, metadata). */
  preambleRows: SampleRow[];
}

/** Detects delimiter, line ending, header row and column mapping from the decoded start of a file. */
export function detectLayout(text: string, encoding: EncodingGuess, options: SpendReadOptions, complete: boolean): LayoutDetection {
  const delimiter = detectDelimiter(text, complete);
  const rows = tokenizeSample(text, delimiter, complete);
  return detectLayoutFromRows(
    rows,
    { encoding: encoding.encoding, bom: encoding.bom, delimiter, lineEnding: detectLineEnding(text), format: 'csv' },
    options,
  );
}

/** Finds the header row and maps the columns of a sample of rows (from a CSV or a spreadsheet). */
export function detectLayoutFromRows(
  rows: SampleRow[],
  base: Pick<DetectedLayout, 'encoding' | 'bom' | 'delimiter' | 'lineEnding' | 'format'> & { sheet?: string },
  options: SpendReadOptions,
): LayoutDetection {
  const hasHeader = options.hasHeader !== false;
  const headerRow = hasHeader ? findHeaderRow(rows, options.mapping) : null;
  const headers = headerRow ? headerRow.cells.map((cell) => cell.trim()) : [];
  const dataRows = headerRow ? rows.filter((row) => row.line > headerRow.line) : rows;
  const decision: MappingDecision =
    hasHeader && !headerRow ? { mapping: {}, notes: [], ambiguous: {} } : buildMapping(headers, dataRows, options.mapping, hasHeader);
  const mapping = decision.mapping;
  const mappedColumns = new Set(Object.values(mapping));
  const unmappedColumns = headers.filter((header, index) => header !== '' && !mappedColumns.has(index));
  return {
    layout: {
      ...base,
      headerLine: headerRow ? headerRow.line : null,
      headers,
      mapping,
      unmappedColumns,
      notes: decision.notes,
      ambiguous: decision.ambiguous,
    },
    dataRows,
    preambleRows: headerRow ? rows.filter((row) => row.line < headerRow.line) : [],
  };
}

/** How well a sample fits a transaction file (used to choose among a workbook's sheets): required fields found, and data rows. */
export function layoutFitness(detection: LayoutDetection): number {
  const mapping = detection.layout.mapping;
  const found = [mapping.amount, mapping.supplierName, mapping.date ?? mapping.period].filter((index) => index !== undefined).length;
  return found * 1000 + Math.min(999, detection.dataRows.length);
}

const REQUIRED_LABELS: Readonly<Record<'amount' | 'supplierName' | 'date', string>> = {
  amount: 'money in nearly every row',
  supplierName: 'payee names',
  date: 'payment dates',
};

function mappingHint(field: string, header: string): string {
  return `--mapping ${field}=${/[\s,"]/.test(header) ? `"${header.replace(/"/g, '\\"')}"` : header}`;
}

/** Refuses files the reader cannot turn into payments: no header found, no amount, supplier or date, or two columns that fit one equally. */
export function assertTransactionLevel(layout: DetectedLayout, options: SpendReadOptions): void {
  const name = options.fileName ? `${options.fileName}: ` : '';
  if (options.hasHeader !== false && layout.headerLine === null) {
    throw new SpendFileError(
      `${name}no header row found in the first ${HEADER_SEARCH_ROWS} rows (looked for a row of column names above rows of payments); for a file without a header give hasHeader: false and a mapping by column index`,
    );
  }
  const found = layout.headers.length > 0 ? ` (columns: ${layout.headers.filter((h) => h !== '').join(', ')})` : '';
  for (const field of ['amount', 'supplierName', 'date'] as const) {
    const candidates = layout.ambiguous?.[field];
    if (!candidates || candidates.length < 2) continue;
    throw new SpendFileError(
      `${name}cannot tell which column is the ${field === 'supplierName' ? 'supplier' : field}: ${candidates.map((c) => `"${c}"`).join(' and ')} fit equally well; ` +
        `say which with ${candidates.map((c) => mappingHint(field, c)).join(' or ')}`,
    );
  }
  const missing = (field: 'amount' | 'supplierName' | 'date', extra = ''): never => {
    throw new SpendFileError(
      `${name}not a transaction-level spending file: no ${field === 'supplierName' ? 'supplier' : field} column${found}; no column holds ${REQUIRED_LABELS[field]}${extra}. If one does, name it with ${mappingHint(field, 'COLUMN')}`,
    );
  };
  if (layout.mapping.amount === undefined) missing('amount');
  if (layout.mapping.supplierName === undefined) missing('supplierName');
  if (layout.mapping.date === undefined && layout.mapping.period === undefined && !options.period) {
    missing('date', '; if every row is a payment in a known period, give that period (--period YYYY-MM)');
  }
}
