/**
 * The spend module's repository: the row types its queries share, and the composition of its query groups, each in a
 * file of one use case (import jobs, file records, staging, summaries, supplier lookup, supplier decisions).
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Actor } from '../../platform/actor.js';
import { type AuditEvent, type AuditTables, recordAuditEvent } from '../../platform/audit.js';
import type {
  SpendFilesTable,
  SpendImportJobsTable,
  SpendImportJobStatus,
  SpendRejectsTable,
  SpendTables,
  SuppliersTable,
} from './spend.tables.js';
import { createSpendFileRecordQueries } from './spend-file-records.queries.js';
import { createSpendJobQueries } from './spend-jobs.queries.js';
import { createSpendStagingQueries, isPGliteConnection } from './spend-staging.queries.js';
import { createSpendSummaryQueries } from './spend-summaries.queries.js';
import { createSupplierDecisionQueries } from './spend-supplier-decisions.queries.js';
import { createSupplierLookupQueries } from './spend-supplier-lookup.queries.js';

export { TRANSACTION_COPY_COLUMNS } from './spend-staging.queries.js';

export type SpendFileRow = Selectable<SpendFilesTable>;
export type SupplierRow = Selectable<SuppliersTable>;
export type SpendRejectRow = Selectable<SpendRejectsTable>;
export type SpendImportJobRow = Selectable<SpendImportJobsTable>;

/** The tables the spend module writes: its own, and the audit trail every write appends to. */
export type SpendDatabase = SpendTables & AuditTables;

export interface NewSpendImportJob {
  kind: 'file' | 'manifest';
  parent_id: number | null;
  organisation_id: number | null;
  organisation_code: string | null;
  organisation_name: string | null;
  requested_by: number | null;
  actor: Actor | null;
  status: SpendImportJobStatus;
  file_name: string;
  stored_path: string | null;
  sha256: string | null;
  total_bytes: number;
  layout: unknown;
  mapping: Record<string, number | string> | null;
  period_from: string | null;
  period_to: string | null;
  created_at: Date;
  /** An imported file this upload corrects (withdrawn once the upload is imported). */
  replaces_file_id?: number | null;
}

export interface NewSpendFile {
  organisation_id: number;
  file_name: string;
  sha256: string;
  byte_size: number;
  stored_path: string;
  status: 'imported' | 'rejected' | 'staging';
  error: string | null;
  layout: unknown;
  mapping: unknown;
  period_from: string | null;
  period_to: string | null;
  warnings: string[];
  imported_at: Date;
  imported_by: number | null;
}

export interface SpendFileResult {
  /** Set when a staging file is published. */
  status?: 'imported';
  imported_at?: Date;
  rows_imported: number;
  rows_rejected: number;
  rows_skipped: number;
  rows_without_dates?: number;
  total_pence: number;
  date_from: string | null;
  date_to: string | null;
  warnings: string[];
  layout: unknown;
  mapping: unknown;
}

/** A published supplier whose normalised name contains both words of a block ("FIRST SECOND") of a new payee. */
export interface BlockCandidate {
  block: string;
  supplier_id: number;
  /** The supplier's name as first written. */
  candidate_raw_name: string;
  company_number: string | null;
  vat_number: string | null;
  postcode: string | null;
}

export interface SpendSummaryRow {
  transactions: number;
  total_pence: number;
  date_from: string | null;
  date_to: string | null;
  suppliers: number;
}

/** The first key of the advisory locks that staging imports hold (the second is the file id). */
const STAGING_LOCK_SPACE = 95_001;

/** Every query the spend module makes, on a database handle or inside a transaction. */
function createSpendQueries(db: Kysely<SpendDatabase>) {
  return {
    /** Appends the one audit event of a write, in the same transaction as the write. */
    async recordAudit(actor: Actor | null, event: AuditEvent): Promise<void> {
      await recordAuditEvent(db, actor, event);
    },
    ...createSpendJobQueries(db),
    ...createSpendFileRecordQueries(db),
    ...createSpendStagingQueries(db),
    ...createSpendSummaryQueries(db),
    ...createSupplierLookupQueries(db),
    ...createSupplierDecisionQueries(db),
  };
}

export type SpendQueries = ReturnType<typeof createSpendQueries>;

/** The spend module's queries, and a way to run several of them in one transaction. */
export function createSpendRepository(db: Kysely<SpendDatabase>) {
  return {
    ...createSpendQueries(db),
    /** True when the database is PGlite: one connection, in this process (in this thread, or under `commons serve` its own). */
    async isEmbedded(): Promise<boolean> {
      return db.getExecutor().provideConnection((connection) => Promise.resolve(isPGliteConnection(connection)));
    },

    /**
     * Runs an import's `work` while holding its staging file: on PostgreSQL a session advisory lock on a connection
     * of its own, which the server releases if this process dies, so another node can tell a live import from an
     * abandoned one. PGlite has one process per data directory (the directory lock), so nothing is needed there.
     */
    async whileStaging<T>(fileId: number, work: () => Promise<T>): Promise<T> {
      if (await this.isEmbedded()) return work();
      return db.connection().execute(async (connection) => {
        await sql`select pg_advisory_lock(${STAGING_LOCK_SPACE}::int, ${fileId}::int)`.execute(connection);
        try {
          return await work();
        } finally {
          await sql`select pg_advisory_unlock(${STAGING_LOCK_SPACE}::int, ${fileId}::int)`.execute(connection);
        }
      });
    },

    /** True when no process holds this staging file (its import was stopped); always true on PGlite (see whileStaging). */
    async isStagingAbandoned(fileId: number): Promise<boolean> {
      if (await this.isEmbedded()) return true;
      return db.connection().execute(async (connection) => {
        const result = await sql<{
          free: boolean;
        }>`select pg_try_advisory_lock(${STAGING_LOCK_SPACE}::int, ${fileId}::int) as free`.execute(connection);
        const free = result.rows[0]?.free === true;
        if (free) await sql`select pg_advisory_unlock(${STAGING_LOCK_SPACE}::int, ${fileId}::int)`.execute(connection);
        return free;
      });
    },

    /** Runs `work` in one transaction with the queries bound to it: all of it is written, or none. */
    async inTransaction<T>(work: (queries: SpendQueries) => Promise<T>): Promise<T> {
      return db.transaction().execute((trx) => work(createSpendQueries(trx)));
    },
  };
}

export type SpendRepository = ReturnType<typeof createSpendRepository>;
