import { fileURLToPath } from 'node:url';
import { type Kysely, sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/support/engines.js';
import { stagingFileRecord } from '../../../test/support/spend-records.js';
import { useSpendServices } from '../../../test/support/spend.js';
import { moduleDatabase } from '../../app/database-schema.js';
import { fixedClock } from '../../../test/support/test-app.js';
import { up as repairSummaries } from '../../migrations/0174_spend_staged_rows_out_of_summary_triggers.js';
import { createSpendRepository, type SpendDatabase } from './spend.repository.js';
import { createSpendSuppliersService } from './spend-suppliers.service.js';

const TRAFFORD = fileURLToPath(new URL('../../../test/fixtures/spend/trafford/trafford-2014-09.csv', import.meta.url));

/**
 * Each summary compared with the same sums over the payments of visible files: rows in one and not the other, both
 * ways (a summary row whose sums fell back to zero counts as no row). Empty when they agree.
 */
const SUMMARIES_AGAINST_PAYMENTS = {
  breakdown: `
    select organisation_id, supplier_id, expense_type, service, transactions, total_pence from spend_breakdown_totals
    where transactions <> 0 or total_pence <> 0`,
  breakdownPayments: `
    select organisation_id, supplier_id, expense_type, service, count(*), sum(amount_pence) from visible group by 1, 2, 3, 4`,
  suppliers: `select supplier_id, transactions, total_pence from spend_supplier_totals where transactions <> 0 or total_pence <> 0`,
  suppliersPayments: `select supplier_id, count(*), sum(amount_pence) from visible where supplier_id is not null group by 1`,
  monthly: `
    select organisation_id, supplier_id, month, expense_type, transactions, total_pence from spend_monthly_rollups
    where transactions <> 0 or total_pence <> 0`,
  monthlyPayments: `
    select organisation_id, supplier_id, payment_date - (extract(day from payment_date)::int - 1), expense_type, count(*), sum(amount_pence)
    from visible group by 1, 2, 3, 4`,
  organisationMonths: `select organisation_id, month, transactions, total_pence from spend_organisation_month_totals`,
  organisationMonthsPayments: `
    select organisation_id, payment_date - (extract(day from payment_date)::int - 1), count(*), sum(amount_pence) from visible group by 1, 2`,
  organisationSuppliers: `select organisation_id, supplier_id, transactions, total_pence from spend_organisation_supplier_totals`,
  organisationSuppliersPayments: `select organisation_id, supplier_id, count(*), sum(amount_pence) from visible group by 1, 2`,
  organisationYears: `select organisation_id, supplier_id, year, expense_type, transactions, total_pence from spend_organisation_year_supplier_totals`,
  organisationYearsPayments: `
    select organisation_id, supplier_id, extract(year from payment_date)::int, expense_type, count(*), sum(amount_pence)
    from visible where supplier_id is not null group by 1, 2, 3, 4`,
  organisationBreakdowns: `select organisation_id, dimension, value, transactions, total_pence from spend_organisation_breakdown_totals`,
  organisationBreakdownsPayments: `
    select organisation_id, d.dimension, d.value, count(*), sum(amount_pence)
    from visible cross join lateral (values ('expense_type', expense_type), ('service', service)) d(dimension, value) group by 1, 2, 3`,
} as const;

const SUMMARY_NAMES = [
  'breakdown',
  'suppliers',
  'monthly',
  'organisationMonths',
  'organisationSuppliers',
  'organisationYears',
  'organisationBreakdowns',
] as const;

describeEachEngine('summaries after an abandoned import is discarded', ({ database }) => {
  const spend = useSpendServices(database);

  /** How many rows of each summary disagree with the payments of visible files. */
  async function disagreements(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const name of SUMMARY_NAMES) {
      const summary = SUMMARIES_AGAINST_PAYMENTS[name];
      const payments = SUMMARIES_AGAINST_PAYMENTS[`${name}Payments`];
      const result = await sql<{ count: string }>`
        with visible as (
          select t.* from spend_transactions t join spend_files f on f.id = t.file_id where f.status <> 'staging'
        )
        select count(*)::int8 as count from ((${sql.raw(summary)} except ${sql.raw(payments)})
          union all (${sql.raw(payments)} except ${sql.raw(summary)})) differing
      `.execute(spend.db());
      counts[name] = Number(result.rows[0]?.count);
    }
    return counts;
  }

  const clean = Object.fromEntries(SUMMARY_NAMES.map((name) => [name, 0]));
  let importedFileId: number | null = null;

  /** Trafford's file, imported once for the tests of this file; the summaries agree with it. */
  async function importOnce(): Promise<number> {
    if (importedFileId !== null) return importedFileId;
    const service = spend.spendService();
    const organisationId = await spend.organisationId('E08000009');
    const stored = await service.storeSpendFileFromPath(TRAFFORD);
    const imported = await service.importSpendFile({ organisationId, stored, fileName: 'trafford.csv' });
    expect(imported.status).toBe('imported');
    expect(await disagreements()).toEqual(clean);
    expect(imported.fileId).not.toBeNull();
    importedFileId = imported.fileId ?? 0;
    return importedFileId;
  }

  /**
   * What a kill part-way through a second import leaves: a staging file with a payment to a supplier the imported
   * file made (so already in the summaries) and one to a supplier of its own, and their group sums.
   */
  async function stageAbandonedImport(sha: string): Promise<{ fileId: number; knownSupplier: number }> {
    const importedId = await importOnce();
    const organisationId = await spend.organisationId('E08000009');
    const repository = createSpendRepository(moduleDatabase<SpendDatabase>(database().db));
    const known = await sql<{ supplier_id: number; expense_type: string | null; service: string | null }>`
      select supplier_id, expense_type, service from spend_transactions where file_id = ${importedId} and supplier_id is not null
      order by id limit 1
    `.execute(spend.db());
    const { supplier_id: knownSupplier, expense_type: expenseType, service: serviceName } = known.rows[0]!;
    const fileId = await repository.insertFile(
      stagingFileRecord(organisationId, { file_name: 'killed.csv', sha256: sha.repeat(64), byte_size: 10 }),
    );
    const [stagedSupplier] = await repository.insertSuppliers([
      { name: `Staged ${sha} Ltd`, normalised_name: `STAGED ${sha}`, company_number: null, vat_number: null, staged_file_id: fileId },
    ]);
    const text = (value: string | null) => value ?? '\\N';
    const rows = [
      `${organisationId}\t${fileId}\t2\t2014-09-05\tday\t\\N\t${knownSupplier}\tKnown\tf\t7000000\t\\N\t${text(serviceName)}\t${text(expenseType)}\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N`,
      `${organisationId}\t${fileId}\t3\t2014-09-06\tday\t\\N\t${stagedSupplier}\tStaged\tf\t50000\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N`,
    ];
    await repository.copyTransactions(new TextEncoder().encode(`${rows.join('\n')}\n`));
    await repository.copyStagedGroups(fileId, organisationId, [
      [knownSupplier, '2014-09-01', expenseType, serviceName, 1, 7000000],
      [stagedSupplier ?? null, '2014-09-01', null, null, 1, 50000],
    ]);
    expect(await disagreements()).toEqual(clean);
    return { fileId, knownSupplier };
  }

  /** How many breakdown rows count fewer than no payments. */
  async function negativeBreakdownRows(): Promise<number> {
    // Refunds make negative sums of pence, never of payments.
    const result = await sql<{ count: string }>`
      select count(*)::int8 as count from spend_breakdown_totals where transactions < 0
    `.execute(spend.db());
    return Number(result.rows[0]?.count);
  }

  it('keeps every summary equal to the sums over the remaining payments', async () => {
    await stageAbandonedImport('b');
    expect(await spend.spendService().discardAbandonedImports()).toBe(1);
    expect(await disagreements()).toEqual(clean);
    expect(await negativeBreakdownRows()).toBe(0);
  });

  it('leaves the summaries alone when a merge moves payments of a staging file, and when the file is then discarded', async () => {
    const { knownSupplier } = await stageAbandonedImport('c');
    const other = await sql<{ supplier_id: number }>`
      select supplier_id from spend_supplier_totals where supplier_id <> ${knownSupplier} and transactions > 0 order by supplier_id limit 1
    `.execute(spend.db());
    await createSpendSuppliersService({
      spendRepository: createSpendRepository(moduleDatabase(database().db)),
      clock: fixedClock,
    }).mergeSuppliers({
      from: [knownSupplier],
      into: other.rows[0]!.supplier_id,
    });
    expect(await disagreements()).toEqual(clean);
    expect(await spend.spendService().discardAbandonedImports()).toBe(1);
    expect(await disagreements()).toEqual(clean);
    expect(await negativeBreakdownRows()).toBe(0);
  });

  it('repairs breakdown and supplier totals that earlier discards left wrong (migration 0174)', async () => {
    await importOnce();
    const db = spend.db();
    // What the trigger did before 0174: a discarded payment taken out of a row that had it not, and one out of no row.
    await sql`
      update spend_breakdown_totals set transactions = transactions - 1, total_pence = total_pence - 7000000
      where (organisation_id, supplier_id) = (select organisation_id, supplier_id from spend_breakdown_totals where supplier_id is not null order by 1, 2 limit 1)
    `.execute(db);
    await sql`
      insert into spend_breakdown_totals (organisation_id, supplier_id, expense_type, service, transactions, total_pence)
      select organisation_id, supplier_id, 'Never paid', null, -1, -50000 from spend_breakdown_totals where supplier_id is not null order by 1, 2 limit 1
    `.execute(db);
    await sql`update spend_supplier_totals set transactions = transactions - 2, total_pence = total_pence - 7050000
      where supplier_id = (select min(supplier_id) from spend_breakdown_totals)`.execute(db);
    expect((await disagreements()).breakdown).toBeGreaterThan(0);

    await repairSummaries(database().db as unknown as Kysely<unknown>);
    expect(await disagreements()).toEqual(clean);
    expect(await negativeBreakdownRows()).toBe(0);
  });
});
