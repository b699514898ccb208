import type { ColumnType, Generated } from 'kysely';

/** 'staging': rows still being written, seen by no query until the file is published as 'imported'. */
export type SpendFileStatus = 'imported' | 'rejected' | 'staging' | 'withdrawn';
export type SupplierAliasSource = 'exact' | 'company-number' | 'vat' | 'fuzzy' | 'manual';
export type SupplierMatchReviewStatus = 'pending' | 'accepted' | 'rejected';

type Json<T> = ColumnType<T, string, string>;

export interface SuppliersTable {
  id: Generated<number>;
  name: string;
  normalised_name: string;
  company_number: string | null;
  vat_number: string | null;
  /** The postcode of the payee that made it, where its file had one (migration 0178): a hint for matching names. */
  postcode: ColumnType<string | null, string | null | undefined, string | null>;
  /** The staging file whose import made this supplier, until it is published (then null). */
  staged_file_id: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: ColumnType<Date, never, never>;
}

export interface SupplierAliasesTable {
  alias: string;
  supplier_id: number;
  source: SupplierAliasSource;
  created_at: ColumnType<Date, never, never>;
}

export interface SupplierMatchReviewsTable {
  id: Generated<number>;
  raw_name: string;
  normalised_name: string;
  supplier_id: number;
  candidate_supplier_id: number;
  similarity: number;
  status: ColumnType<SupplierMatchReviewStatus, SupplierMatchReviewStatus | undefined, SupplierMatchReviewStatus>;
  created_at: ColumnType<Date, never, never>;
  decided_at: Date | null;
}

export interface SpendFilesTable {
  id: Generated<number>;
  organisation_id: number;
  file_name: string;
  sha256: string;
  byte_size: number;
  stored_path: string;
  status: SpendFileStatus;
  error: string | null;
  layout: Json<unknown> | null;
  mapping: Json<unknown> | null;
  period_from: string | null;
  period_to: string | null;
  rows_imported: ColumnType<number, number | undefined, number>;
  rows_rejected: ColumnType<number, number | undefined, number>;
  rows_skipped: ColumnType<number, number | undefined, number>;
  /** Payments the file gave no date for, dated by the period it was published for (migration 0160). */
  rows_without_dates: ColumnType<number, number | undefined, number>;
  total_pence: ColumnType<number, number | undefined, number>;
  date_from: string | null;
  date_to: string | null;
  warnings: ColumnType<string[], string | undefined, string>;
  imported_at: ColumnType<Date, Date | undefined, Date>;
  imported_by: number | null;
  withdrawn_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  withdrawn_by: ColumnType<number | null, number | null | undefined, number | null>;
  withdrawal_reason: ColumnType<string | null, string | null | undefined, string | null>;
  replaced_by_file_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface SpendTransactionsTable {
  id: Generated<number>;
  organisation_id: number;
  file_id: number;
  line: number;
  payment_date: string;
  date_precision: 'day' | 'month' | 'period';
  transaction_reference: string | null;
  supplier_id: number | null;
  supplier_name: string;
  supplier_redacted: boolean;
  amount_pence: number;
  irrecoverable_vat_pence: number | null;
  service: string | null;
  expense_type: string | null;
  expense_code: string | null;
  procurement_category: string | null;
  capital_revenue: string | null;
  purpose: string | null;
  card_transaction: boolean | null;
  body: string | null;
}

export interface SpendRejectsTable {
  id: Generated<number>;
  organisation_id: number;
  file_id: number;
  line: number;
  column_name: string | null;
  reason: string;
  raw: string;
}

export interface SpendColumnMappingsTable {
  id: Generated<number>;
  organisation_id: number;
  headers_key: string;
  headers: Json<string[]>;
  mapping: Json<Record<string, number | string>>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface SpendMonthlyRollupsTable {
  organisation_id: number;
  supplier_id: number | null;
  month: string;
  expense_type: string | null;
  transactions: number;
  total_pence: number;
}

/** An organisation's payments in one month, kept with the monthly roll-ups (migration 0173). */
export interface SpendOrganisationMonthTotalsTable {
  organisation_id: number;
  month: string;
  transactions: number;
  total_pence: number;
}

/** An organisation's payments to one supplier (null: redacted payees), kept with the monthly roll-ups (migration 0173). */
export interface SpendOrganisationSupplierTotalsTable {
  organisation_id: number;
  supplier_id: number | null;
  transactions: number;
  total_pence: number;
}

/** An organisation's payments to one named supplier in a calendar year and expense type, for the yearly leaders (migration 0177). */
export interface SpendOrganisationYearSupplierTotalsTable {
  organisation_id: number;
  supplier_id: number;
  year: number;
  expense_type: string | null;
  transactions: number;
  total_pence: number;
}

/** An organisation's payments per expense type, and per service (`dimension`), kept with the monthly roll-ups (migration 0177). */
export interface SpendOrganisationBreakdownTotalsTable {
  organisation_id: number;
  dimension: 'expense_type' | 'service';
  value: string | null;
  transactions: number;
  total_pence: number;
}

/** A staging file's rows summed per group, a batch at a time; added to the summaries when the file is published. */
export interface SpendStagedGroupsTable {
  file_id: number;
  organisation_id: number;
  supplier_id: number | null;
  month: string;
  expense_type: string | null;
  service: string | null;
  transactions: number;
  total_pence: number;
}

export type SpendImportJobStatus = 'awaiting-confirmation' | 'queued' | 'running' | 'done' | 'failed';

export interface SpendImportJobsTable {
  id: Generated<number>;
  kind: 'file' | 'manifest';
  parent_id: number | null;
  organisation_id: number | null;
  /** The organisation's GSS code (or slug) and name when the import was asked for, for pages and links. */
  organisation_code: string | null;
  organisation_mismatch: ColumnType<'accept' | null, 'accept' | null | undefined, 'accept' | null>;
  /** An imported file this upload corrects: withdrawn as replaced once the upload is imported (0150). */
  replaces_file_id: ColumnType<number | null, number | null | undefined, number | null>;
  organisation_name: string | null;
  requested_by: number | null;
  /** The person who asked for the import, as their Actor: the import's audit event is theirs. */
  actor: Json<unknown> | null;
  status: SpendImportJobStatus;
  file_name: string;
  stored_path: string | null;
  sha256: string | null;
  total_bytes: ColumnType<number, number | undefined, number>;
  bytes_processed: ColumnType<number, number | undefined, number>;
  rows_processed: ColumnType<number, number | undefined, number>;
  layout: Json<unknown> | null;
  mapping: Json<Record<string, number | string>> | null;
  period_from: string | null;
  period_to: string | null;
  file_id: number | null;
  outcome: Json<unknown> | null;
  error: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  created_at: ColumnType<Date, Date | undefined, never>;
  started_at: Date | null;
  heartbeat_at: Date | null;
  finished_at: Date | null;
}

export interface SpendTables {
  spend_import_jobs: SpendImportJobsTable;
  suppliers: SuppliersTable;
  supplier_aliases: SupplierAliasesTable;
  supplier_match_reviews: SupplierMatchReviewsTable;
  spend_files: SpendFilesTable;
  spend_transactions: SpendTransactionsTable;
  spend_rejects: SpendRejectsTable;
  spend_column_mappings: SpendColumnMappingsTable;
  spend_monthly_rollups: SpendMonthlyRollupsTable;
  spend_organisation_month_totals: SpendOrganisationMonthTotalsTable;
  spend_organisation_supplier_totals: SpendOrganisationSupplierTotalsTable;
  spend_organisation_year_supplier_totals: SpendOrganisationYearSupplierTotalsTable;
  spend_organisation_breakdown_totals: SpendOrganisationBreakdownTotalsTable;
  spend_staged_groups: SpendStagedGroupsTable;
}

/**
 * What spend publishes for other modules to read (spend intelligence's pages and search): the supplier register and
 * its aliases, the file records, the monthly roll-ups and the organisation totals kept with them. Only the spend module writes them.
 */
export interface SpendReadModels {
  suppliers: SuppliersTable;
  supplier_aliases: SupplierAliasesTable;
  spend_files: SpendFilesTable;
  spend_monthly_rollups: SpendMonthlyRollupsTable;
  spend_organisation_month_totals: SpendOrganisationMonthTotalsTable;
  spend_organisation_supplier_totals: SpendOrganisationSupplierTotalsTable;
  spend_organisation_year_supplier_totals: SpendOrganisationYearSupplierTotalsTable;
  spend_organisation_breakdown_totals: SpendOrganisationBreakdownTotalsTable;
}
