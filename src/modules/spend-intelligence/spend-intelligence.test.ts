import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleDatabase } from '../../app/database-schema.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { organisationId } from '../../../test/support/factories.js';
import { buildTestApp } from '../../../test/support/test-app.js';
import type { Services } from '../../app/services.js';
import { computeConcentration, describeConcentration } from './spend-concentration.js';
import { type ConcentrationItem, findLockIn } from './spend-intelligence.service.js';
import { insertSyntheticPayments, type SyntheticPayment } from '../spend/index.js';

const pounds = (value: number) => Math.round(value * 100);

describe('concentration (pure)', () => {
  it('matches hand-computed HHI and shares, ignoring credits', () => {
    // Shares 60%, 30%, 10%: HHI = 60² + 30² + 10² = 4,600; the -50 credit holds no share.
    expect(computeConcentration('Software', [600, 300, 100, -50])).toEqual({
      expenseType: 'Software',
      hhi: 4600,
      top1Share: 0.6,
      top5Share: 1,
      totalPence: 1000,
      suppliers: 3,
    });
    // Seven equal suppliers: HHI = 7 × (100/7)² = 1,428.57…; top five hold 5/7.
    expect(computeConcentration('Consultancy', [100, 100, 100, 100, 100, 100, 100])).toMatchObject({
      hhi: 1428.6,
      top1Share: 0.1429,
      top5Share: 0.7143,
    });
    expect(describeConcentration({ hhi: 4600, top1Share: 0.6, suppliers: 3 }).level).toBe('high');
    expect(describeConcentration({ hhi: 1428.6, top1Share: 0.14, suppliers: 7 }).level).toBe('low');
  });

  it('calls lock-in only after three years above half the spend', () => {
    const leader = (year: number, share: number) => ({ expenseType: 'Waste', year, supplierId: 9, supplierName: 'W', share });
    expect(findLockIn([leader(2019, 0.8), leader(2020, 0.7), leader(2021, 0.9)])).toEqual([
      { expenseType: 'Waste', supplierId: 9, supplierName: 'W', years: [2019, 2020, 2021], lowestShare: 0.7 },
    ]);
    expect(findLockIn([leader(2019, 0.8), leader(2020, 0.4), leader(2021, 0.9)])).toEqual([]);
  });
});

describeEachEngine('spend analysis over the summaries', ({ database }) => {
  let app: FastifyInstance;
  let services: Services;
  let oxford: number;
  let devon: number;
  let supplierIds: Map<string, number>;
  let devonFile: number;

  beforeAll(async () => {
    const db = database().db;
    ({ app, services } = await buildTestApp(database()));
    oxford = await organisationId(db, 'E07000178');
    devon = await organisationId(db, 'E10000008');
    const payments: SyntheticPayment[] = [
      // Oxford, Software: 600 / 300 / 100, a redacted 500 (left out) and a net credit (left out).
      {
        organisationId: oxford,
        supplier: 'Alpha Systems Ltd',
        date: '2021-01-10',
        pence: pounds(400),
        expenseType: 'Software',
        service: 'ICT',
      },
      {
        organisationId: oxford,
        supplier: 'ALPHA SYSTEMS LIMITED',
        date: '2021-02-10',
        pence: pounds(200),
        expenseType: 'Software',
        service: 'ICT',
      },
      {
        organisationId: oxford,
        supplier: 'Beta Data plc',
        date: '2021-01-15',
        pence: pounds(300),
        expenseType: 'Software',
        service: 'ICT',
      },
      { organisationId: oxford, supplier: 'Gamma Co', date: '2021-03-01', pence: pounds(100), expenseType: 'Software', service: 'ICT' },
      { organisationId: oxford, supplier: null, date: '2021-03-02', pence: pounds(500), expenseType: 'Software', service: 'ICT' },
      {
        organisationId: oxford,
        supplier: 'Delta Refunds',
        date: '2021-03-03',
        pence: pounds(-50),
        expenseType: 'Software',
        service: 'ICT',
      },
      // Oxford, Consultancy: seven suppliers of £100 each.
      ...[1, 2, 3, 4, 5, 6, 7].map((n) => ({
        organisationId: oxford,
        supplier: `Adviser ${n}`,
        date: '2021-04-01',
        pence: pounds(100),
        expenseType: 'Consultancy',
        service: 'Policy',
      })),
      // Oxford, Waste: Wessex Waste takes 80% in 2019, 2020 and 2021.
      ...[2019, 2020, 2021].flatMap((year) => [
        {
          organisationId: oxford,
          supplier: 'Wessex Waste',
          date: `${year}-06-01`,
          pence: pounds(800),
          expenseType: 'Waste',
          service: 'Environment',
        },
        {
          organisationId: oxford,
          supplier: 'Small Skips',
          date: `${year}-06-02`,
          pence: pounds(200),
          expenseType: 'Waste',
          service: 'Environment',
        },
      ]),
    ];
    ({ suppliers: supplierIds } = await insertSyntheticPayments(moduleDatabase(db), payments));
    const devonPayments: SyntheticPayment[] = [
      {
        organisationId: devon,
        supplier: 'Alpha Systems',
        date: '2021-05-01',
        pence: pounds(1000),
        expenseType: 'software',
        service: 'Digital',
      },
      { organisationId: devon, supplier: 'Beta Data', date: '2021-05-02', pence: pounds(250), expenseType: 'Software', service: 'Digital' },
    ];
    const inserted = await insertSyntheticPayments(moduleDatabase(db), devonPayments);
    devonFile = inserted.files.get(devon) ?? 0;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('computes concentration per expense type from the database, matching the hand-computed values', async () => {
    const { items }: { items: ConcentrationItem[] } = await services.spendAnalysisService.getConcentration('E07000178');
    const byType: Record<string, ConcentrationItem> = Object.fromEntries(items.map((item) => [item.expenseType ?? '', item]));
    expect(byType.Software).toMatchObject({
      hhi: 4600,
      top1Share: 0.6,
      top5Share: 1,
      totalPence: pounds(1000),
      suppliers: 3,
      level: 'high',
    });
    expect(byType.Consultancy).toMatchObject({ hhi: 1428.6, top1Share: 0.1429, top5Share: 0.7143, totalPence: pounds(700), suppliers: 7 });
    // Waste over three years: 80% and 20% → 6,400 + 400.
    expect(byType.Waste).toMatchObject({ hhi: 6800, top1Share: 0.8, totalPence: pounds(3000) });

    const response = await app.inject({ url: '/api/v1/spend/organisations/E07000178/concentration' });
    expect(response.statusCode).toBe(200);
    const body = response.json<{
      total: number;
      items: { expenseType: string; hhi: number; top1Share: number; top5Share: number; totalPence: number }[];
    }>();
    expect(body.items.find((item) => item.expenseType === 'Software')).toMatchObject({
      hhi: 4600,
      top1Share: 0.6,
      top5Share: 1,
      totalPence: 100000,
    });
    const csv = await app.inject({ url: '/api/v1/spend/organisations/E07000178/concentration?format=csv' });
    expect(csv.body.split('\r\n')[0]).toBe('expense_type,hhi,top1_share,top5_share,total_pence,suppliers,level');
  });

  it('finds lock-in, totals, spend per resident and months on the council page', async () => {
    const overview = await services.spendAnalysisService.getCouncilSpend('E07000178');
    expect(overview.lockIn).toEqual([
      {
        expenseType: 'Waste',
        supplierId: supplierIds.get('Wessex Waste'),
        supplierName: 'Wessex Waste',
        years: [2019, 2020, 2021],
        lowestShare: 0.8,
      },
    ]);
    // 1,000 + 500 redacted - 50 + 700 + 3,000
    expect(overview.totalPence).toBe(pounds(5150));
    expect(overview.perResidentPence).toBe(Math.round(pounds(5150) / (overview.organisation.population ?? 1)));
    expect(overview.services.map((row) => row.label)).toEqual(['Environment', 'ICT', 'Policy']);
    const page = await app.inject({ url: '/spend/organisations/E07000178' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Lock-in signals');
    expect(page.body).toContain('<svg class="commons-chart"');
  });

  it('searches suppliers across councils, by any name they were paid under', async () => {
    const response = await app.inject({ url: '/api/v1/spend/suppliers?q=alpha systems' });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ total: number; items: { id: number; name: string; totalPence: number; councils: number }[] }>();
    expect(body.total).toBe(1);
    expect(body.items[0]).toMatchObject({ id: supplierIds.get('Alpha Systems Ltd'), totalPence: pounds(1600), councils: 2 });

    const detail = await app.inject({ url: `/api/v1/spend/suppliers/${body.items[0]?.id ?? 0}` });
    const supplier = detail.json<{ byCouncil: { gssCode: string; totalPence: number }[]; byYear: { key: string }[] }>();
    expect(supplier.byCouncil.map((row) => [row.gssCode, row.totalPence])).toEqual([
      ['E10000008', pounds(1000)],
      ['E07000178', pounds(600)],
    ]);
    expect((await app.inject({ url: `/spend/suppliers/${body.items[0]?.id ?? 0}` })).statusCode).toBe(200);
    expect((await app.inject({ url: '/spend/suppliers?q=beta' })).body).toContain('Beta Data plc');
  });

  it('compares councils on one supplier and finds shared suppliers', async () => {
    const alpha = supplierIds.get('Alpha Systems Ltd') ?? 0;
    const comparison = await services.spendAnalysisService.compareCouncils({ councils: ['E07000178', 'E10000008'], supplierId: alpha });
    expect(comparison.councils.map((council) => council.totalPence)).toEqual([pounds(600), pounds(1000)]);
    expect(comparison.months.map((month) => month.month)).toEqual(['2021-01', '2021-02', '2021-05']);
    // Expense types are compared without regard to case.
    const software = await services.spendAnalysisService.compareCouncils({ councils: ['E07000178', 'E10000008'], expenseType: 'SOFTWARE' });
    expect(software.councils.map((council) => council.totalPence)).toEqual([pounds(1450), pounds(1250)]);

    const page = await app.inject({ url: `/spend/compare?councils=E07000178&councils=E10000008&supplier=${alpha}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="comparison"');
    const tooFew = await app.inject({ url: '/spend/compare?councils=E07000178' });
    expect(tooFew.body).toContain('Choose at least two councils to compare');

    const shared = await services.spendAnalysisService.listSharedSuppliers({ minCouncils: 2, page: 1, pageSize: 10 });
    expect(shared.items.map((item) => item.name).sort()).toEqual(['Alpha Systems Ltd', 'Beta Data plc']);
    expect(shared.items.find((item) => item.name === 'Alpha Systems Ltd')?.sharedExpenseTypes[0]).toMatchObject({ councils: 2 });
    expect((await app.inject({ url: '/spend/signals' })).statusCode).toBe(200);
  });

  it('keeps the summaries equal to the transactions when a file is deleted', async () => {
    const db = database().db;
    expect((await services.spendAnalysisService.getConcentration('E10000008')).items.map((item) => item.totalPence)).toEqual([
      pounds(1000),
      pounds(250),
    ]);
    await sql`delete from spend_transactions where file_id = ${devonFile}`.execute(db);
    // The deletion marked Devon's concentration stale; the next read recomputes it.
    expect((await services.spendAnalysisService.getConcentration('E10000008')).items).toEqual([]);
    const alpha = await services.spendAnalysisService.getSupplier(supplierIds.get('Alpha Systems Ltd') ?? 0);
    expect(alpha).toMatchObject({ totalPence: pounds(600), councils: 1 });
    const check = await sql<{ mismatches: number }>`
      select count(*)::int8 as mismatches from (
        select organisation_id, supplier_id, expense_type, service, count(*) as n, sum(amount_pence) as p
        from spend_transactions group by 1, 2, 3, 4
      ) t full join (select * from spend_breakdown_totals where transactions <> 0) b
        on b.organisation_id = t.organisation_id and b.supplier_id is not distinct from t.supplier_id
        and b.expense_type is not distinct from t.expense_type and b.service is not distinct from t.service
      where b.transactions is distinct from t.n or b.total_pence is distinct from t.p
    `.execute(db);
    expect(check.rows[0]?.mismatches).toBe(0);
  });

  it('documents the public API in the OpenAPI document', async () => {
    const response = await app.inject({ url: '/api/v1/openapi.json' });
    expect(response.statusCode, response.body.slice(0, 500)).toBe(200);
    const document = response.json<{ paths: Record<string, unknown> }>();
    for (const path of [
      '/api/v1/spend/suppliers',
      '/api/v1/spend/suppliers/{id}',
      '/api/v1/spend/organisations/{gssCode}/concentration',
      '/api/v1/spend/organisations/{gssCode}/overview',
      '/api/v1/spend/compare',
      '/api/v1/contracts',
      '/api/v1/contracts/{id}',
    ]) {
      expect(document.paths, path).toHaveProperty([path]);
    }
  });
});
