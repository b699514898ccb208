import { describesNetAmount, headerWords, looksLikeBodyColumn, profileColumns, rankCandidates, type ScoredRole } from './column-roles.js';
import { compactHeader, lookupHeader } from './header-synonyms.js';
import { financialYearStart, ledgerPeriodNumber } from './ledger-period.js';
import { findPostcodeColumn } from './postcode.js';
import { parseOptionalAmountPence } from './spend-amount.js';
import { monthFirstEvidence } from './spend-date.js';
import type { EncodingGuess } from './spend-encoding.js';
import { type CanonicalField, type DetectedLayout, SpendFileError, type SpendReadOptions } from './spend-types.js';
import {
  detectDelimiter,
  detectLineEnding,
  findHeaderRow,
  findNamedColumn,
  HEADER_SEARCH_ROWS,
  isBlankRow,
  type SampleRow,
  tokenizeSample,
} from './spend-header-row.js';

export { detectDelimiter, detectLineEnding, findHeaderRow, type SampleRow, tokenizeSample } from './spend-header-row.js';

const CAPITAL_REVENUE_VALUES = new Set(['capital', 'revenue', 'c', 'r', 'cap', 'rev']);

export interface MappingDecision {
  mapping: Partial<Record<CanonicalField, number>>;
  /** The date column's dates are written month first (see monthFirstEvidence). */
  monthFirst?: boolean;
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

  // A Capital/Revenue column is known by its values whatever its header ("Type", "Spend"): every value is capital or
  // revenue, and unless the header says "Type" at least one is written out in full (a column of C and R alone could
  // be anything).
  if (mapping.capitalRevenue === undefined) {
    const used = new Set(Object.values(mapping));
    headers.forEach((header, index) => {
      if (mapping.capitalRevenue !== undefined || used.has(index)) return;
      const values = dataRows.map((row) => (row.cells[index] ?? '').trim().toLowerCase()).filter((value) => value !== '');
      if (values.length === 0 || !values.every((value) => CAPITAL_REVENUE_VALUES.has(value))) return;
      if (compactHeader(header) === 'type' || values.some((value) => value === 'capital' || value === 'revenue'))
        mapping.capitalRevenue = index;
    });
  }

  const explicitFields = new Set(
    Object.keys(explicit ?? {}).filter((field) => explicit?.[field as CanonicalField] !== undefined) as CanonicalField[],
  );
  const explicitIndexes = resolveExplicit(headers, explicit, hasHeader);
  const sample = dataRows.filter((row) => !isBlankRow(row.cells)).map((row) => row.cells);
  dropUnlessAmounts(mapping, 'irrecoverableVat', headers, sample, notes);
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
  choosePeriod(mapping, profiles, taken, explicitFields, headers, sample, notes);
  chooseByWords(mapping, profiles);
  if (mapping.organisation === undefined && mapping.organisationName === undefined) {
    const body = profiles.find(
      (profile) => !taken.has(profile.index) && !Object.values(mapping).includes(profile.index) && looksLikeBodyColumn(profile),
    );
    if (body) mapping.organisationName = body.index;
  }
  if (mapping.supplierPostcode === undefined) {
    const postcode = findPostcodeColumn(headers, sample, new Set([...taken, ...Object.values(mapping)]));
    if (postcode !== null) mapping.supplierPostcode = postcode;
  }
  for (const [field, index] of explicitIndexes) assign(mapping, field, index, explicitFields);
  const dateColumn = mapping.date;
  const evidence = dateColumn === undefined ? null : monthFirstEvidence(sample.map((cells) => cells[dateColumn] ?? ''));
  if (evidence !== null && dateColumn !== undefined) {
    notes.push(`dates in ${label(headers, dateColumn)} are written month first (such as '${evidence}'), and read that way`);
  }
  return { mapping, notes, ambiguous, monthFirst: evidence !== null };
}

/**
 * Keeps an optional amount column that was mapped by its header only when its values are amounts: some ledgers
 * head a Y/N flag "Irrecoverable VAT". Dropped, the column is named in a note and every payment is still read.
 */
function dropUnlessAmounts(
  mapping: Partial<Record<CanonicalField, number>>,
  field: 'irrecoverableVat',
  headers: readonly string[],
  sample: readonly (readonly string[])[],
  notes: string[],
): void {
  const index = mapping[field];
  if (index === undefined) return;
  const isAmount = (value: string) => parseOptionalAmountPence(value) !== null;
  if (shareOf(sample, index, isAmount) >= 0.5 || shareOf(sample, index, () => true) === 0) return;
  Reflect.deleteProperty(mapping, field);
  const example = sample.map((cells) => (cells[index] ?? '').trim()).find((value) => value !== '' && !isAmount(value)) ?? '';
  notes.push(`${label(headers, index)} was not read as irrecoverable VAT: its values are not amounts (such as '${example}')`);
}

/**
 * Words that make a header an optional descriptive field when no known header name did: a column headed
 * "Service Area Categorisation" or "Directorate Description" is the service, "Expenses Type" or "Nominal Description"
 * the expense type. A header with a code word, or naming the payee, is never taken; nor is a column whose values are
 * mostly numbers, which is a code, not its description.
 */
const SERVICE_WORDS = new Set([
  'service',
  'services',
  'directorate',
  'department',
  'dept',
  'division',
  'portfolio',
  'centre',
  'center',
  'unit',
]);
const FIELD_WORDS: readonly { field: CanonicalField; words: ReadonlySet<string>; unless: ReadonlySet<string> }[] = [
  // "Directorate where expenditure incurred" names a service, not an expense type.
  {
    field: 'expenseType',
    words: new Set(['expense', 'expenses', 'expenditure', 'nominal', 'subjective', 'cipfa', 'account']),
    unless: SERVICE_WORDS,
  },
  { field: 'service', words: SERVICE_WORDS, unless: new Set() },
];
const NOT_DESCRIPTION_WORDS = new Set([
  'code',
  'id',
  'number',
  'no',
  'num',
  'ref',
  'reference',
  'supplier',
  'vendor',
  'payee',
  'creditor',
  'date',
  'purpose',
]);

function chooseByWords(mapping: Partial<Record<CanonicalField, number>>, profiles: Parameters<typeof rankCandidates>[1]): void {
  const used = new Set(Object.values(mapping));
  for (const { field, words, unless } of FIELD_WORDS) {
    if (mapping[field] !== undefined) continue;
    const column = profiles.find(
      (profile) =>
        !used.has(profile.index) &&
        profile.words.some((word) => words.has(word)) &&
        !profile.words.some((word) => NOT_DESCRIPTION_WORDS.has(word) || unless.has(word)) &&
        profile.nonBlank > 0 &&
        profile.withLetters / profile.nonBlank >= 0.6,
    );
    if (!column) continue;
    mapping[field] = column.index;
    used.add(column.index);
  }
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
  sample: readonly (readonly string[])[],
  notes: string[],
): void {
  if (explicitFields.has('period')) return;
  if (mapping.date !== undefined) {
    Reflect.deleteProperty(mapping, 'period');
    Reflect.deleteProperty(mapping, 'financialYear');
    return;
  }
  const candidates = rankCandidates('period', profiles, taken);
  // A column named "Period" that holds no months (a ledger's period number 1 to 13) cannot date the rows: the file
  // is then refused with the hint to give its period, or dated by the period given.
  const named = mapping.period;
  if (named !== undefined && !candidates.some((candidate) => candidate.index === named)) Reflect.deleteProperty(mapping, 'period');
  const best = candidates[0];
  if (!best) {
    if (!chooseLedgerPeriod(mapping, profiles, taken, headers, sample, notes) && named !== undefined) {
      notes.push(`${label(headers, named)} was not used to date the rows: its values are not months such as 202205 or Apr-23`);
    }
    return;
  }
  Reflect.deleteProperty(mapping, 'financialYear');
  mapping.period = best.index;
  taken.add(best.index);
  notes.push(`no column holds payment dates: each row is dated by the month in the period column ${label(headers, best.index)}`);
}

/** Share of a column's non-blank sample values that `test` accepts (0 for a column with none). */
function shareOf(sample: readonly (readonly string[])[], index: number, test: (value: string) => boolean): number {
  const values = sample.map((cells) => (cells[index] ?? '').trim()).filter((value) => value !== '');
  return values.length === 0 ? 0 : values.filter(test).length / values.length;
}

/**
 * With no dates and no months, rows can still be dated by a ledger period column (1 to 13, named as a period)
 * beside a financial year column (2022/23): each row gets the month its period stands for.
 */
function chooseLedgerPeriod(
  mapping: Partial<Record<CanonicalField, number>>,
  profiles: Parameters<typeof rankCandidates>[1],
  taken: Set<number>,
  headers: readonly string[],
  sample: readonly (readonly string[])[],
  notes: string[],
): boolean {
  const free = profiles.filter((profile) => !taken.has(profile.index));
  const period = free.find(
    (profile) =>
      profile.words.some((word) => word === 'period' || word === 'per' || word === 'pd') &&
      shareOf(sample, profile.index, (value) => ledgerPeriodNumber(value) !== null) >= 0.9,
  );
  const named = mapping.financialYear;
  const year = [
    ...(named === undefined ? [] : [named]),
    ...free.filter((profile) => profile.words.includes('year')).map((p) => p.index),
  ].find(
    (index) =>
      index !== period?.index && shareOf(sample, index, (value) => financialYearStart(value, headers[index] ?? '') !== null) >= 0.9,
  );
  if (period === undefined || year === undefined) {
    Reflect.deleteProperty(mapping, 'financialYear');
    return false;
  }
  mapping.period = period.index;
  mapping.financialYear = year;
  taken.add(period.index);
  taken.add(year);
  notes.push(
    `no column holds payment dates: each row is dated by the month of its ledger period in ${label(headers, period.index)} ` +
      `(period 1 is April) in the financial year in ${label(headers, year)}`,
  );
  return true;
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
      ...(decision.monthFirst ? { monthFirst: true } : {}),
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
