/** What a spending file's import takes and gives, and a file's record as pages and the API show it. */
import { createHash } from 'node:crypto';
import type { Actor } from '../../platform/actor.js';
import type { CanonicalField } from './ingest/index.js';
import type { SpendFileRow } from './spend.repository.js';

export type SpendColumnMapping = Partial<Record<CanonicalField, number | string>>;

export interface ImportSpendFileInput {
  organisationId: number;
  /** Either a path to read, a stream of the file's bytes, or a file already kept by storeSpendUpload. */
  path?: string;
  stream?: AsyncIterable<Buffer | Uint8Array>;
  stored?: StoredSpendFile;
  fileName: string;
  /** Months the file covers ('YYYY-MM'), for files whose rows carry no usable date. */
  period?: { from: string; to: string };
  /** Canonical field → column header or 0-based index; saved for the organisation's files with the same headers. */
  mapping?: SpendColumnMapping;
  /** The person importing, whose audit event it is; null (or absent) for a command run on the server. */
  actor?: Actor | null;
  /** Called after each chunk of rows is written. */
  onProgress?: (progress: SpendImportProgress) => void;
  /** The sheet to read in a spreadsheet with several (by name); by default the one that holds transactions. */
  sheet?: string;
  /** The organisation's GSS code or slug: when given, a file that names another body of the register is refused. */
  organisationCode?: string;
  /** 'accept' imports a file that names another body (the person confirmed it is this organisation's file). */
  organisationMismatch?: 'refuse' | 'accept';
}

/** An original file kept in the files directory under its SHA-256. */
export interface StoredSpendFile {
  sha256: string;
  byteSize: number;
  /** Relative to the files directory: `spend/<sha256>`. */
  storedPath: string;
}

export interface SpendImportProgress {
  rows: number;
  bytesRead: number;
  totalBytes: number;
}

export interface SpendImportOutcome {
  status: 'imported' | 'duplicate' | 'rejected';
  fileId: number | null;
  fileName: string;
  sha256: string;
  rowsImported: number;
  rowsRejected: number;
  rowsSkipped: number;
  totalPence: number;
  dateFrom: string | null;
  dateTo: string | null;
  warnings: string[];
  errors: string[];
}

export interface SpendFileSummary {
  id: number;
  organisationId: number;
  fileName: string;
  sha256: string;
  byteSize: number;
  status: 'imported' | 'rejected' | 'withdrawn';
  error: string | null;
  periodFrom: string | null;
  periodTo: string | null;
  rowsImported: number;
  rowsRejected: number;
  rowsSkipped: number;
  /** Payments the file gave no date for, counted in the first month of the period it was published for. */
  rowsWithoutDates: number;
  totalPence: number;
  dateFrom: string | null;
  dateTo: string | null;
  warnings: string[];
  layout: unknown;
  mapping: unknown;
  importedAt: string;
  /** Set once the file is withdrawn: when, why, and the file that replaced it, if one did. */
  withdrawnAt: string | null;
  withdrawalReason: string | null;
  replacedByFileId: number | null;
}

export interface SpendFileReject {
  line: number;
  column: string | null;
  reason: string;
  raw: string;
}

/** The key under which a column mapping is saved: the file's headers, trimmed and lower-cased, in order. */
export function headersKey(headers: readonly string[]): string {
  return createHash('sha256')
    .update(JSON.stringify(headers.map((header) => header.trim().toLowerCase())))
    .digest('hex');
}

/** A file's record as pages and the API show it. */
export function presentFile(row: SpendFileRow): SpendFileSummary {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    fileName: row.file_name,
    sha256: row.sha256,
    byteSize: row.byte_size,
    // A staging file is never presented (callers refuse it first); it would read as being imported.
    status: row.status === 'staging' ? 'imported' : row.status,
    error: row.error,
    periodFrom: row.period_from,
    periodTo: row.period_to,
    rowsImported: row.rows_imported,
    rowsRejected: row.rows_rejected,
    rowsSkipped: row.rows_skipped,
    rowsWithoutDates: row.rows_without_dates,
    totalPence: row.total_pence,
    dateFrom: row.date_from,
    dateTo: row.date_to,
    warnings: row.warnings,
    layout: row.layout,
    mapping: row.mapping,
    importedAt: row.imported_at.toISOString(),
    withdrawnAt: row.withdrawn_at?.toISOString() ?? null,
    withdrawalReason: row.withdrawal_reason,
    replacedByFileId: row.replaced_by_file_id,
  };
}

/** Spend files, their transactions and the suppliers they are paid to. */
