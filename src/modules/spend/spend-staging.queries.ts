import { CompiledQuery, type DatabaseConnection, type Kysely, sql } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import type { StagedGroup } from './spend-copy-chunks.js';
import type { SpendDatabase } from './spend.repository.js';
import { settleSupplierNameIndexes } from './spend-supplier-lookup.queries.js';

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

/** A PGlite connection as kysely-pglite-dialect builds it: its PGlite instance is the public `client`. */
interface PGliteLikeConnection {
  client: { query(text: string, params: unknown[], options: { blob: Blob }): Promise<unknown> };
}

export function isPGliteConnection(connection: DatabaseConnection): connection is DatabaseConnection & PGliteLikeConnection {
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

/** The queries that write a file's payments while it is staged (COPY of payments and group sums), publish it, and clear a staged file away. */
export function createSpendStagingQueries(db: Kysely<SpendDatabase>) {
  return {
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
      await settleSupplierNameIndexes(db);
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
  };
}

export type SpendStagingQueries = ReturnType<typeof createSpendStagingQueries>;
