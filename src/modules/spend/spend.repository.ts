import { CompiledQuery, type DatabaseConnection, type ExpressionBuilder, type Kysely, type Selectable, type SqlBool, sql } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import type { Actor } from '../../platform/actor.js';
import { type AuditEvent, type AuditTables, recordAuditEvent } from '../../platform/audit.js';
import type {
  SpendFilesTable,
  SpendImportJobsTable,
  SpendImportJobStatus,
  SpendRejectsTable,
  SpendTables,
  SupplierAliasSource,
  SupplierMatchReviewStatus,
  SuppliersTable,
} from './spend.tables.js';
import type { StagedGroup } from './spend-copy-chunks.js';
import { fileCoversFromSql, fileCoversToSql } from './spend-file-dates.js';

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

/** The columns COPY fills, in the order the import service writes them. */
export const TRANSACTION_COPY_COLUMNS = [
  'organisation_id',
  'file_id',
  'line',
  'payment_date',
  'date_precision',
  'transaction_reference',
  'supplier_id',
  'supplier_name',
  'supplier_redacted',
  'amount_pence',
  'irrecoverable_vat_pence',
  'service',
  'expense_type',
  'expense_code',
  'procurement_category',
  'capital_revenue',
  'purpose',
  'card_transaction',
  'body',
] as const;

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
}

export interface SpendSummaryRow {
  transactions: number;
  total_pence: number;
  date_from: string | null;
  date_to: string | null;
  suppliers: number;
}

/** A PGlite connection as kysely-pglite-dialect builds it: its PGlite instance is the public `client`. */
interface PGliteLikeConnection {
  client: { query(text: string, params: unknown[], options: { blob: Blob }): Promise<unknown> };
}

function isPGliteConnection(connection: DatabaseConnection): connection is DatabaseConnection & PGliteLikeConnection {
  return 'client' in connection && typeof (connection as { client?: { query?: unknown } }).client?.query === 'function';
}

/**
 * Streams COPY text into a table on the connection Kysely holds. PGlite reads it from a Blob (`/dev/blob`);
 * node-postgres takes the pg-copy-streams query object in place of SQL text (its `client.query` accepts any
 * "submittable"), which is the one way to reach the pooled client through Kysely's connection.
 */
async function copyTextInto(
  db: Kysely<SpendDatabase>,
  table: string,
  columns: readonly string[],
  text: string | Uint8Array<ArrayBuffer>,
): Promise<void> {
  if (text.length === 0) return;
  const statement = `copy ${table} (${columns.join(', ')}) from`;
  await db.getExecutor().provideConnection(async (connection) => {
    if (isPGliteConnection(connection)) {
      await connection.client.query(`${statement} '/dev/blob'`, [], { blob: new Blob([text]) });
      return;
    }
    const stream = copyFrom(`${statement} stdin`);
    const finished = new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
    });
    await connection.executeQuery(CompiledQuery.raw(stream as unknown as string));
    stream.end(text);
    await finished;
  });
}

/** The columns of spend_staged_groups a batch fills, in StagedGroup order after the file and organisation. */
const STAGED_GROUP_COLUMNS = [
  'file_id',
  'organisation_id',
  'supplier_id',
  'month',
  'expense_type',
  'service',
  'transactions',
  'total_pence',
];

/** One text value in COPY text: \N for null, backslash escapes for backslash, tab and line breaks. */
function copyValue(value: string | null): string {
  return value === null
    ? '\\N'
    : value.replace(/[\\\t\n\r]/g, (character) =>
        character === '\\' ? '\\\\' : character === '\t' ? '\\t' : character === '\n' ? '\\n' : '\\r',
      );
}

/** Suppliers a query may see: the published ones, and those an import is staging for the file it is writing. */
function seenBy(eb: ExpressionBuilder<SpendDatabase, 'suppliers'>, stagingFileId: number | null) {
  return stagingFileId === null
    ? eb('suppliers.staged_file_id', 'is', null)
    : eb.or([eb('suppliers.staged_file_id', 'is', null), eb('suppliers.staged_file_id', '=', stagingFileId)]);
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

    /** Records an import job and returns its id. */
    async insertImportJob(job: NewSpendImportJob): Promise<number> {
      const row = await db
        .insertInto('spend_import_jobs')
        .values({
          ...job,
          actor: job.actor === null ? null : JSON.stringify(job.actor),
          layout: job.layout === null ? null : JSON.stringify(job.layout),
          mapping: job.mapping === null ? null : JSON.stringify(job.mapping),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    /** One import job by id. */
    async findImportJob(id: number): Promise<SpendImportJobRow | undefined> {
      return db.selectFrom('spend_import_jobs').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** The file jobs of a manifest job, in manifest order. */
    async listChildJobs(parentId: number): Promise<SpendImportJobRow[]> {
      return db.selectFrom('spend_import_jobs').selectAll().where('parent_id', '=', parentId).orderBy('id').execute();
    },

    /** An organisation's most recent imports through the web. */
    async listRecentJobs(organisationId: number, limit: number): Promise<SpendImportJobRow[]> {
      return db
        .selectFrom('spend_import_jobs')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('kind', '=', 'file')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
    },

    /** Changes the mapping and period of a job still waiting for confirmation; false when it is no longer waiting. */
    /** Records that the person confirmed a draft import's file is its organisation's own, although it names another body. */
    async acceptOrganisationMismatch(id: number): Promise<void> {
      await db.updateTable('spend_import_jobs').set({ organisation_mismatch: 'accept' }).where('id', '=', id).execute();
    },

    async updateJobDraft(
      id: number,
      draft: { mapping: Record<string, number | string> | null; period_from: string | null; period_to: string | null },
    ): Promise<boolean> {
      const result = await db
        .updateTable('spend_import_jobs')
        .set({
          mapping: draft.mapping === null ? null : JSON.stringify(draft.mapping),
          period_from: draft.period_from,
          period_to: draft.period_to,
        })
        .where('id', '=', id)
        .where('status', '=', 'awaiting-confirmation')
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    /** Moves a confirmed job into the queue; false when it was not waiting for confirmation. */
    async queueJob(id: number): Promise<boolean> {
      const result = await db
        .updateTable('spend_import_jobs')
        .set({ status: 'queued' })
        .where('id', '=', id)
        .where('status', '=', 'awaiting-confirmation')
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    /**
     * Queues again the running jobs whose runner stopped beating (a crash or a kill), or fails those that
     * stopped `maxAttempts` times, so a file that kills the process cannot loop for ever.
     */
    async requeueStalledJobs(staleBefore: Date, maxAttempts: number, now: Date): Promise<void> {
      await db
        .updateTable('spend_import_jobs')
        .set({ status: 'failed', error: `the import stopped ${maxAttempts} times without finishing`, finished_at: now })
        .where('status', '=', 'running')
        .where('kind', '=', 'file')
        .where('heartbeat_at', '<', staleBefore)
        .where('attempts', '>=', maxAttempts)
        .execute();
      await db
        .updateTable('spend_import_jobs')
        .set({ status: 'queued', rows_processed: 0, bytes_processed: 0 })
        .where('status', '=', 'running')
        .where('kind', '=', 'file')
        .where('heartbeat_at', '<', staleBefore)
        .execute();
    },

    /** Takes the oldest queued file job for this runner (skipping any another runner is taking), or none. */
    async claimNextJob(now: Date): Promise<SpendImportJobRow | undefined> {
      const result = await sql<SpendImportJobRow>`
        update spend_import_jobs
        set status = 'running', attempts = attempts + 1, started_at = ${now}, heartbeat_at = ${now}, rows_processed = 0, bytes_processed = 0
        where id = (
          select id from spend_import_jobs where status = 'queued' and kind = 'file' order by id limit 1 for update skip locked
        )
        returning *
      `.execute(db);
      return result.rows[0];
    },

    /** Records how far a running job has got, which is also its runner's heartbeat. */
    async recordJobProgress(id: number, progress: { rows: number; bytes: number }, now: Date): Promise<void> {
      await db
        .updateTable('spend_import_jobs')
        .set({ rows_processed: progress.rows, bytes_processed: progress.bytes, heartbeat_at: now })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .execute();
    },

    /** Records how a job ended. */
    async finishJob(
      id: number,
      result: { status: 'done' | 'failed'; file_id: number | null; outcome: unknown; error: string | null; rows: number; bytes: number },
      now: Date,
    ): Promise<void> {
      await db
        .updateTable('spend_import_jobs')
        .set({
          status: result.status,
          file_id: result.file_id,
          outcome: result.outcome === null ? null : JSON.stringify(result.outcome),
          error: result.error,
          rows_processed: result.rows,
          bytes_processed: result.bytes,
          finished_at: now,
          heartbeat_at: now,
        })
        .where('id', '=', id)
        .execute();
    },

    /** Marks a manifest job done once none of its files is waiting or running. */
    async settleParentJob(parentId: number, now: Date): Promise<void> {
      await sql`
        update spend_import_jobs p
        set status = 'done', finished_at = ${now}
        where p.id = ${parentId} and p.status <> 'done'
          and not exists (select 1 from spend_import_jobs c where c.parent_id = p.id and c.status in ('queued', 'running', 'awaiting-confirmation'))
      `.execute(db);
    },

    /** The file already stored for this organisation with this content, if any. */
    async findFileByHash(organisationId: number, sha256: string): Promise<SpendFileRow | undefined> {
      return db
        .selectFrom('spend_files')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('sha256', '=', sha256)
        .executeTakeFirst();
    },

    /** One file by id. */
    async findFileById(id: number): Promise<SpendFileRow | undefined> {
      return db.selectFrom('spend_files').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** Removes a file record and everything read from it (its rejects cascade; its transactions are deleted here). */
    async deleteFile(fileId: number): Promise<void> {
      await db.deleteFrom('spend_transactions').where('file_id', '=', fileId).execute();
      await db.deleteFrom('spend_files').where('id', '=', fileId).execute();
    },

    /**
     * Withdraws an imported file: deletes its transactions (the statement triggers take them out of every summary)
     * and marks the file withdrawn; the file's record and original stay.
     */
    async withdrawFile(
      fileId: number,
      withdrawal: { at: Date; by: number | null; reason: string | null; replacedBy: number | null },
    ): Promise<void> {
      // The monthly roll-ups are added per file at import (spend_add_file_to_summaries), not by trigger: take the file's share out.
      await sql`
        update spend_monthly_rollups r
        set transactions = r.transactions - g.transactions, total_pence = r.total_pence - g.total_pence
        from (
          select organisation_id, supplier_id, payment_date - (extract(day from payment_date)::int - 1) as month, expense_type,
                 count(*) as transactions, sum(amount_pence) as total_pence
          from spend_transactions where file_id = ${fileId}
          group by 1, 2, 3, 4
        ) g
        where r.organisation_id = g.organisation_id and r.supplier_id is not distinct from g.supplier_id
          and r.month = g.month and r.expense_type is not distinct from g.expense_type
      `.execute(db);
      await db.deleteFrom('spend_monthly_rollups').where('transactions', '=', 0).where('total_pence', '=', 0).execute();
      // The statement triggers of migrations 0050 and 0052 take these rows out of the breakdown, supplier totals and concentration.
      await db.deleteFrom('spend_transactions').where('file_id', '=', fileId).execute();
      await db
        .updateTable('spend_files')
        .set({
          status: 'withdrawn',
          withdrawn_at: withdrawal.at,
          withdrawn_by: withdrawal.by,
          withdrawal_reason: withdrawal.reason,
          replaced_by_file_id: withdrawal.replacedBy,
        })
        .where('id', '=', fileId)
        .execute();
    },

    /** Records a file and returns its id. */
    async insertFile(file: NewSpendFile): Promise<number> {
      const row = await db
        .insertInto('spend_files')
        .values({
          ...file,
          layout: file.layout === null ? null : JSON.stringify(file.layout),
          mapping: file.mapping === null ? null : JSON.stringify(file.mapping),
          warnings: JSON.stringify(file.warnings),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    /** Stores the counts and totals of a file once all its rows are written. */
    async updateFileResult(fileId: number, result: SpendFileResult): Promise<void> {
      await db
        .updateTable('spend_files')
        .set({
          ...result,
          layout: JSON.stringify(result.layout),
          mapping: JSON.stringify(result.mapping),
          warnings: JSON.stringify(result.warnings),
        })
        .where('id', '=', fileId)
        .execute();
    },

    /** Suppliers holding any of these company numbers (published ones, and those staged by `stagingFileId`). */
    async findSuppliersByCompanyNumbers(
      numbers: readonly string[],
      stagingFileId: number | null = null,
    ): Promise<{ id: number; company_number: string }[]> {
      if (numbers.length === 0) return [];
      const rows = await db
        .selectFrom('suppliers')
        .select(['id', 'company_number'])
        .where('company_number', 'in', numbers)
        .where((eb) => seenBy(eb, stagingFileId))
        .orderBy('id')
        .execute();
      return rows.flatMap((row) => (row.company_number ? [{ id: row.id, company_number: row.company_number }] : []));
    },

    /** Suppliers holding any of these VAT numbers (published ones, and those staged by `stagingFileId`). */
    async findSuppliersByVatNumbers(
      numbers: readonly string[],
      stagingFileId: number | null = null,
    ): Promise<{ id: number; vat_number: string }[]> {
      if (numbers.length === 0) return [];
      const rows = await db
        .selectFrom('suppliers')
        .select(['id', 'vat_number'])
        .where('vat_number', 'in', numbers)
        .where((eb) => seenBy(eb, stagingFileId))
        .orderBy('id')
        .execute();
      return rows.flatMap((row) => (row.vat_number ? [{ id: row.id, vat_number: row.vat_number }] : []));
    },

    /** The supplier each of these normalised names is an alias of (published, or staged by `stagingFileId`). */
    async findAliases(aliases: readonly string[], stagingFileId: number | null = null): Promise<{ alias: string; supplier_id: number }[]> {
      if (aliases.length === 0) return [];
      return db
        .selectFrom('supplier_aliases')
        .innerJoin('suppliers', 'suppliers.id', 'supplier_aliases.supplier_id')
        .select(['supplier_aliases.alias', 'supplier_aliases.supplier_id'])
        .where('supplier_aliases.alias', 'in', aliases)
        .where((eb) => seenBy(eb, stagingFileId))
        .execute();
    },

    /**
     * For all these blocks in one statement, up to `perBlock` published suppliers each whose normalised name
     * contains both of the block's words (through the trigram index), oldest first. Suppliers staged by an import in
     * progress are left out, so a file's candidates do not depend on how its rows fall into requests.
     */
    async findBlockCandidates(blocks: readonly (readonly [string, string])[], perBlock: number): Promise<BlockCandidate[]> {
      // Each word needs a trigram for the index to find it; words are upper-case letters and digits only.
      const usable = blocks.filter(([first, second]) => [first, second].every((word) => word.length >= 3 && /^[A-Z0-9]+$/.test(word)));
      if (usable.length === 0) return [];
      // The planner cannot see how few suppliers hold a word; the trigram index is always the way (this transaction only).
      await sql`select set_config('enable_seqscan', 'off', true)`.execute(db);
      const result = await sql<BlockCandidate>`
        select b.first || ' ' || b.second as block, c.id as supplier_id, c.name as candidate_raw_name, c.company_number, c.vat_number
        from unnest(${sql.val(usable.map(([first]) => first))}::text[], ${sql.val(usable.map(([, second]) => second))}::text[]) as b(first, second)
        cross join lateral (
          select s.id, s.name, s.company_number, s.vat_number
          from suppliers s
          where s.normalised_name like '%' || b.first || '%' and s.normalised_name like '%' || b.second || '%' and s.staged_file_id is null
          order by s.id
          limit ${perBlock}
        ) c
      `.execute(db);
      await sql`select set_config('enable_seqscan', 'on', true)`.execute(db);
      return result.rows;
    },

    /** Adds suppliers and returns their ids in the order given (staged ones carry `staged_file_id`). */
    async insertSuppliers(
      rows: readonly {
        name: string;
        normalised_name: string;
        company_number: string | null;
        vat_number: string | null;
        staged_file_id?: number | null;
      }[],
    ): Promise<number[]> {
      const ids: number[] = [];
      for (let start = 0; start < rows.length; start += 1000) {
        const inserted = await db
          .insertInto('suppliers')
          .values(rows.slice(start, start + 1000))
          .returning('id')
          .execute();
        ids.push(...inserted.map((row) => row.id));
      }
      return ids;
    },

    /** Records names as aliases of suppliers; an alias already held keeps its supplier. */
    async insertAliases(rows: readonly { alias: string; supplier_id: number; source: SupplierAliasSource }[]): Promise<void> {
      for (let start = 0; start < rows.length; start += 1000) {
        await db
          .insertInto('supplier_aliases')
          .values(rows.slice(start, start + 1000))
          .onConflict((oc) => oc.column('alias').doNothing())
          .execute();
      }
    },

    /** Queues uncertain matches for a person to decide. */
    async insertMatchReviews(
      rows: readonly {
        raw_name: string;
        normalised_name: string;
        supplier_id: number;
        candidate_supplier_id: number;
        similarity: number;
      }[],
    ): Promise<void> {
      for (let start = 0; start < rows.length; start += 1000) {
        await db
          .insertInto('supplier_match_reviews')
          .values(rows.slice(start, start + 1000))
          .onConflict((oc) => oc.columns(['supplier_id', 'candidate_supplier_id']).doNothing())
          .execute();
      }
    },

    /** Bulk-loads transactions given as COPY text (tab-separated, \N for null) in TRANSACTION_COPY_COLUMNS order. */
    async copyTransactions(text: string | Uint8Array<ArrayBuffer>): Promise<void> {
      await copyTextInto(db, 'spend_transactions', TRANSACTION_COPY_COLUMNS, text);
    },

    /** Adds a batch's group sums of a staging file (see migration 0095). */
    async copyStagedGroups(fileId: number, organisationId: number, groups: readonly StagedGroup[]): Promise<void> {
      if (groups.length === 0) return;
      let text = '';
      for (const [supplierId, month, expenseType, service, transactions, totalPence] of groups) {
        text += `${fileId}\t${organisationId}\t${supplierId ?? '\\N'}\t${month}\t${copyValue(expenseType)}\t${copyValue(service)}\t${transactions}\t${totalPence}\n`;
      }
      await copyTextInto(db, 'spend_staged_groups', STAGED_GROUP_COLUMNS, new TextEncoder().encode(text));
    },

    /**
     * Makes a staging file's rows count: its groups go into the summaries and its suppliers become everyone's. The
     * caller marks the file imported in the same transaction.
     */
    async publishStagedFile(fileId: number): Promise<void> {
      await sql`select spend_publish_staged_groups(${fileId}::int)`.execute(db);
      await db.updateTable('suppliers').set({ staged_file_id: null }).where('staged_file_id', '=', fileId).execute();
    },

    /** Deletes up to `limit` payments of a file and says how many went (a big file is removed in short steps). */
    async deleteFileTransactionsBatch(organisationId: number, fileId: number, limit: number): Promise<number> {
      const result = await sql`
        delete from spend_transactions
        where organisation_id = ${organisationId}
          and id in (select id from spend_transactions where file_id = ${fileId} and organisation_id = ${organisationId} limit ${limit})
      `.execute(db);
      return Number(result.numAffectedRows ?? 0);
    },

    /** Files whose import is writing rows, or was stopped while writing them. */
    async listStagingFiles(): Promise<{ id: number; organisation_id: number; sha256: string }[]> {
      return db
        .selectFrom('spend_files')
        .select(['id', 'organisation_id', 'sha256'])
        .where('status', '=', 'staging')
        .orderBy('id')
        .execute();
    },

    /** Recomputes the staged group sums of these suppliers from the payments of staging files (after a merge or split). */
    async rebuildStagedGroups(supplierIds: readonly number[]): Promise<void> {
      if (supplierIds.length === 0) return;
      await sql`
        delete from spend_staged_groups
        where supplier_id = any(${sql.val(supplierIds)}::int[]) and file_id in (select id from spend_files where status = 'staging')
      `.execute(db);
      await sql`
        insert into spend_staged_groups (file_id, organisation_id, supplier_id, month, expense_type, service, transactions, total_pence)
        select t.file_id, t.organisation_id, t.supplier_id, t.payment_date - (extract(day from t.payment_date)::int - 1), t.expense_type, t.service,
               count(*), sum(t.amount_pence)
        from spend_transactions t
        where t.supplier_id = any(${sql.val(supplierIds)}::int[]) and t.file_id in (select id from spend_files where status = 'staging')
        group by 1, 2, 3, 4, 5, 6
      `.execute(db);
    },

    /** Stores rejected rows of a file. */
    async insertRejects(
      rows: readonly { organisation_id: number; file_id: number; line: number; column_name: string | null; reason: string; raw: string }[],
    ): Promise<void> {
      for (let start = 0; start < rows.length; start += 1000) {
        await db
          .insertInto('spend_rejects')
          .values(rows.slice(start, start + 1000))
          .execute();
      }
    },

    /**
     * Adds a file's transactions to the monthly roll-ups, the breakdown and supplier totals, and marks its
     * organisation's concentration stale: once per file, in the same transaction as its rows (migration 0053).
     */
    async addFileToSummaries(fileId: number): Promise<void> {
      await sql`select spend_add_file_to_summaries(${fileId}::int)`.execute(db);
    },

    /** Rebuilds the roll-ups of some suppliers from their transactions (after a merge or split). */
    async rebuildSupplierRollups(supplierIds: readonly number[]): Promise<void> {
      if (supplierIds.length === 0) return;
      await db.deleteFrom('spend_monthly_rollups').where('supplier_id', 'in', supplierIds).execute();
      await sql`
        insert into spend_monthly_rollups (organisation_id, supplier_id, month, expense_type, transactions, total_pence)
        select organisation_id, supplier_id, date_trunc('month', payment_date)::date, expense_type, count(*), sum(amount_pence)
        from spend_transactions
        where supplier_id = any(${sql.val(supplierIds)}::int[])
          and file_id not in (select id from spend_files where status = 'staging')
        group by organisation_id, supplier_id, date_trunc('month', payment_date)::date, expense_type
      `.execute(db);
    },

    /** The saved column mapping of an organisation for files with these headers. */
    async findColumnMapping(organisationId: number, headersKey: string): Promise<Record<string, number | string> | undefined> {
      const row = await db
        .selectFrom('spend_column_mappings')
        .select('mapping')
        .where('organisation_id', '=', organisationId)
        .where('headers_key', '=', headersKey)
        .executeTakeFirst();
      return row?.mapping;
    },

    /** Saves (or replaces) an organisation's column mapping for files with these headers. */
    async saveColumnMapping(
      organisationId: number,
      headersKey: string,
      headers: readonly string[],
      mapping: Record<string, number | string>,
      now: Date,
    ): Promise<void> {
      await db
        .insertInto('spend_column_mappings')
        .values({
          organisation_id: organisationId,
          headers_key: headersKey,
          headers: JSON.stringify(headers),
          mapping: JSON.stringify(mapping),
          updated_at: now,
        })
        .onConflict((oc) =>
          oc.columns(['organisation_id', 'headers_key']).doUpdateSet({ mapping: JSON.stringify(mapping), updated_at: now }),
        )
        .execute();
    },

    /** Totals of an organisation's imported spend, and the dates its files cover (a file without dates, its period). */
    async summariseOrganisation(organisationId: number): Promise<SpendSummaryRow> {
      const result = await sql<SpendSummaryRow>`
        select coalesce(sum(transactions), 0)::int8 as transactions,
               coalesce(sum(total_pence), 0)::int8 as total_pence,
               (select min(${fileCoversFromSql})::text from spend_files where organisation_id = ${organisationId} and status = 'imported') as date_from,
               (select max(${fileCoversToSql})::text from spend_files where organisation_id = ${organisationId} and status = 'imported') as date_to,
               count(distinct supplier_id)::int8 as suppliers
        from spend_monthly_rollups
        where organisation_id = ${organisationId}
      `.execute(db);
      const row = result.rows[0];
      if (!row) throw new Error('summary query returned no row');
      return row;
    },

    /** How many files of an organisation were imported. */
    async countImportedFiles(organisationId: number): Promise<number> {
      const row = await db
        .selectFrom('spend_files')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('organisation_id', '=', organisationId)
        .where('status', '=', 'imported')
        .executeTakeFirstOrThrow();
      return row.count;
    },

    /** Rejected rows of a file, in line order. */
    async listRejects(fileId: number, page: { offset: number; limit: number }): Promise<{ total: number; rows: SpendRejectRow[] }> {
      const [count, rows] = await Promise.all([
        db
          .selectFrom('spend_rejects')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('file_id', '=', fileId)
          .executeTakeFirstOrThrow(),
        db
          .selectFrom('spend_rejects')
          .selectAll()
          .where('file_id', '=', fileId)
          .orderBy('line')
          .orderBy('id')
          .offset(page.offset)
          .limit(page.limit)
          .execute(),
      ]);
      return { total: count.count, rows };
    },

    /** Sums straight from the transactions of a file (the check roll-ups are tested against). */
    async sumFileTransactions(fileId: number): Promise<{ transactions: number; total_pence: number }> {
      const row = await db
        .selectFrom('spend_transactions')
        .select((eb) => [eb.fn.countAll<number>().as('transactions'), sql<number>`coalesce(sum(amount_pence), 0)::int8`.as('total_pence')])
        .where('file_id', '=', fileId)
        .executeTakeFirstOrThrow();
      return row;
    },

    /** One published supplier by id. */
    async findSupplierById(id: number): Promise<SupplierRow | undefined> {
      return db.selectFrom('suppliers').selectAll().where('id', '=', id).where('staged_file_id', 'is', null).executeTakeFirst();
    },

    /** The aliases of a supplier. */
    async listSupplierAliases(supplierId: number): Promise<{ alias: string; source: SupplierAliasSource }[]> {
      return db.selectFrom('supplier_aliases').select(['alias', 'source']).where('supplier_id', '=', supplierId).orderBy('alias').execute();
    },

    /** Distinct raw names under which a supplier was paid. */
    async listSupplierRawNames(supplierId: number): Promise<string[]> {
      const rows = await db
        .selectFrom('spend_transactions')
        .select('supplier_name')
        .distinct()
        .where('supplier_id', '=', supplierId)
        .execute();
      return rows.map((row) => row.supplier_name);
    },

    /** Points transactions paid to one supplier (optionally only under some raw names) at another. */
    async moveTransactions(fromSupplierId: number, toSupplierId: number, rawNames?: readonly string[]): Promise<number> {
      if (rawNames && rawNames.length === 0) return 0;
      const result = await db
        .updateTable('spend_transactions')
        .set({ supplier_id: toSupplierId })
        .where('supplier_id', '=', fromSupplierId)
        .$if(rawNames !== undefined, (query) => query.where('supplier_name', 'in', rawNames ?? []))
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /** Points aliases of one supplier (optionally only some) at another, marking them manual. */
    async moveAliases(fromSupplierId: number, toSupplierId: number, aliases?: readonly string[]): Promise<void> {
      if (aliases && aliases.length === 0) return;
      await db
        .updateTable('supplier_aliases')
        .set({ supplier_id: toSupplierId, source: 'manual' })
        .where('supplier_id', '=', fromSupplierId)
        .$if(aliases !== undefined, (query) => query.where('alias', 'in', aliases ?? []))
        .execute();
    },

    /** Settles reviews about a pair of suppliers (either way round). */
    async decideReviewsBetween(a: number, b: number, status: SupplierMatchReviewStatus, now: Date): Promise<void> {
      await db
        .updateTable('supplier_match_reviews')
        .set({ status, decided_at: now })
        .where((eb) =>
          eb.or([
            eb.and([eb('supplier_id', '=', a), eb('candidate_supplier_id', '=', b)]),
            eb.and([eb('supplier_id', '=', b), eb('candidate_supplier_id', '=', a)]),
          ]),
        )
        .where('status', '=', 'pending')
        .execute();
    },

    /** Deletes a supplier (its aliases and reviews cascade). */
    async deleteSupplier(id: number): Promise<void> {
      await db.deleteFrom('spend_monthly_rollups').where('supplier_id', '=', id).execute();
      await db.deleteFrom('suppliers').where('id', '=', id).execute();
    },

    /** One match review by id. */
    async findMatchReview(id: number) {
      return db.selectFrom('supplier_match_reviews').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** Settles one match review. */
    async decideReview(id: number, status: SupplierMatchReviewStatus, now: Date): Promise<void> {
      await db.updateTable('supplier_match_reviews').set({ status, decided_at: now }).where('id', '=', id).execute();
    },

    /** A page of pending match reviews, oldest first, with the names of both suppliers. */
    async listPendingReviewsWithNames(page: { offset: number; limit: number }) {
      const [count, rows] = await Promise.all([
        db
          .selectFrom('supplier_match_reviews as r')
          .innerJoin('suppliers as s', 's.id', 'r.supplier_id')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('r.status', '=', 'pending')
          .where('s.staged_file_id', 'is', null)
          .executeTakeFirstOrThrow(),
        db
          .selectFrom('supplier_match_reviews as r')
          .innerJoin('suppliers as s', 's.id', 'r.supplier_id')
          .innerJoin('suppliers as c', 'c.id', 'r.candidate_supplier_id')
          .select([
            'r.id',
            'r.raw_name',
            'r.similarity',
            'r.supplier_id',
            's.name as supplier_name',
            'r.candidate_supplier_id',
            'c.name as candidate_name',
            'c.company_number as candidate_company_number',
          ])
          .where('r.status', '=', 'pending')
          .where('s.staged_file_id', 'is', null)
          .orderBy('r.id')
          .offset(page.offset)
          .limit(page.limit)
          .execute(),
      ]);
      return { total: count.count, rows };
    },

    /** A page of suppliers (those whose normalised name contains `q`, when given), with names and payments counted. */
    async listSuppliers(filter: { q: string | null; offset: number; limit: number }) {
      const pattern = filter.q === null ? null : `%${filter.q.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
      let base = db.selectFrom('suppliers').where('suppliers.staged_file_id', 'is', null);
      if (pattern !== null) base = base.where('normalised_name', 'like', pattern);
      const [count, rows] = await Promise.all([
        base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
        base
          .select((eb) => [
            'suppliers.id',
            'suppliers.name',
            'suppliers.company_number',
            'suppliers.vat_number',
            eb
              .selectFrom('supplier_aliases')
              .select((inner) => inner.fn.countAll<number>().as('n'))
              .whereRef('supplier_aliases.supplier_id', '=', 'suppliers.id')
              .as('aliases'),
            eb
              .selectFrom('spend_monthly_rollups')
              .select(sql<number>`coalesce(sum(transactions), 0)::int8`.as('n'))
              .whereRef('spend_monthly_rollups.supplier_id', '=', 'suppliers.id')
              .as('payments'),
          ])
          .orderBy('suppliers.normalised_name')
          .orderBy('suppliers.id')
          .offset(filter.offset)
          .limit(filter.limit)
          .execute(),
      ]);
      return { total: count.count, rows };
    },

    /** Pending match reviews, oldest first. */
    async listPendingReviews(limit: number) {
      return db
        .selectFrom('supplier_match_reviews')
        .selectAll()
        .where('status', '=', 'pending')
        .where('supplier_id', 'not in', db.selectFrom('suppliers').select('id').where('staged_file_id', 'is not', null))
        .orderBy('id')
        .limit(limit)
        .execute();
    },

    /** True when a supplier has any transactions (used before deleting an empty one). */
    async supplierHasTransactions(id: number): Promise<boolean> {
      const row = await db
        .selectFrom('spend_transactions')
        .select(sql<SqlBool>`true`.as('found'))
        .where('supplier_id', '=', id)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}

export type SpendQueries = ReturnType<typeof createSpendQueries>;

/** The spend module's queries, and a way to run several of them in one transaction. */
export function createSpendRepository(db: Kysely<SpendDatabase>) {
  return {
    ...createSpendQueries(db),
    /** True when the database is PGlite, running in this thread (COPY and everything else wait for it here). */
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
