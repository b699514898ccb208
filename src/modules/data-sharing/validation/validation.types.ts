/** The report of one file, in the shape `commons validate --json` and `POST /api/v1/validate` return. */

/** Frictionless error type names this validator reports. */
export const ERROR_TYPES = [
  'source-error',
  'encoding-error',
  'schema-error',
  'blank-label',
  'duplicate-label',
  'missing-label',
  'extra-label',
  'incorrect-label',
  'blank-row',
  'extra-cell',
  'missing-cell',
  'type-error',
  'constraint-error',
  'unique-error',
  'primary-key',
  'foreign-key',
] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

export interface ValidationIssue {
  type: ErrorType;
  /** The header row is row 1, the first data row is row 2; null for problems with the whole file. */
  rowNumber: number | null;
  /** Fields count from 1. */
  fieldNumber: number | null;
  fieldName: string | null;
  /** The value as written in the file. */
  cell: string | null;
  message: string;
}

export interface ValidationStats {
  rows: number;
  fields: number;
  errors: number;
  bytes: number;
  sha256: string;
}

export interface FileReport {
  file: string;
  valid: boolean;
  stats: ValidationStats;
  errors: ValidationIssue[];
}

/** A report with what the pages need besides the interface's shape: every count (the list may be capped). */
export interface DetailedReport extends FileReport {
  counts: Partial<Record<ErrorType, number>>;
  /** The fields checked against (given or inferred), with the schema inferred when none was given. */
  schemaFields: { name: string; type: string; format: string }[];
  inferred: boolean;
  /** Data rows with at least one problem. */
  rowsWithErrors: number;
  encoding: string;
  delimiter: string;
}

/** The interface's shape alone, for the CLI and the API. */
export function toFileReport(report: DetailedReport): FileReport {
  return { file: report.file, valid: report.valid, stats: report.stats, errors: report.errors };
}
