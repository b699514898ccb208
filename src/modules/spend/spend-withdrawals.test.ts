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
import { createSpendWithdrawalsService, type SpendWithdrawalsService } from './spend-withdrawals.service.js';
import type { SpendService } from './spend.service.js';

const HEADER = 'Payment Date,Supplier Name,Amount,Expense Type,Service';
const APRIL = [
  '03/04/2024,ACME SUPPLIES LTD,1000.00,Stationery,Finance',
  '04/04/2024,NORTHERN BUSES PLC,2500.00,Transport,Education',
  '05/04/2024,ACME SUPPLIES LTD,300.50,Stationery,Housing',
];
const MAY = ['03/05/2024,ACME SUPPLIES LTD,700.00,Stationery,Finance', '09/05/2024,BLUE SKY CARE LIMITED,5000.00,Care,Adults'];
// The corrected May file: one amount fixed, one payment added.
const MAY_CORRECTED = [
  ...MAY.slice(0, 1),
  '09/05/2024,BLUE SKY CARE LIMITED,4500.00,Care,Adults',
  '20/05/2024,NORTHERN BUSES PLC,800.00,Transport,Education',
];

describeEachEngine('withdrawing and replacing spend files', ({ database }) => {
  const { organisationId, spendService } = useSpendServices(database);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-withdraw-'));
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

  /** Every summary, and the same figures computed from the transactions that remain: they must be equal. */
  async function summariesAndTransactions() {
    const db = database().db;
    const rows = async (query: ReturnType<typeof sql>) => (await query.execute(db)).rows;
    return {
      monthly:
        await rows(sql`select organisation_id, supplier_id, to_char(month, 'YYYY-MM') as month, expense_type, sum(transactions)::int8 as n, sum(total_pence)::int8 as p
        from spend_monthly_rollups where transactions <> 0 or total_pence <> 0 group by 1, 2, 3, 4 order by 1, 2, 3, 4`),
      monthlyFromTransactions:
        await rows(sql`select organisation_id, supplier_id, to_char(payment_date, 'YYYY-MM') as month, expense_type, count(*)::int8 as n, sum(amount_pence)::int8 as p
        from spend_transactions group by 1, 2, 3, 4 order by 1, 2, 3, 4`),
      breakdown: await rows(sql`select organisation_id, supplier_id, expense_type, service, transactions::int8 as n, total_pence::int8 as p
        from spend_breakdown_totals where transactions <> 0 or total_pence <> 0 order by 1, 2, 3, 4`),
      breakdownFromTransactions:
        await rows(sql`select organisation_id, supplier_id, expense_type, service, count(*)::int8 as n, sum(amount_pence)::int8 as p
        from spend_transactions group by 1, 2, 3, 4 order by 1, 2, 3, 4`),
      suppliers: await rows(
        sql`select supplier_id, transactions::int8 as n, total_pence::int8 as p from spend_supplier_totals where transactions <> 0 order by 1`,
      ),
      suppliersFromTransactions: await rows(sql`select supplier_id, count(*)::int8 as n, sum(amount_pence)::int8 as p
        from spend_transactions where supplier_id is not null group by 1 order by 1`),
    };
  }

  function expectSummariesMatch(figures: Awaited<ReturnType<typeof summariesAndTransactions>>) {
    expect(figures.monthly).toEqual(figures.monthlyFromTransactions);
    expect(figures.breakdown).toEqual(figures.breakdownFromTransactions);
    expect(figures.suppliers).toEqual(figures.suppliersFromTransactions);
  }

  it('withdraws a file: its rows and every summary built from them go; the record, original and audit stay', async () => {
    const org = await organisationId('E08000006');
    const april = await service.importSpendFile({ organisationId: org, path: write('april.csv', APRIL), fileName: 'april.csv' });
    const may = await service.importSpendFile({ organisationId: org, path: write('may.csv', MAY), fileName: 'may.csv' });
    expect([april.status, may.status]).toEqual(['imported', 'imported']);
    const before = await service.getOrganisationSummary('E08000006');
    expect(before.totalPence).toBe(380050 + 570000);

    const withdrawn = await withdrawals.withdrawSpendFile({ fileId: april.fileId ?? 0, reason: 'wrong month' });
    expect(withdrawn).toMatchObject({ status: 'withdrawn', rowsImported: 3 });
    expect(await service.getOrganisationSummary('E08000006')).toMatchObject({ transactions: 2, totalPence: 570000, files: 1 });
    const figures = await summariesAndTransactions();
    expect(figures.breakdownFromTransactions.length).toBeGreaterThan(0);
    expectSummariesMatch(figures);

    const audit = await sql<{
      action: string;
    }>`select action from audit_events where subject_type = 'spend-file' and subject_id = ${String(april.fileId)} order by id`.execute(
      database().db,
    );
    expect(audit.rows.map((row) => row.action)).toContain('spend-file.withdrawn');
    await expect(withdrawals.withdrawSpendFile({ fileId: april.fileId ?? 0 })).rejects.toThrow(/is withdrawn, not imported/);
  });

  it('replaces a file with a corrected version, leaving the summaries equal to the remaining transactions', async () => {
    const org = await organisationId('E08000006');
    const files = await sql<{ id: number }>`select id from spend_files where organisation_id = ${org} and file_name = 'may.csv'`.execute(
      database().db,
    );
    const mayId = files.rows[0]?.id ?? 0;
    const notSpend = path.join(folder, 'notes.csv');
    fs.writeFileSync(notSpend, 'Notes\nnothing to see\n');
    const refused = await withdrawals.replaceSpendFile({ fileId: mayId, input: { path: notSpend, fileName: 'notes.csv' } });
    expect(refused.outcome.status).toBe('rejected');
    expect(refused.replaced).toBeNull();
    expect((await service.getFile(mayId)).status).toBe('imported');

    const { outcome, replaced } = await withdrawals.replaceSpendFile({
      fileId: mayId,
      input: { path: write('may-corrected.csv', MAY_CORRECTED), fileName: 'may-corrected.csv' },
    });
    expect(outcome).toMatchObject({ status: 'imported', rowsImported: 3, totalPence: 70000 + 450000 + 80000 });
    expect(replaced).toMatchObject({ status: 'withdrawn' });
    expect(await service.getOrganisationSummary('E08000006')).toMatchObject({ transactions: 3, totalPence: 600000, files: 1 });
    expectSummariesMatch(await summariesAndTransactions());
  });

  it('lets only the council’s organisation admins (and platform admins) withdraw its files', async () => {
    const org = await organisationId('E08000006');
    const other = await organisationId('E08000035');
    const file = await service.importSpendFile({
      organisationId: org,
      path: write('june.csv', ['03/06/2024,ACME SUPPLIES LTD,900.00,Stationery,Finance']),
      fileName: 'june.csv',
    });
    const member = { userId: 1, role: 'member', organisationId: org } as const;
    const otherAdmin = { userId: 2, role: 'organisation-admin', organisationId: other } as const;
    await expect(withdrawals.withdrawSpendFile({ fileId: file.fileId ?? 0, actor: member as never })).rejects.toThrow(
      /organisation admins/,
    );
    await expect(withdrawals.withdrawSpendFile({ fileId: file.fileId ?? 0, actor: otherAdmin as never })).rejects.toThrow(
      /organisation admins/,
    );
    const admin = { userId: 3, role: 'organisation-admin', organisationId: org } as const;
    expect((await withdrawals.withdrawSpendFile({ fileId: file.fileId ?? 0, actor: admin as never })).status).toBe('withdrawn');
  });
});
