import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { moduleDatabase } from '../../app/database-schema.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { organisationId } from '../../../test/support/factories.js';
import { insertSyntheticPayments, type SyntheticPayment } from '../spend/index.js';
import { createSpendAnalysisRepository, type YearlyLeaderRow } from './spend-intelligence.repository.js';

/**
 * The council page's yearly leaders (each expense type's biggest supplier in each year, and the year's total) read
 * through the leader index (migration 0179), checked against a ranking of the yearly supplier totals done here.
 */
describeEachEngine('yearly leaders of a council', ({ database }) => {
  let council: number;

  beforeAll(async () => {
    const db = database().db;
    council = await organisationId(db, 'E07000178');
    const payment = (supplier: string | null, date: string, pounds: number, expenseType: string | null): SyntheticPayment => ({
      organisationId: council,
      supplier,
      date,
      pence: pounds * 100,
      expenseType,
      service: 'Any',
    });
    await insertSyntheticPayments(moduleDatabase(db), [
      // Waste: Wessex leads 2021 on two payments; 2022 is a tie, which the lower supplier id (Wessex, made first) wins.
      payment('Wessex Waste', '2021-01-10', 500, 'Waste'),
      payment('Wessex Waste', '2021-07-10', 400, 'Waste'),
      payment('Small Skips', '2021-02-10', 800, 'Waste'),
      payment('Small Skips', '2022-03-10', 300, 'Waste'),
      payment('Wessex Waste', '2022-03-11', 300, 'Waste'),
      // No expense type: its own group, led by Beta.
      payment('Alpha Systems', '2021-05-01', 100, null),
      payment('Beta Data', '2021-05-02', 250, null),
      // A redacted payee counts in the year's total, and never leads.
      payment(null, '2021-05-03', 9000, null),
      // Refunds only: nothing paid, so no leader.
      payment('Delta Refunds', '2021-06-01', -50, 'Refunds'),
    ]);
  });

  it('names the biggest supplier of each expense type and year, as a ranking of the yearly totals does', async () => {
    const db = database().db;
    const leaders = await createSpendAnalysisRepository(moduleDatabase(db)).listOrganisationYearlyLeaders(council);
    const rows = await sql<{ expense_type: string | null; year: number; supplier_id: number; total_pence: number | string }>`
      select expense_type, year, supplier_id, total_pence::int8 as total_pence
      from spend_organisation_year_supplier_totals where organisation_id = ${council} and total_pence > 0
    `.execute(db);
    const names = new Map(
      (await sql<{ id: number; name: string }>`select id, name from suppliers`.execute(db)).rows.map((row) => [row.id, row.name]),
    );
    const groups = new Map<string, { expense_type: string | null; year: number; supplier_id: number; total_pence: number | string }[]>();
    for (const row of rows.rows) {
      const key = `${row.expense_type ?? '\u0000'}|${row.year}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    const expected: YearlyLeaderRow[] = [...groups.values()]
      .map((group) => {
        const top = [...group].sort((a, b) => Number(b.total_pence) - Number(a.total_pence) || a.supplier_id - b.supplier_id)[0];
        if (!top) throw new Error('empty group');
        return {
          expense_type: top.expense_type,
          year: top.year,
          supplier_id: top.supplier_id,
          supplier_name: names.get(top.supplier_id) ?? '',
          supplier_pence: Number(top.total_pence),
          year_pence: group.reduce((sum, row) => sum + Number(row.total_pence), 0),
        };
      })
      .sort((a, b) => (a.expense_type ?? '\uffff').localeCompare(b.expense_type ?? '\uffff') || a.year - b.year);
    // A driver may give int8 sums as text.
    const actual = leaders.map((row) => ({
      ...row,
      supplier_pence: Number(row.supplier_pence as number | string),
      year_pence: Number(row.year_pence as number | string),
    }));
    expect(actual).toEqual(expected);
    expect(actual.map((row) => [row.expense_type, row.year, row.supplier_name])).toEqual([
      ['Waste', 2021, 'Wessex Waste'],
      ['Waste', 2022, 'Wessex Waste'],
      [null, 2021, 'Beta Data'],
    ]);
  });
});
