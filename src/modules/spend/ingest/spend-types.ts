/** Types shared by the spend file reader; no runtime dependencies. */

/** Fields a spend file column can be mapped to. `organisationName` is an addition to the list: files often carry both a body code/URI and a body name. */
export type CanonicalField =
  | 'organisation'
  | 'organisationName'
  | 'date'
  | 'transactionReference'
  | 'supplierName'
  | 'supplierId'
  | 'companyNumber'
  | 'vatNumber'
  /** The payee's postcode, a hint for matching suppliers by name. */
  | 'supplierPostcode'
  | 'amount'
  | 'irrecoverableVat'
  | 'service'
  | 'expenseType'
  | 'expenseCode'
  | 'procurementCategory'
  | 'capitalRevenue'
  | 'purpose'
  | 'cardTransaction'
  /**
   * A month for the whole row (202205, Apr-23), used only when the file has no date column; or, with
   * financialYear, a ledger period number (1 to 13, period 1 being April).
   */
  | 'period'
  /** The financial year (2022/23) of a ledger period column. */
  | 'financialYear';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface SpendReadOptions {
  /** Per-file override: canonical field → 0-based column index or header name (as written in the file). */
  mapping?: Partial<Record<CanonicalField, number | string>>;
  /** false when the file has no header row; the mapping must then be given by index. */
  hasHeader?: boolean;
  /** Months the file covers ('YYYY-MM'); used as the date of rows without one. */
  period?: { from: string; to: string };
  /** Only used in messages. */
  fileName?: string;
  /** The sheet to read in a spreadsheet with several (by name); otherwise the one that holds transactions. */
  sheet?: string;
  /** How many rejects to keep in `stats.rejects` (all are counted in `stats.rejectedCount`). Default 10,000. */
  maxStoredRejects?: number;
}

export interface DetectedLayout {
  encoding: 'utf-8' | 'windows-1252';
  bom: boolean;
  delimiter: string;
  lineEnding: 'CRLF' | 'LF' | 'CR';
  /** 1-based physical line of the header row, or null for a file without one. */
  headerLine: number | null;
  headers: string[];
  mapping: Partial<Record<CanonicalField, number>>;
  unmappedColumns: string[];
  /** What the reader decided and why, for people: which of several amounts it used, a period column used as the date. */
  notes?: string[];
  /** The date column's dates are written month first (4/13/2024): every row's is read that way. */
  monthFirst?: boolean;
  /** Required fields that two columns fit equally well, with the candidates' headers; such a file is refused. */
  ambiguous?: Partial<Record<CanonicalField, string[]>>;
  /** 'csv' for text files, else the spreadsheet format. */
  format?: 'csv' | 'xlsx' | 'xls' | 'ods';
  /** The sheet read, for spreadsheets. */
  sheet?: string;
}

export interface SpendRecord {
  /** 1-based physical line where the row starts. */
  line: number;
  /** YYYY-MM-DD */
  paymentDate: string;
  datePrecision: 'day' | 'month' | 'period';
  transactionReference: string | null;
  /** Raw, trimmed; '' when the supplier cell was blank. */
  supplierName: string;
  supplierRedacted: boolean;
  supplierId: string | null;
  companyNumber: string | null;
  vatNumber: string | null;
  /** Raw, trimmed; cleaned (or dropped when it is not a UK postcode) with the payee's identity. */
  supplierPostcode: string | null;
  amountPence: number;
  irrecoverableVatPence: number | null;
  service: string | null;
  expenseType: string | null;
  expenseCode: string | null;
  procurementCategory: string | null;
  capitalRevenue: string | null;
  purpose: string | null;
  cardTransaction: boolean | null;
  /** The body column (code, GSS code or URI) when present, else the body name. */
  body: string | null;
  /** Addition: the body name column, when the file has one. */
  bodyName: string | null;
}

export interface SpendReject {
  line: number;
  /** Header name as written in the file ('column N' for files without a header), or null for a whole-row problem. */
  column: string | null;
  reason: string;
  raw: string;
}

export type SpendSkipReason = 'blank' | 'repeated-header' | 'total';

export interface SpendReadStats {
  /** The first `maxStoredRejects` rejects. */
  rejects: SpendReject[];
  /** Addition: every reject, including those not stored. */
  rejectedCount: number;
  /** Addition: rows returned as records so far. */
  recordCount: number;
  /** Addition: records the file gave no date for, dated by the period it was published for. */
  undatedCount: number;
  skipped: Record<SpendSkipReason, number>;
  warnings: string[];
  bytesRead: number;
}

export interface SpendReadResult {
  layout: DetectedLayout;
  /** Records in batches of about 1,000; consume either this or `records`, once. */
  batches: AsyncIterable<SpendRecord[]>;
  records: AsyncIterable<SpendRecord>;
  /** Rejects and skips accumulate here as records are consumed. */
  stats: SpendReadStats;
}

/** A file the reader refuses as a whole (not transaction-level, no header, bad options). */
export class SpendFileError extends Error {
  override readonly name = 'SpendFileError';
  readonly line: number | null;
  readonly column: string | null;

  constructor(message: string, options: { line?: number; column?: string } = {}) {
    super(message);
    this.line = options.line ?? null;
    this.column = options.column ?? null;
  }
}
