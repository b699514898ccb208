import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { moduleDatabase } from '../../app/database-schema.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { useSpendServices } from '../../../test/support/spend.js';
import { fixedClock } from '../../../test/support/test-app.js';
import { createSpendRepository } from './spend.repository.js';
import { createSpendSuppliersService } from './spend-suppliers.service.js';
import { createSpendWithdrawalsService, type SpendWithdrawalsService } from './spend-withdrawals.service.js';
import type { SpendService } from './spend.service.js';
import { insertSyntheticPayments } from './synthetic-spend.js';

const HEADER = 'Payment Date,Supplier Name,Amount,Expense Type,Service';
const APRIL = [
  '03/04/2024,ACME SUPPLIES LTD,1000.00,Stationery,Finance',
  '04/04/2024,NORTHERN BUSES PLC,2500.00,Transport,Education',
  '05/04/2024,ACME SUPPLIES LTD,300.50,Stationery,Housing',
];
const MAY = ['03/05/2024,ACME SUPPLIES LTD,700.00,Stationery,Finance', '09/05/2024,BLUE SKY CARE LIMITED,5000.00,Care,Adults'];
const MAY_CORRECTED = [
  ...MAY.slice(0, 1),
  '09/05/2024,BLUE SKY CARE LIMITED,4500.00,Care,Adults',
  '20/05/2024,NORTHERN BUSES PLC,800.00,Transport,Education',
  '28/05/2024,ZENITH PAPER COMPANY,120.00,Stationery,Finance',
];
const OTHER_COUNCIL = [
  '28/12/2023,ACME SUPPLIES LTD,250.00,Stationery,Finance',
  '10/04/2024,ACME SUPPLIES LTD,4000.00,Stationery,Finance',
  '11/06/2024,NORTHERN BUSES PLC,90.00,Transport,Education',
];

describeEachEngine('the organisation month, supplier, year and breakdown totals', ({ database }) => {
  const { organisationId, spendService } = useSpendServices(database);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-organisation-totals-'));
  const write = (name: string, rows: string[]) => {
    const file = path.join(folder, name);
    fs.writeFileSync(file, [HEADER, ...rows].join('\n'));
    return file;
  };
  let service: SpendService;
  let withdrawals: SpendWithdrawalsService;
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));
  beforeAll(() => {
    service = spendService();
    withdrawals = createSpendWithdrawalsService({
      spendRepository: createSpendRepository(moduleDatabase(database().db)),
      spendService: service,
      clock: fixedClock,
    });
  });

  /** The two tables, and the same sums computed from the payments of visible files: they must be equal. */
  async function totalsAndPayments() {
    const db = database().db;
    const rows = async (query: ReturnType<typeof sql>) => (await query.execute(db)).rows;
    const visible = sql`file_id in (select id from spend_files where status = 'imported')`;
    return {
      months: await rows(sql`select organisation_id, to_char(month, 'YYYY-MM') as month, transactions::int8 as n, total_pence::int8 as p
        from spend_organisation_month_totals order by 1, 2`),
      monthsFromPayments:
        await rows(sql`select organisation_id, to_char(payment_date, 'YYYY-MM') as month, count(*)::int8 as n, sum(amount_pence)::int8 as p
        from spend_transactions where ${visible} group by 1, 2 order by 1, 2`),
      suppliers: await rows(sql`select organisation_id, supplier_id, transactions::int8 as n, total_pence::int8 as p
        from spend_organisation_supplier_totals order by 1, 2`),
      suppliersFromPayments: await rows(sql`select organisation_id, supplier_id, count(*)::int8 as n, sum(amount_pence)::int8 as p
        from spend_transactions where ${visible} group by 1, 2 order by 1, 2`),
      years: await rows(sql`select organisation_id, supplier_id, year, expense_type, transactions::int8 as n, total_pence::int8 as p
        from spend_organisation_year_supplier_totals order by 1, 2, 3, 4`),
      yearsFromPayments: await rows(sql`select organisation_id, supplier_id, extract(year from payment_date)::int as year, expense_type,
        count(*)::int8 as n, sum(amount_pence)::int8 as p
        from spend_transactions where ${visible} and supplier_id is not null group by 1, 2, 3, 4 order by 1, 2, 3, 4`),
      breakdowns: await rows(sql`select organisation_id, dimension, value, transactions::int8 as n, total_pence::int8 as p
        from spend_organisation_breakdown_totals order by 1, 2, 3`),
      breakdownsFromPayments: await rows(sql`
        select organisation_id, dimension, value, count(*)::int8 as n, sum(amount_pence)::int8 as p
        from spend_transactions cross join lateral (values ('expense_type', expense_type), ('service', service)) d(dimension, value)
        where ${visible} group by 1, 2, 3 order by 1, 2, 3`),
    };
  }

  async function expectTotalsMatchPayments() {
    const figures = await totalsAndPayments();
    expect(figures.monthsFromPayments.length).toBeGreaterThan(0);
    expect(figures.months).toEqual(figures.monthsFromPayments);
    expect(figures.suppliers).toEqual(figures.suppliersFromPayments);
    expect(figures.years).toEqual(figures.yearsFromPayments);
    expect(figures.breakdowns).toEqual(figures.breakdownsFromPayments);
    return figures;
  }

  const importFile = async (gss: string, name: string, rows: string[]) => {
    const outcome = await service.importSpendFile({ organisationId: await organisationId(gss), path: write(name, rows), fileName: name });
    expect(outcome.status).toBe('imported');
    return outcome.fileId ?? 0;
  };
  const fileId = async (name: string) =>
    (await sql<{ id: number }>`select id from spend_files where file_name = ${name}`.execute(database().db)).rows[0]?.id ?? 0;

  it('adds each imported file to its organisation’s month and supplier totals', async () => {
    await importFile('E08000006', 'april.csv', APRIL);
    await importFile('E08000006', 'may.csv', MAY);
    await importFile('E08000035', 'other.csv', OTHER_COUNCIL);
    const figures = await expectTotalsMatchPayments();
    const salford = await organisationId('E08000006');
    expect(figures.months.filter((row) => (row as { organisation_id: number }).organisation_id === salford)).toEqual([
      { organisation_id: salford, month: '2024-04', n: 3, p: 380050 },
      { organisation_id: salford, month: '2024-05', n: 2, p: 570000 },
    ]);
    const leeds = await organisationId('E08000035');
    const ofLeeds = (rows: unknown[]) => rows.filter((row) => (row as { organisation_id: number }).organisation_id === leeds);
    expect(ofLeeds(figures.years).map((row) => (row as { year: number; p: number }).year)).toEqual([2023, 2024, 2024]);
    expect(ofLeeds(figures.breakdowns)).toEqual([
      { organisation_id: leeds, dimension: 'expense_type', value: 'Stationery', n: 2, p: 425000 },
      { organisation_id: leeds, dimension: 'expense_type', value: 'Transport', n: 1, p: 9000 },
      { organisation_id: leeds, dimension: 'service', value: 'Education', n: 1, p: 9000 },
      { organisation_id: leeds, dimension: 'service', value: 'Finance', n: 2, p: 425000 },
    ]);
  });

  it('takes a withdrawn file out, deleting the rows it leaves at nothing', async () => {
    await withdrawals.withdrawSpendFile({ fileId: await fileId('april.csv'), reason: 'wrong month' });
    const figures = await expectTotalsMatchPayments();
    const salford = await organisationId('E08000006');
    expect(figures.months.filter((row) => (row as { organisation_id: number }).organisation_id === salford)).toEqual([
      { organisation_id: salford, month: '2024-05', n: 2, p: 570000 },
    ]);
  });

  it('swaps a replaced file’s payments for its replacement’s', async () => {
    const { outcome, replaced } = await withdrawals.replaceSpendFile({
      fileId: await fileId('may.csv'),
      input: { path: write('may-corrected.csv', MAY_CORRECTED), fileName: 'may-corrected.csv' },
    });
    expect([outcome.status, replaced?.status]).toEqual(['imported', 'withdrawn']);
    const figures = await expectTotalsMatchPayments();
    expect(figures.suppliers.length).toBeGreaterThan(3);
  });

  it('moves a merged supplier’s totals to the supplier it was merged into', async () => {
    const db = database().db;
    const idOf = async (name: string) =>
      (await sql<{ id: number }>`select id from suppliers where name = ${name}`.execute(db)).rows[0]?.id ?? 0;
    const into = await idOf('ACME SUPPLIES LTD');
    const from = await idOf('ZENITH PAPER COMPANY');
    expect(from).toBeGreaterThan(0);
    await createSpendSuppliersService({ spendRepository: createSpendRepository(moduleDatabase(db)), clock: fixedClock }).mergeSuppliers({
      from: [from],
      into,
    });
    const figures = await expectTotalsMatchPayments();
    expect(figures.suppliers.some((row) => (row as { supplier_id: number }).supplier_id === from)).toBe(false);
  });

  it('adds payments written by the summary function directly, redacted payees in one row per organisation', async () => {
    const organisation = await organisationId('E08000009');
    await insertSyntheticPayments(moduleDatabase(database().db), [
      { organisationId: organisation, supplier: null, date: '2024-07-02', pence: 1000 },
      { organisationId: organisation, supplier: null, date: '2024-07-09', pence: 2000, expenseType: 'Care' },
      { organisationId: organisation, supplier: 'ACME SUPPLIES LTD', date: '2024-08-01', pence: 500 },
    ]);
    const figures = await expectTotalsMatchPayments();
    expect(figures.suppliers.filter((row) => (row as { organisation_id: number }).organisation_id === organisation)).toContainEqual({
      organisation_id: organisation,
      supplier_id: null,
      n: 2,
      p: 3000,
    });
  });
});
