import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { moduleDatabase } from '../../app/database-schema.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { organisationId } from '../../../test/support/factories.js';
import { insertSyntheticPayments, type SyntheticPayment } from '../spend/index.js';
import { createSpendAnalysisRepository } from './spend-intelligence.repository.js';
import type { SpendAnalysisTables } from './spend-intelligence.tables.js';

describeEachEngine('council queries over the organisation totals', ({ database }) => {
  let repository: ReturnType<typeof createSpendAnalysisRepository>;
  let councils: number[];
  let supplierIds: Map<string, number>;

  beforeAll(async () => {
    const db = database().db;
    repository = createSpendAnalysisRepository(moduleDatabase<SpendAnalysisTables>(db));
    councils = [await organisationId(db, 'E07000178'), await organisationId(db, 'E10000008')];
    const [oxford = 0, devon = 0] = councils;
    const payments: SyntheticPayment[] = [
      { organisationId: oxford, supplier: 'Alpha Ltd', date: '2023-01-05', pence: 5000, expenseType: 'Software' },
      { organisationId: oxford, supplier: 'Alpha Ltd', date: '2023-02-05', pence: 7000, expenseType: 'Hardware' },
      { organisationId: oxford, supplier: 'Beta plc', date: '2023-02-09', pence: 9000, expenseType: 'Software' },
      { organisationId: oxford, supplier: 'Gamma LLP', date: '2023-03-01', pence: 3000, expenseType: 'Legal' },
      { organisationId: oxford, supplier: 'Delta Ltd', date: '2023-03-02', pence: 3000, expenseType: 'Legal' },
      { organisationId: oxford, supplier: 'Epsilon Ltd', date: '2023-03-03', pence: -200, expenseType: 'Legal' },
      { organisationId: oxford, supplier: null, date: '2023-03-04', pence: 800, expenseType: 'Care' },
      { organisationId: devon, supplier: 'Alpha Ltd', date: '2023-01-20', pence: 1000, expenseType: 'Software' },
      { organisationId: devon, supplier: null, date: '2023-04-20', pence: 400 },
    ];
    ({ suppliers: supplierIds } = await insertSyntheticPayments(moduleDatabase(db), payments));
  });

  /** A council's suppliers by amount straight from its payments: the answer the council pages must give. */
  async function suppliersFromPayments(organisation: number) {
    const result = await sql<{ supplier_id: number; key: string; transactions: number; total_pence: number }>`
      select t.supplier_id, s.name as key, count(*)::int8 as transactions, sum(t.amount_pence)::int8 as total_pence
      from spend_transactions t join suppliers s on s.id = t.supplier_id
      where t.organisation_id = ${organisation}
      group by t.supplier_id, s.name order by 4 desc, 1
    `.execute(database().db);
    return result.rows;
  }

  it('pages a council’s suppliers by amount, with their count, as its payments give them', async () => {
    const [oxford = 0] = councils;
    const expected = await suppliersFromPayments(oxford);
    expect(expected.map((row) => row.key)).toEqual(['Alpha Ltd', 'Beta plc', 'Gamma LLP', 'Delta Ltd', 'Epsilon Ltd']);
    expect(await repository.listOrganisationSuppliers(oxford, undefined, { offset: 0, limit: 2 })).toEqual({
      total: 5,
      rows: expected.slice(0, 2),
    });
    expect(await repository.listOrganisationSuppliers(oxford, undefined, { offset: 2, limit: 10 })).toEqual({
      total: 5,
      rows: expected.slice(2),
    });
    expect(await repository.listOrganisationSuppliers(oxford, undefined, { offset: 10, limit: 10 })).toEqual({ total: 0, rows: [] });
    expect(await repository.listOrganisationSuppliers(oxford, 'legal', { offset: 0, limit: 10 })).toMatchObject({ total: 3 });
  });

  it('totals councils, with all spend or one supplier, and counts named suppliers only', async () => {
    const [oxford = 0, devon = 0] = councils;
    const totals = await repository.listOrganisationTotalsFor(councils);
    expect(totals.sort((a, b) => a.organisation_id - b.organisation_id)).toEqual(
      [
        { organisation_id: oxford, transactions: 7, total_pence: 27600, suppliers: 5 },
        { organisation_id: devon, transactions: 2, total_pence: 1400, suppliers: 1 },
      ].sort((a, b) => a.organisation_id - b.organisation_id),
    );
    const alpha = supplierIds.get('Alpha Ltd') ?? 0;
    const withAlpha = await repository.listOrganisationTotalsFor(councils, { supplierId: alpha });
    expect(withAlpha.find((row) => row.organisation_id === oxford)).toEqual({
      organisation_id: oxford,
      transactions: 2,
      total_pence: 12000,
      suppliers: 1,
    });
  });

  it('gives a council’s months from the month totals as its payments add up', async () => {
    const [oxford = 0, devon = 0] = councils;
    const byMonthThenCouncil = (a: { key: string; organisation_id: number }, b: { key: string; organisation_id: number }) =>
      a.key.localeCompare(b.key) || a.organisation_id - b.organisation_id;
    expect(await repository.listOrganisationMonths(councils)).toEqual(
      [
        { organisation_id: oxford, key: '2023-01', transactions: 1, total_pence: 5000 },
        { organisation_id: devon, key: '2023-01', transactions: 1, total_pence: 1000 },
        { organisation_id: oxford, key: '2023-02', transactions: 2, total_pence: 16000 },
        { organisation_id: oxford, key: '2023-03', transactions: 4, total_pence: 6600 },
        { organisation_id: devon, key: '2023-04', transactions: 1, total_pence: 400 },
      ].sort(byMonthThenCouncil),
    );
  });
});
