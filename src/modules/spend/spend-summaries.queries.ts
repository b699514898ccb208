import { type Kysely, sql } from 'kysely';
import type { SpendDatabase, SpendSummaryRow } from './spend.repository.js';
import { fileCoversFromSql, fileCoversToSql } from './spend-file-dates.js';

/** The queries of the summaries: adding a file to the roll-ups, rebuilding suppliers' roll-ups, and an organisation's totals. */
export function createSpendSummaryQueries(db: Kysely<SpendDatabase>) {
  return {
    /**
     * Adds a file's transactions to the monthly roll-ups, the breakdown and supplier totals, and marks its
     * organisation's concentration stale: once per file, in the same transaction as its rows (migration 0053).
     */
    async addFileToSummaries(fileId: number): Promise<void> {
      await sql`select spend_add_file_to_summaries(${fileId}::int)`.execute(db);
    },

    /** Rebuilds the roll-ups and organisation totals of some suppliers from their transactions (after a merge or split). */
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
      // The organisation × supplier totals (0173) of these suppliers, from the roll-ups just rebuilt.
      await db.deleteFrom('spend_organisation_supplier_totals').where('supplier_id', 'in', supplierIds).execute();
      await sql`
        insert into spend_organisation_supplier_totals (organisation_id, supplier_id, transactions, total_pence)
        select organisation_id, supplier_id, sum(transactions), sum(total_pence) from spend_monthly_rollups
        where supplier_id = any(${sql.val(supplierIds)}::int[])
        group by organisation_id, supplier_id
      `.execute(db);
      // And their yearly totals per expense type (0177); the breakdowns by expense type and service name no supplier.
      await db.deleteFrom('spend_organisation_year_supplier_totals').where('supplier_id', 'in', supplierIds).execute();
      await sql`
        insert into spend_organisation_year_supplier_totals (organisation_id, supplier_id, year, expense_type, transactions, total_pence)
        select organisation_id, supplier_id, extract(year from month)::int, expense_type, sum(transactions), sum(total_pence)
        from spend_monthly_rollups
        where supplier_id = any(${sql.val(supplierIds)}::int[])
        group by 1, 2, 3, 4
      `.execute(db);
    },

    /** Totals of an organisation's imported spend, and the dates its files cover (a file without dates, its period). */
    async summariseOrganisation(organisationId: number): Promise<SpendSummaryRow> {
      // From the organisation totals (0173): a row per month and per supplier, not every roll-up group.
      const result = await sql<SpendSummaryRow>`
        select coalesce(sum(transactions), 0)::int8 as transactions,
               coalesce(sum(total_pence), 0)::int8 as total_pence,
               (select min(${fileCoversFromSql})::text from spend_files where organisation_id = ${organisationId} and status = 'imported') as date_from,
               (select max(${fileCoversToSql})::text from spend_files where organisation_id = ${organisationId} and status = 'imported') as date_to,
               (select count(supplier_id) from spend_organisation_supplier_totals where organisation_id = ${organisationId})::int8 as suppliers
        from spend_organisation_month_totals
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

    /** Sums straight from the transactions of a file (the check roll-ups are tested against). */
    async sumFileTransactions(fileId: number): Promise<{ transactions: number; total_pence: number }> {
      const row = await db
        .selectFrom('spend_transactions')
        .select((eb) => [eb.fn.countAll<number>().as('transactions'), sql<number>`coalesce(sum(amount_pence), 0)::int8`.as('total_pence')])
        .where('file_id', '=', fileId)
        .executeTakeFirstOrThrow();
      return row;
    },
  };
}

export type SpendSummaryQueries = ReturnType<typeof createSpendSummaryQueries>;
