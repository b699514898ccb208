/**
 * The rules that turn a spending file's tokenized rows into payments, skipped rows (blank, repeated headers, totals)
 * and rejects with their reasons, apart from the streaming so the same rules serve readSpendFile and the tests.
 */
import { ownCopy } from './own-copy.js';
import { isAccountingZero, parseAmountPence, parseOptionalAmountPence } from './spend-amount.js';
import { parseSpendDate } from './spend-date.js';
import {
  type CanonicalField,
  type DetectedLayout,
  type ParseResult,
  SpendFileError,
  type SpendReadOptions,
  type SpendReadStats,
  type SpendRecord,
} from './spend-types.js';
import { financialYearStart, ledgerPeriodMonth, ledgerPeriodNumber } from './ledger-period.js';
import { isRedactedSupplier } from './supplier-name.js';

// Enough to hold a long preamble and the first rows; the file is never held whole.
const DEFAULT_MAX_STORED_REJECTS = 10_000;
const MAX_RAW_CHARS = 1000;

const TOTAL_LABEL = /^(grand\s+|sub\s*-?\s*)?totals?(\s*:|\s+(for|of)\b.*)?\s*:?$/i;
const TIME_ONLY = /^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const CARD_TRUE = new Set(['y', 'yes', 'true', '1', 'card', 'purchase card', 'procurement card', 'p card', 'pcard', 'gpc']);
const CARD_FALSE = new Set(['n', 'no', 'false', '0']);

interface ResolvedPeriod {
  date: string;
  precision: 'month' | 'period';
  first: string;
  last: string;
  label: string;
}

export function resolvePeriod(period: SpendReadOptions['period']): ResolvedPeriod | null {
  if (!period) return null;
  const pattern = /^(\d{4})-(0[1-9]|1[0-2])$/;
  const from = pattern.exec(period.from);
  const to = pattern.exec(period.to);
  if (!from || !to) throw new SpendFileError(`period must be given as {from: 'YYYY-MM', to: 'YYYY-MM'}, not ${JSON.stringify(period)}`);
  if (period.to < period.from) throw new SpendFileError(`period ends (${period.to}) before it starts (${period.from})`);
  const toYear = Number(to[1]);
  const toMonth = Number(to[2]);
  const lastDay = new Date(Date.UTC(toYear, toMonth, 0)).getUTCDate();
  return {
    date: `${period.from}-01`,
    precision: period.from === period.to ? 'month' : 'period',
    first: `${period.from}-01`,
    last: `${period.to}-${lastDay}`,
    label: period.from === period.to ? period.from : `${period.from} to ${period.to}`,
  };
}

export function toBuffer(chunk: Buffer | Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

export function quoteCell(cell: string, delimiter: string): string {
  return cell.includes('"') || cell.includes(delimiter) || cell.includes('\n') || cell.includes('\r')
    ? `"${cell.replace(/"/g, '""')}"`
    : cell;
}

function optionalCell(cells: readonly string[], index: number): string | null {
  if (index < 0) return null;
  const cell = cells[index];
  if (cell === undefined) return null;
  const trimmed = cell.trim();
  return trimmed === '' ? null : trimmed;
}

export function isBlank(cells: readonly string[]): boolean {
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i] ?? '';
    if (cell.length > 0 && cell.trim() !== '') return false;
  }
  return true;
}

/**
 * Turns tokenized rows into records, skips and rejects. Kept apart from the
 * streaming so that the same rules serve `readSpendFile` and the tests.
 */
export class RowInterpreter {
  readonly stats: SpendReadStats = {
    rejects: [],
    rejectedCount: 0,
    recordCount: 0,
    undatedCount: 0,
    skipped: { blank: 0, 'repeated-header': 0, total: 0 },
    warnings: [],
    bytesRead: 0,
  };
  pending: SpendRecord[] = [];
  private preambleLines = 0;
  private outsidePeriod = 0;
  private runningTotal = 0;
  private totalSinceLastTotalRow = 0;
  private readonly column: Record<CanonicalField, number>;
  private readonly columnNames: string[];
  private readonly period: ResolvedPeriod | null;
  private readonly maxStoredRejects: number;
  private headerLine: number;
  private readonly monthFirst: boolean;
  /** The sheet being read, when a workbook's rows come from several: named in rejects and warnings. */
  private sheetName: string | null = null;
  private readonly mappedIndexes: number[];

  constructor(
    private readonly layout: DetectedLayout,
    options: SpendReadOptions,
  ) {
    const index = (field: CanonicalField): number => layout.mapping[field] ?? -1;
    this.column = {
      organisation: index('organisation'),
      organisationName: index('organisationName'),
      date: index('date'),
      transactionReference: index('transactionReference'),
      supplierName: index('supplierName'),
      supplierId: index('supplierId'),
      companyNumber: index('companyNumber'),
      vatNumber: index('vatNumber'),
      supplierPostcode: index('supplierPostcode'),
      amount: index('amount'),
      irrecoverableVat: index('irrecoverableVat'),
      service: index('service'),
      expenseType: index('expenseType'),
      expenseCode: index('expenseCode'),
      procurementCategory: index('procurementCategory'),
      capitalRevenue: index('capitalRevenue'),
      purpose: index('purpose'),
      cardTransaction: index('cardTransaction'),
      period: index('period'),
      financialYear: index('financialYear'),
    };
    const width = Math.max(layout.headers.length, ...Object.values(layout.mapping).map((i) => i + 1));
    this.columnNames = Array.from({ length: width }, (_, i) => layout.headers[i] || `column ${i + 1}`);
    this.period = resolvePeriod(options.period);
    this.maxStoredRejects = options.maxStoredRejects ?? DEFAULT_MAX_STORED_REJECTS;
    this.headerLine = layout.headerLine ?? 0;
    this.monthFirst = layout.monthFirst === true;
    this.mappedIndexes = Object.values(layout.mapping);
    for (const note of layout.notes ?? []) this.warn(note);
  }

  /** Irrecoverable VAT cells that were not amounts: the first of them, and how many. */
  private readonly unreadableVat = new FirstAndCount();

  /** NUL characters removed from the file's text (no database text column can hold one). */
  nulRemoved = 0;

  /** The month of a ledger period in a financial year (period 1 is April), or why the row cannot be dated by them. */
  private parseLedgerPeriod(periodCell: string, yearCell: string): PeriodCell {
    const period = ledgerPeriodNumber(periodCell);
    if (period === null) return { ok: false, reason: `period '${periodCell}' is not a ledger period from 1 to 13` };
    const start = financialYearStart(yearCell, this.columnNames[this.column.financialYear] ?? '');
    if (start === null) return { ok: false, column: 'year', reason: `financial year '${yearCell}' is not a year such as 2022/23` };
    return { ok: true, value: { date: ledgerPeriodMonth(period, start), precision: 'month' } };
  }

  /** Starts the rows of another sheet of the same table: its own header line, and its name for what is said of a row. */
  startSheet(headerLine: number, name: string | null): void {
    this.headerLine = headerLine;
    this.sheetName = name;
  }

  /** Classifies one tokenized row; records go to `pending`. A hot loop: it runs for every row of every file. */
  readonly handleRow = (cells: string[], line: number): void => {
    if (line <= this.headerLine) {
      if (line < this.headerLine && !isBlank(cells)) this.preambleLines++;
      return;
    }
    if (isBlank(cells)) {
      this.stats.skipped.blank++;
      return;
    }
    const column = this.column;
    const supplierCell = (cells[column.supplierName] ?? '').trim();
    const amountCell = cells[column.amount] ?? '';

    if ((supplierCell === '' || TOTAL_LABEL.test(supplierCell)) && this.isTotalRow(cells, line, amountCell)) {
      this.stats.skipped.total++;
      return;
    }

    let amount = parseAmountPence(amountCell);
    if (!amount.ok && isAccountingZero(amountCell)) amount = ACCOUNTING_ZERO;
    if (!amount.ok) {
      // Only a row whose amount is not a number can be a repeated header; checking here keeps the common path cheap.
      if (this.isRepeatedHeader(cells)) {
        this.stats.skipped['repeated-header']++;
        return;
      }
      this.reject(cells, line, column.amount, amount.reason);
      return;
    }

    let paymentDate: string;
    let datePrecision: SpendRecord['datePrecision'];
    let undated = false;
    const dateCell = column.date >= 0 ? (cells[column.date] ?? '').trim() : '';
    if (column.date < 0 && column.period >= 0) {
      const periodCell = (cells[column.period] ?? '').trim();
      const period =
        column.financialYear >= 0
          ? this.parseLedgerPeriod(periodCell, (cells[column.financialYear] ?? '').trim())
          : parsePeriodCell(periodCell);
      if (!period.ok) {
        this.reject(cells, line, period.column === 'year' ? column.financialYear : column.period, period.reason);
        return;
      }
      paymentDate = period.value.date;
      datePrecision = period.value.precision;
    } else if (dateCell === '' || TIME_ONLY.test(dateCell)) {
      // A missing date is expected in some files (Oxford 2014 prints only 00:00:00); the period stands in for it.
      if (!this.period) {
        const what = dateCell === '' ? 'date is empty' : `date '${dateCell}' has a time but no date`;
        this.reject(cells, line, column.date, `${what}, and no period was given for the file`);
        return;
      }
      paymentDate = this.period.date;
      datePrecision = this.period.precision;
      undated = true;
    } else {
      // A date that is present but wrong is bad data: rejected, never replaced by the period.
      const date = parseSpendDate(dateCell, this.monthFirst);
      if (!date.ok) {
        this.reject(cells, line, column.date, date.reason);
        return;
      }
      paymentDate = date.value.date;
      datePrecision = date.value.precision;
      if (this.period && (paymentDate < this.period.first || paymentDate > this.period.last)) {
        this.outsidePeriod++;
      }
    }

    // An optional figure that cannot be read is left empty and counted: the payment itself is sound.
    let irrecoverableVatPence: number | null = null;
    const vatCell = optionalCell(cells, column.irrecoverableVat);
    if (vatCell !== null) {
      irrecoverableVatPence = parseOptionalAmountPence(vatCell);
      if (irrecoverableVatPence === null) this.unreadableVat.note(vatCell, line);
    }

    let cardTransaction: boolean | null = null;
    const cardCell = optionalCell(cells, column.cardTransaction);
    if (cardCell !== null) {
      const key = cardCell.toLowerCase();
      cardTransaction = CARD_TRUE.has(key) ? true : CARD_FALSE.has(key) ? false : null;
    }

    const bodyName = optionalCell(cells, column.organisationName);
    const record: SpendRecord = {
      line,
      paymentDate,
      datePrecision,
      transactionReference: optionalCell(cells, column.transactionReference),
      supplierName: supplierCell,
      supplierRedacted: this.isRedacted(supplierCell),
      supplierId: optionalCell(cells, column.supplierId),
      companyNumber: optionalCell(cells, column.companyNumber),
      vatNumber: optionalCell(cells, column.vatNumber),
      supplierPostcode: optionalCell(cells, column.supplierPostcode),
      amountPence: amount.value,
      irrecoverableVatPence,
      service: optionalCell(cells, column.service),
      expenseType: optionalCell(cells, column.expenseType),
      expenseCode: optionalCell(cells, column.expenseCode),
      procurementCategory: optionalCell(cells, column.procurementCategory),
      capitalRevenue: optionalCell(cells, column.capitalRevenue),
      purpose: optionalCell(cells, column.purpose),
      cardTransaction,
      body: optionalCell(cells, column.organisation) ?? bodyName,
      bodyName,
    };
    this.runningTotal += amount.value;
    this.totalSinceLastTotalRow += amount.value;
    this.stats.recordCount++;
    if (undated) this.stats.undatedCount++;
    this.pending.push(record);
  };

  private readonly redactedCache = new Map<string, boolean>();
  /** Payments whose payee cell is empty. */
  private withoutPayee = 0;

  /** isRedactedSupplier, remembered: files repeat the same few supplier names thousands of times. */
  private isRedacted(supplier: string): boolean {
    if (supplier === '') {
      // Kept as a payment to an unnamed payee, as a withheld name is; counted so the file's result says so.
      this.withoutPayee++;
      return true;
    }
    let redacted = this.redactedCache.get(supplier);
    if (redacted === undefined) {
      redacted = isRedactedSupplier(supplier);
      if (this.redactedCache.size > 50_000) this.redactedCache.clear();
      this.redactedCache.set(ownCopy(supplier), redacted);
    }
    return redacted;
  }

  private isRepeatedHeader(cells: readonly string[]): boolean {
    if (this.layout.headerLine === null) return false;
    const headers = this.layout.headers;
    // Cheap test first: a repeated header repeats the amount column's name.
    const amountHeader = headers[this.column.amount];
    const amountCell = cells[this.column.amount];
    if (amountHeader === undefined || amountCell === undefined || amountCell.trim().toLowerCase() !== amountHeader.toLowerCase())
      return false;
    let same = 0;
    for (const index of this.mappedIndexes) {
      const header = headers[index];
      if (header && (cells[index] ?? '').trim().toLowerCase() === header.toLowerCase()) same++;
    }
    return same >= 2 && same * 2 >= this.mappedIndexes.length;
  }

  /** A row with no supplier is a total if a cell says so, or if nothing but amounts is filled in. */
  private isTotalRow(cells: readonly string[], line: number, amountCell: string): boolean {
    let labelled = false;
    let onlyAmounts = true;
    for (let i = 0; i < cells.length; i++) {
      const cell = (cells[i] ?? '').trim();
      if (cell === '') continue;
      if (TOTAL_LABEL.test(cell)) labelled = true;
      else if (i !== this.column.amount && i !== this.column.irrecoverableVat) onlyAmounts = false;
    }
    if (!labelled && !onlyAmounts) return false;
    const amount = parseAmountPence(amountCell);
    if (amount.ok && amount.value !== this.runningTotal && amount.value !== this.totalSinceLastTotalRow) {
      this.warn(
        `${this.sheetName === null ? '' : `sheet "${this.sheetName}", `}line ${line}: total row of ${formatPence(amount.value)} does not match the sum of the rows read (${formatPence(this.runningTotal)})`,
      );
    }
    this.totalSinceLastTotalRow = 0;
    return true;
  }

  private reject(cells: readonly string[], line: number, columnIndex: number, reason: string): void {
    this.stats.rejectedCount++;
    if (this.stats.rejects.length >= this.maxStoredRejects) return;
    let raw = cells.map((cell) => quoteCell(cell, this.layout.delimiter)).join(this.layout.delimiter);
    if (raw.length > MAX_RAW_CHARS) raw = `${raw.slice(0, MAX_RAW_CHARS)}…`;
    const where = this.sheetName === null ? '' : `sheet "${this.sheetName}": `;
    this.stats.rejects.push({
      line,
      column: columnIndex >= 0 ? (this.columnNames[columnIndex] ?? null) : null,
      reason: where + reason,
      raw,
    });
  }

  warn(message: string): void {
    // Warnings are for people; cap them so a broken file cannot fill memory.
    if (this.stats.warnings.length < 100) this.stats.warnings.push(message);
  }

  /** Adds the end-of-file summary warnings. */
  finish(unterminatedQuoteLine: number | null): void {
    if (this.nulRemoved > 0) this.warn(`${this.nulRemoved} NUL character(s) were removed from the file's cells`);
    if (this.preambleLines > 0) this.warn(`${this.preambleLines} line(s) before the header row were ignored`);
    const vat = this.unreadableVat;
    if (vat.first !== null && this.column.irrecoverableVat >= 0) {
      this.warn(
        `${vat.count} value(s) in ${this.columnNames[this.column.irrecoverableVat]} are not amounts (the first, '${vat.first.value}', on line ${vat.first.line}); ` +
          'their irrecoverable VAT was left empty and the payments were kept',
      );
    }
    if (this.withoutPayee > 0) {
      this.warn(
        `${this.withoutPayee} payment(s) have no payee in ${this.columnNames[this.column.supplierName]}; they are kept, and counted as payees whose names were withheld`,
      );
    }
    if (this.outsidePeriod > 0 && this.period) this.warn(`${this.outsidePeriod} row(s) are dated outside the period ${this.period.label}`);
    if (unterminatedQuoteLine !== null)
      this.warn(`a quoted cell starting on line ${unterminatedQuoteLine} is never closed; it runs to the end of the file`);
    if (this.stats.rejectedCount > this.stats.rejects.length) {
      this.warn(`${this.stats.rejectedCount} rows were rejected; only the first ${this.stats.rejects.length} are listed`);
    }
  }
}

const YEAR_MONTH = /^((?:19|20)\d\d)(0[1-9]|1[0-2])$/;

const ACCOUNTING_ZERO: ParseResult<number> = { ok: true, value: 0 };

/** The first of some cells (its text, cut short, and line) and how many there were, for one warning instead of many. */
class FirstAndCount {
  first: { value: string; line: number } | null = null;
  count = 0;

  note(value: string, line: number): void {
    this.count++;
    this.first ??= { value: value.length > 40 ? `${value.slice(0, 40)}…` : value, line };
  }
}

/** A period cell: a year and month such as 202205, or anything parseSpendDate reads (Apr-23, 2023-04, a date). */
/** A row's month from its period columns, or why not (and whether the financial year was at fault). */
type PeriodCell =
  { ok: true; value: { date: string; precision: SpendRecord['datePrecision'] } } | { ok: false; reason: string; column?: 'year' };

function parsePeriodCell(text: string): PeriodCell {
  if (text === '') return { ok: false, reason: 'period is empty' };
  const yearMonth = YEAR_MONTH.exec(text);
  if (yearMonth) return { ok: true, value: { date: `${yearMonth[1]}-${yearMonth[2]}-01`, precision: 'month' } };
  const date = parseSpendDate(text);
  if (!date.ok) return { ok: false, reason: `period '${text}' is not a month such as 202205 or Apr-23` };
  return { ok: true, value: { date: date.value.date, precision: date.value.precision } };
}

/** Removes NUL characters, which no database text column takes; the count is reported as a warning. */
export function withoutNul(text: string, onRemoved: (count: number) => void): string {
  if (text.indexOf('\0') === -1) return text;
  const cleaned = text.replace(/\0/g, '');
  onRemoved(text.length - cleaned.length);
  return cleaned;
}

export function formatPence(pence: number): string {
  const sign = pence < 0 ? '-' : '';
  const abs = Math.abs(pence);
  return `${sign}£${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
