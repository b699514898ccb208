import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/support/engines.js';
import { useSpendServices } from '../../../test/support/spend.js';
import type { SpendService } from './spend.service.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/spend/', import.meta.url));

/** The figures src/modules/spend/ingest/spend-real-files.test.ts pins for the reader, checked again through the database. */
const REAL_FILES = [
  {
    file: 'devon/DCCSpendingOver500_201101.csv',
    gss: 'E10000008',
    rows: 7012,
    skipped: 0,
    totalPence: 2866393181,
    from: '2011-01-04',
    to: '2011-01-31',
    redacted: 91,
  },
  {
    file: 'devon/DCCSpendingOver500_201905.csv',
    gss: 'E10000008',
    rows: 7590,
    skipped: 0,
    totalPence: 4849888399,
    from: '2019-05-01',
    to: '2019-05-31',
    redacted: 346,
  },
  {
    file: 'leeds/raw-2011-05.csv',
    gss: 'E08000035',
    rows: 7299,
    skipped: 0,
    totalPence: 7729096866,
    from: '2011-04-01',
    to: '2011-05-31',
    redacted: 811,
  },
  {
    file: 'leeds/raw-2013-09.csv',
    gss: 'E08000035',
    rows: 8630,
    skipped: 1,
    totalPence: 8868382409,
    from: '2013-08-01',
    to: '2013-09-30',
    redacted: 767,
  },
  {
    file: 'oxford/expenditure-over-500-apr-jun-2014.csv',
    gss: 'E07000178',
    period: { from: '2014-04', to: '2014-06' },
    rows: 3836,
    skipped: 0,
    totalPence: 1416588728,
    from: '2014-04-01',
    to: '2014-04-01',
    redacted: 81,
  },
  {
    file: 'oxford/expenditure-over-500-oct-dec-2015.csv',
    gss: 'E07000178',
    rows: 3918,
    skipped: 0,
    totalPence: 1192387403,
    from: '2015-10-02',
    to: '2015-12-29',
    redacted: 60,
  },
  {
    file: 'trafford/trafford-2014-09.csv',
    gss: 'E08000009',
    rows: 9670,
    skipped: 0,
    totalPence: 2627704622,
    from: '2014-09-01',
    to: '2014-09-29',
    redacted: 1944,
  },
];

describeEachEngine('importing spend files', ({ database }) => {
  const { db, filesDirectory, organisationId, spendService } = useSpendServices(database);
  let service: SpendService;
  beforeAll(() => {
    service = spendService();
  });

  it.each(REAL_FILES)('imports $file with the pinned counts and totals', async (expected) => {
    const outcome = await service.importSpendFile({
      organisationId: await organisationId(expected.gss),
      path: FIXTURES + expected.file,
      fileName: path.basename(expected.file),
      ...(expected.period ? { period: expected.period } : {}),
    });
    expect(outcome).toMatchObject({
      status: 'imported',
      rowsImported: expected.rows,
      rowsRejected: 0,
      rowsSkipped: expected.skipped,
      totalPence: expected.totalPence,
      dateFrom: expected.from,
      dateTo: expected.to,
      errors: [],
    });
    const fileId = outcome.fileId ?? 0;
    const stored = await db()
      .selectFrom('spend_transactions')
      .select((eb) => [
        eb.fn.countAll<number>().as('rows'),
        sql<number>`sum(amount_pence)::int8`.as('totalPence'),
        sql<string>`min(payment_date)::text`.as('from'),
        sql<string>`max(payment_date)::text`.as('to'),
        sql<number>`count(*) filter (where supplier_redacted)::int8`.as('redacted'),
        sql<number>`count(*) filter (where supplier_redacted and supplier_id is not null)::int8`.as('redactedWithSupplier'),
        sql<number>`count(*) filter (where not supplier_redacted and supplier_id is null)::int8`.as('unresolved'),
      ])
      .where('file_id', '=', fileId)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({
      rows: expected.rows,
      totalPence: expected.totalPence,
      from: expected.from,
      to: expected.to,
      redacted: expected.redacted,
      redactedWithSupplier: 0,
      unresolved: 0,
    });
    const file = await service.getFile(fileId);
    expect(file).toMatchObject({
      status: 'imported',
      rowsImported: expected.rows,
      totalPence: expected.totalPence,
      byteSize: fs.statSync(FIXTURES + expected.file).size,
      // Oxford's April to June 2014 file gives no payment dates (only 00:00:00): every payment is dated by its period.
      rowsWithoutDates: expected.period ? expected.rows : 0,
    });
    // The original is kept, named by its content.
    expect(fs.readFileSync(path.join(filesDirectory(), 'spend', file.sha256))).toEqual(fs.readFileSync(FIXTURES + expected.file));
  });

  it('keeps the monthly roll-ups equal to the transactions they summarise', async () => {
    const fromTransactions = await sql<{ organisation_id: number; transactions: number; total_pence: number }>`
      select organisation_id, count(*)::int8 as transactions, sum(amount_pence)::int8 as total_pence
      from spend_transactions group by organisation_id order by organisation_id
    `.execute(db());
    const fromRollups = await sql<{ organisation_id: number; transactions: number; total_pence: number }>`
      select organisation_id, sum(transactions)::int8 as transactions, sum(total_pence)::int8 as total_pence
      from spend_monthly_rollups group by organisation_id order by organisation_id
    `.execute(db());
    expect(fromRollups.rows).toEqual(fromTransactions.rows);
    expect(fromTransactions.rows).toHaveLength(4);
    const bySupplierMonth = await sql<{ mismatches: number }>`
      select count(*)::int8 as mismatches from (
        select organisation_id, supplier_id, date_trunc('month', payment_date)::date as month, expense_type, count(*) as n, sum(amount_pence) as p
        from spend_transactions group by 1, 2, 3, 4
      ) t
      full join spend_monthly_rollups r
        on r.organisation_id = t.organisation_id and r.supplier_id is not distinct from t.supplier_id
        and r.month = t.month and r.expense_type is not distinct from t.expense_type
      where r.transactions is distinct from t.n or r.total_pence is distinct from t.p
    `.execute(db());
    expect(bySupplierMonth.rows[0]?.mismatches).toBe(0);
  });

  it('keeps the breakdown and supplier totals equal to the transactions, and marks concentration stale, once per file', async () => {
    const breakdown = await sql<{ mismatches: number; groups: number }>`
      select count(*) filter (where b.transactions is distinct from t.n or b.total_pence is distinct from t.p)::int8 as mismatches,
             count(*)::int8 as groups
      from (
        select organisation_id, supplier_id, expense_type, service, count(*) as n, sum(amount_pence) as p
        from spend_transactions group by 1, 2, 3, 4
      ) t
      full join spend_breakdown_totals b
        on b.organisation_id = t.organisation_id and b.supplier_id is not distinct from t.supplier_id
        and b.expense_type is not distinct from t.expense_type and b.service is not distinct from t.service
    `.execute(db());
    expect(breakdown.rows[0]?.mismatches).toBe(0);
    expect(breakdown.rows[0]?.groups).toBeGreaterThan(100);
    const suppliers = await sql<{ mismatches: number }>`
      select count(*)::int8 as mismatches from (
        select supplier_id, count(*) as n, sum(amount_pence) as p, count(distinct organisation_id) as councils
        from spend_transactions where supplier_id is not null group by 1
      ) t
      full join spend_supplier_totals s on s.supplier_id = t.supplier_id
      where s.transactions is distinct from t.n or s.total_pence is distinct from t.p or s.councils is distinct from t.councils
    `.execute(db());
    expect(suppliers.rows[0]?.mismatches).toBe(0);
    const stale = await sql<{ organisation_id: number }>`
      select organisation_id from spend_expense_concentration_stale order by organisation_id
    `.execute(db());
    const imported = await sql<{ organisation_id: number }>`
      select distinct organisation_id from spend_transactions order by organisation_id
    `.execute(db());
    expect(stale.rows).toEqual(imported.rows);
  });

  it('answers the organisation summary from what was imported', async () => {
    const summary = await service.getOrganisationSummary('E08000035');
    expect(summary).toMatchObject({
      transactions: 7299 + 8630,
      totalPence: 7729096866 + 8868382409,
      dateFrom: '2011-04-01',
      dateTo: '2013-09-30',
      files: 2,
    });
    expect(summary.suppliers).toBeGreaterThan(1000);
  });

  it('finds a council for a command by code or name, and refuses a supplier as the web does (finding 8)', async () => {
    const council = await service.findOrganisation('E06000005');
    expect([council.gssCode, council.kind]).toEqual(['E06000005', 'principal']);
    const slug = `supplier-${Date.now().toString(36)}`;
    await sql`insert into organisations (kind, slug, name, official_name, search_names)
      values ('supplier', ${slug}, 'Spendless Supplies Ltd', 'Spendless Supplies Ltd', 'spendless supplies ltd')`.execute(db());
    await expect(service.findOrganisation(slug)).rejects.toThrow(
      'Spendless Supplies Ltd is a supplier; spending files are published by councils and other public bodies',
    );
  });

  it('recognises the same content imported again and writes nothing', async () => {
    const trafford = await organisationId('E08000009');
    const before = await countRows();
    const outcome = await service.importSpendFile({
      organisationId: trafford,
      stream: Readable.from([fs.readFileSync(`${FIXTURES}trafford/trafford-2014-09.csv`)]),
      fileName: 'renamed-copy.csv',
    });
    expect(outcome).toMatchObject({ status: 'duplicate', rowsImported: 0 });
    expect(outcome.warnings[0]).toContain('trafford-2014-09.csv');
    expect(await countRows()).toEqual(before);
  });

  it('refuses a file that is not transaction-level, recording why and writing no rows', async () => {
    const before = await countRows();
    const outcome = await service.importSpendFile({
      organisationId: await organisationId('E07000178'),
      stream: Readable.from([Buffer.from('Service,Total spend\r\nHousing,1000000\r\nParks,250000\r\n')]),
      fileName: 'summary.csv',
    });
    expect(outcome.status).toBe('rejected');
    expect(outcome.errors[0]).toMatch(/./);
    expect(await countRows()).toEqual({ ...before, files: before.files + 1 });
    const file = await service.getFile(outcome.fileId ?? 0);
    expect(file).toMatchObject({ status: 'rejected', rowsImported: 0, error: outcome.errors[0] });
  });

  it('stores rejected rows with line, column and reason, and serves them', async () => {
    const csv = [
      'Date,Supplier,Amount,Expense Type',
      '01/02/2020,Acme Widgets Ltd,100.00,Stationery',
      '02/02/2020,Acme Widgets Ltd,not money,Stationery',
      '31/02/2020,Beta Services,50.00,Cleaning',
      '03/02/2020,Beta Services,75.25,Cleaning',
    ].join('\r\n');
    const outcome = await service.importSpendFile({
      organisationId: await organisationId('E07000178'),
      stream: Readable.from([Buffer.from(csv)]),
      fileName: 'with-rejects.csv',
    });
    expect(outcome).toMatchObject({ status: 'imported', rowsImported: 2, rowsRejected: 2, totalPence: 17525 });
    const rejects = await service.listFileRejects(outcome.fileId ?? 0, { page: 1, pageSize: 50 });
    expect(rejects.total).toBe(2);
    expect(rejects.items.map((reject) => [reject.line, reject.column])).toEqual([
      [3, 'Amount'],
      [4, 'Date'],
    ]);
  });

  it('makes one supplier of the names a file gives one VAT number, and of names new to it with one match key', async () => {
    const csv = [
      'Date,Supplier,VAT Number,Amount',
      '01/04/2020,Northern Depot Supplies,GB 123 4567 89,100.00',
      '02/04/2020,Southern Depot (Exeter),123456789,200.00',
      '03/04/2020,Zeta Cleaning Services Ltd,,30.00',
      '04/04/2020,ZETA CLEANING SERVICES LIMITED,,40.00',
    ].join('\r\n');
    const outcome = await service.importSpendFile({
      organisationId: await organisationId('E07000178'),
      stream: Readable.from([Buffer.from(csv)]),
      fileName: 'one-vat-number.csv',
    });
    expect(outcome).toMatchObject({ status: 'imported', rowsImported: 4 });
    const rows = await sql<{ line: number; supplier_id: number | null }>`
      select line, supplier_id from spend_transactions where file_id = ${outcome.fileId} order by line
    `.execute(db());
    const [north, south, zeta, zetaAgain] = rows.rows.map((row) => row.supplier_id);
    expect(north).not.toBeNull();
    expect(south).toBe(north);
    expect(zeta).not.toBe(north);
    expect(zetaAgain).toBe(zeta);
    const vatSuppliers = await sql<{ count: number }>`select count(*)::int8 as count from suppliers where vat_number = '123456789'`.execute(
      db(),
    );
    expect(vatSuppliers.rows[0]?.count).toBe(1);
  });

  it('uses an organisation’s saved column mapping for files with the same headers', async () => {
    const oxford = await organisationId('E07000178');
    const csv = (rows: string[]) => ['When,Who,How much,Ref', ...rows].join('\r\n');
    const first = await service.importSpendFile({
      organisationId: oxford,
      stream: Readable.from([Buffer.from(csv(['01/03/2020,Gamma Ltd,10.00,A1']))]),
      fileName: 'custom-1.csv',
      mapping: { date: 'When', supplierName: 'Who', amount: 'How much', transactionReference: 'Ref' },
    });
    expect(first).toMatchObject({ status: 'imported', rowsImported: 1, totalPence: 1000 });
    const second = await service.importSpendFile({
      organisationId: oxford,
      stream: Readable.from([Buffer.from(csv(['02/03/2020,Gamma Ltd,20.00,A2']))]),
      fileName: 'custom-2.csv',
    });
    expect(second).toMatchObject({ status: 'imported', rowsImported: 1, totalPence: 2000 });
  });

  async function countRows() {
    const row = await sql<{ transactions: number; files: number; rejects: number; suppliers: number }>`
      select (select count(*) from spend_transactions)::int8 as transactions, (select count(*) from spend_files)::int8 as files,
             (select count(*) from spend_rejects)::int8 as rejects, (select count(*) from suppliers)::int8 as suppliers
    `.execute(db());
    const [counts] = row.rows;
    if (!counts) throw new Error('no counts');
    return counts;
  }
});
