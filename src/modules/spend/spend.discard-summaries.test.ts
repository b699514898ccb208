import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/support/engines.js';
import { useSpendServices } from '../../../test/support/spend.js';
import { moduleDatabase } from '../../app/database-schema.js';
import { createSpendRepository, type SpendDatabase } from './spend.repository.js';

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
} as const;

const SUMMARY_NAMES = ['breakdown', 'suppliers', 'monthly', 'organisationMonths', 'organisationSuppliers'] as const;

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

  it('keeps every summary equal to the sums over the remaining payments', async () => {
    const service = spend.spendService();
    const organisationId = await spend.organisationId('E08000009');
    const stored = await service.storeSpendFileFromPath(TRAFFORD);
    const imported = await service.importSpendFile({ organisationId, stored, fileName: 'trafford.csv' });
    expect(imported.status).toBe('imported');
    const clean = Object.fromEntries(SUMMARY_NAMES.map((name) => [name, 0]));
    expect(await disagreements()).toEqual(clean);

    // What a kill part-way through a second import leaves: a staging file with payments to a supplier the first file
    // made (so already in the summaries) and to a supplier of its own, and their group sums.
    const repository = createSpendRepository(moduleDatabase<SpendDatabase>(database().db));
    const known = await sql<{ supplier_id: number; expense_type: string | null; service: string | null }>`
      select supplier_id, expense_type, service from spend_transactions where file_id = ${imported.fileId} and supplier_id is not null
      order by id limit 1
    `.execute(spend.db());
    const { supplier_id: knownSupplier, expense_type: expenseType, service: serviceName } = known.rows[0]!;
    const fileId = await repository.insertFile({
      organisation_id: organisationId,
      file_name: 'killed.csv',
      sha256: 'b'.repeat(64),
      byte_size: 10,
      stored_path: `spend/${'b'.repeat(64)}`,
      status: 'staging',
      error: null,
      layout: null,
      mapping: null,
      period_from: null,
      period_to: null,
      warnings: [],
      imported_at: new Date(),
      imported_by: null,
    });
    const [stagedSupplier] = await repository.insertSuppliers([
      { name: 'Staged Supplier Ltd', normalised_name: 'STAGED SUPPLIER', company_number: null, vat_number: null, staged_file_id: fileId },
    ]);
    const text = (value: string | null) => value ?? '\\N';
    const rows = [
      `${organisationId}\t${fileId}\t2\t2014-09-05\tday\t\\N\t${knownSupplier}\tKnown\tf\t7000000\t\\N\t${text(serviceName)}\t${text(expenseType)}\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N`,
      `${organisationId}\t${fileId}\t3\t2014-09-06\tday\t\\N\t${stagedSupplier}\tStaged Supplier Ltd\tf\t50000\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N`,
    ];
    await repository.copyTransactions(new TextEncoder().encode(`${rows.join('\n')}\n`));
    await repository.copyStagedGroups(fileId, organisationId, [
      [knownSupplier, '2014-09-01', expenseType, serviceName, 1, 7000000],
      [stagedSupplier ?? null, '2014-09-01', null, null, 1, 50000],
    ]);
    expect(await disagreements()).toEqual(clean);

    expect(await service.discardAbandonedImports()).toBe(1);
    expect(await disagreements()).toEqual(clean);
    // Refunds make negative sums of pence, never of payments.
    const negative = await sql<{ count: string }>`
      select count(*)::int8 as count from spend_breakdown_totals where transactions < 0
    `.execute(spend.db());
    expect(Number(negative.rows[0]?.count)).toBe(0);
  });
});
