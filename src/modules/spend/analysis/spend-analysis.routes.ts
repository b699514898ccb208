import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InputError } from '../../../platform/errors.js';
import { buildPagination, type CsvColumn, pageQuerySchema, queryString, sendCsv, wantsCsv } from '../../../platform/http/lists.js';
import { startCollaborationPath } from '../../challenges/index.js';
import type { ContractsService } from '../../contracts/index.js';
import { columnChart, formatPoundsShort, horizontalBarChart } from './spend-charts.js';
import type { Amount, SpendAnalysisService } from './spend-analysis.service.js';
import { idSchema } from '../../../platform/http/ids.js';
import { formatMonth } from '../../../platform/views/views.js';
import { readableName } from '../../../platform/views/readable-name.js';
import { spendPolicy } from '../spend.policy.js';
import { type ChallengeFinder, findSignalChallenge, signalWords } from './signal-challenges.js';

const gssParams = z.object({ gssCode: z.string().min(1).max(100).describe('GSS code, e.g. E07000178 (or the register slug)') });
const idParams = z.object({ id: idSchema.describe('The supplier’s id') });
const sortSchema = z.enum(['total', 'councils', 'name']).optional().describe('Order: total paid (default), councils paying, or name');

const supplierItemSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  totalPence: z.number().int().describe('Total paid across every council, in pence'),
  councils: z.number().int().describe('Councils that paid this supplier'),
  transactions: z.number().int(),
});
const amountSchema = z.object({
  key: z.string().nullable(),
  label: z.string(),
  transactions: z.number().int(),
  totalPence: z.number().int(),
  share: z.number().describe('Share of the positive total, 0 to 1'),
});
const councilSchema = z.object({
  organisationId: z.number().int(),
  gssCode: z.string().nullable(),
  slug: z.string(),
  name: z.string(),
  councilTypeName: z.string().nullable(),
  region: z.string().nullable(),
  population: z.number().nullable(),
});
const councilAmountSchema = councilSchema.extend({
  totalPence: z.number().int(),
  transactions: z.number().int(),
  perResidentPence: z.number().nullable().describe('Total divided by the register’s population figure, in pence'),
});
const concentrationSchema = z.object({
  expenseType: z.string().nullable(),
  hhi: z.number().describe('Herfindahl–Hirschman index, 0 to 10,000 (sum of squared percentage shares)'),
  top1Share: z.number().describe('Share of the largest supplier, 0 to 1'),
  top5Share: z.number().describe('Share of the five largest suppliers, 0 to 1'),
  totalPence: z.number().int().describe('Spend with named suppliers whose net total is positive'),
  suppliers: z.number().int(),
  level: z.enum(['low', 'moderate', 'high']),
  meaning: z.string(),
});
const lockInSchema = z.object({
  expenseType: z.string().nullable(),
  supplierId: z.number().int(),
  supplierName: z.string(),
  years: z.array(z.number().int()),
  lowestShare: z.number(),
});
const supplierAmountSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  transactions: z.number().int(),
  totalPence: z.number().int(),
});

const amountCsv: CsvColumn<Amount>[] = [
  { header: 'key', value: (row) => row.key },
  { header: 'transactions', value: (row) => row.transactions },
  { header: 'total_pence', value: (row) => row.totalPence },
  { header: 'share', value: (row) => row.share },
];
const supplierCsv: CsvColumn<{ id: number; name: string; totalPence: number; councils?: number; transactions: number }>[] = [
  { header: 'supplier_id', value: (row) => row.id },
  { header: 'name', value: (row) => row.name },
  { header: 'total_pence', value: (row) => row.totalPence },
  { header: 'councils', value: (row) => row.councils },
  { header: 'transactions', value: (row) => row.transactions },
];
const councilCsv: CsvColumn<z.infer<typeof councilAmountSchema>>[] = [
  { header: 'gss_code', value: (row) => row.gssCode },
  { header: 'name', value: (row) => row.name },
  { header: 'total_pence', value: (row) => row.totalPence },
  { header: 'transactions', value: (row) => row.transactions },
  { header: 'population', value: (row) => row.population },
  { header: 'per_resident_pence', value: (row) => row.perResidentPence },
];
const concentrationCsv: CsvColumn<z.infer<typeof concentrationSchema>>[] = [
  { header: 'expense_type', value: (row) => row.expenseType },
  { header: 'hhi', value: (row) => row.hhi },
  { header: 'top1_share', value: (row) => row.top1Share },
  { header: 'top5_share', value: (row) => row.top5Share },
  { header: 'total_pence', value: (row) => row.totalPence },
  { header: 'suppliers', value: (row) => row.suppliers },
  { header: 'level', value: (row) => row.level },
];
const lockInCsv: CsvColumn<z.infer<typeof lockInSchema>>[] = [
  { header: 'expense_type', value: (row) => row.expenseType },
  { header: 'supplier_id', value: (row) => row.supplierId },
  { header: 'supplier_name', value: (row) => row.supplierName },
  { header: 'years', value: (row) => row.years.map(String) },
  { header: 'lowest_share', value: (row) => row.lowestShare },
];

const supplierTables = ['councils', 'years', 'months', 'expense-types', 'services'] as const;
const councilTables = ['months', 'suppliers', 'expense-types', 'services', 'concentration', 'lock-in'] as const;
const formatSchema = pageQuerySchema.shape.format;

/** Councils as a list from `councils=A,B` or repeated `councils=A&councils=B`. */
const councilsSchema = z
  .union([z.string().max(2000), z.array(z.string().max(100)).max(20)])
  .optional()
  .transform((value) =>
    (value === undefined ? [] : (Array.isArray(value) ? value : [value]).flatMap((item) => item.split(','))).filter(
      (code) => code.trim() !== '',
    ),
  )
  .describe('GSS codes, comma-separated or repeated');

function chartAndTable(
  id: string,
  title: string,
  description: string,
  rows: readonly { label: string; value: number }[],
  kind: 'bars' | 'columns',
) {
  const options = { id, title, description, bars: rows, format: formatPoundsShort };
  return kind === 'bars' ? horizontalBarChart(options) : columnChart(options);
}

/** The challenges module's similar-challenge search, as far as the signals page needs it. */
/**
 * Where a signal leads: the "start a collaboration" page of a challenge about the same things (its words: the
 * supplier's kinds of spend and name, or the contracts' kind), else a new challenge with the signal filled in.
 */
async function challengeLinks(challengesService: ChallengeFinder | undefined, title: string, problem: string, words: string[]) {
  const similar = await findSignalChallenge(challengesService, words);
  return {
    challengeHref: `/challenges/new?${queryString({ title, problem })}`,
    collaborationHref: similar ? startCollaborationPath(similar.id) : null,
    similarChallenge: similar ? similar.title : null,
  };
}

/** Spend intelligence pages and API: suppliers across councils, council spend, concentration, comparisons, signals. */
export function registerSpendAnalysisRoutes(
  app: FastifyInstance,
  {
    spendAnalysisService,
    contractsService,
    challengesService,
  }: { spendAnalysisService: SpendAnalysisService; contractsService: ContractsService; challengesService?: ChallengeFinder },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  // ---------------------------------------------------------------- API

  api.get(
    '/api/v1/spend/suppliers',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Spend'],
        summary: 'Search suppliers paid by councils',
        description:
          'Suppliers whose name (or any name they were paid under) contains q, or whose company number is q; largest totals first.',
        querystring: pageQuerySchema.extend({
          q: z.string().trim().max(200).optional().describe('Part of a name, or a company number'),
          sort: sortSchema,
        }),
        response: {
          200: z.object({
            total: z.number().int(),
            page: z.number().int(),
            pageSize: z.number().int(),
            items: z.array(supplierItemSchema),
          }),
        },
      },
    },
    async (request, reply) => {
      const { q, sort, page, pageSize, format } = request.query;
      const csv = wantsCsv(request, format);
      const result = await spendAnalysisService.searchSuppliers({ q, sort, page: csv ? 1 : page, pageSize: csv ? 100_000 : pageSize });
      if (csv) return sendCsv(reply, 'suppliers.csv', supplierCsv, result.items);
      return { total: result.total, page, pageSize, items: result.items };
    },
  );

  api.get(
    '/api/v1/spend/suppliers/:id',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Spend'],
        summary: 'One supplier across every council',
        description:
          'Totals, identifiers, names seen, and payments by council, year, month, expense type and service. With table=… and format=csv, one of those tables as CSV.',
        params: idParams,
        querystring: z.object({ table: z.enum(supplierTables).optional(), format: formatSchema }),
        response: {
          200: z.object({
            id: z.number().int(),
            name: z.string(),
            normalisedName: z.string(),
            companyNumber: z.string().nullable(),
            vatNumber: z.string().nullable(),
            totalPence: z.number().int(),
            transactions: z.number().int(),
            councils: z.number().int(),
            aliases: z.array(z.string()),
            byCouncil: z.array(councilAmountSchema),
            byYear: z.array(amountSchema),
            byMonth: z.array(amountSchema),
            byExpenseType: z.array(amountSchema),
            byService: z.array(amountSchema),
          }),
        },
      },
    },
    async (request, reply) => {
      const supplier = await spendAnalysisService.getSupplier(request.params.id);
      const { table, format } = request.query;
      if (table && wantsCsv(request, format ?? 'csv')) {
        const name = `supplier-${supplier.id}-${table}.csv`;
        if (table === 'councils') return sendCsv(reply, name, councilCsv, supplier.byCouncil);
        const rows = {
          years: supplier.byYear,
          months: supplier.byMonth,
          'expense-types': supplier.byExpenseType,
          services: supplier.byService,
        }[table];
        return sendCsv(reply, name, amountCsv, rows);
      }
      return supplier;
    },
  );

  api.get(
    '/api/v1/spend/councils',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Spend'],
        summary: 'Councils with imported spend',
        description: 'Each council’s total, transactions, spend per resident and the dates its files cover.',
        querystring: z.object({ format: formatSchema }),
        response: {
          200: z.object({
            total: z.number().int(),
            items: z.array(councilAmountSchema.extend({ dateFrom: z.string().nullable(), dateTo: z.string().nullable() })),
          }),
        },
      },
    },
    async (request, reply) => {
      const items = await spendAnalysisService.listCouncilsWithSpend();
      if (wantsCsv(request, request.query.format)) return sendCsv(reply, 'councils-with-spend.csv', councilCsv, items);
      return { total: items.length, items };
    },
  );

  api.get(
    '/api/v1/spend/organisations/:gssCode/overview',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Spend'],
        summary: 'A council’s spend: totals, months, suppliers, expense types, services, concentration, lock-in',
        description: 'Everything on the council’s spend page. With table=… and format=csv, one of its tables as CSV.',
        params: gssParams,
        querystring: z.object({ table: z.enum(councilTables).optional(), format: formatSchema }),
        response: {
          200: z.object({
            organisation: councilSchema,
            totalPence: z.number().int(),
            transactions: z.number().int(),
            suppliers: z.number().int(),
            dateFrom: z.string().nullable(),
            dateTo: z.string().nullable(),
            perResidentPence: z.number().nullable(),
            months: z.array(amountSchema),
            topSuppliers: z.object({ total: z.number().int(), items: z.array(supplierAmountSchema) }),
            expenseTypes: z.array(amountSchema),
            services: z.array(amountSchema),
            concentration: z.array(concentrationSchema),
            lockIn: z.array(lockInSchema),
            yearsCovered: z.number().int(),
          }),
        },
      },
    },
    async (request, reply) => {
      const overview = await spendAnalysisService.getCouncilSpend(request.params.gssCode);
      const { table, format } = request.query;
      if (table && wantsCsv(request, format ?? 'csv')) {
        const name = `${request.params.gssCode}-${table}.csv`;
        if (table === 'suppliers') return sendCsv(reply, name, supplierCsv, overview.topSuppliers.items);
        if (table === 'concentration') return sendCsv(reply, name, concentrationCsv, overview.concentration);
        if (table === 'lock-in') return sendCsv(reply, name, lockInCsv, overview.lockIn);
        const rows = { months: overview.months, 'expense-types': overview.expenseTypes, services: overview.services }[table];
        return sendCsv(reply, name, amountCsv, rows);
      }
      return overview;
    },
  );

  api.get(
    '/api/v1/spend/organisations/:gssCode/suppliers',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Spend'],
        summary: 'A council’s suppliers by amount paid',
        description: 'Optionally within one expense type (compared without regard to case).',
        params: gssParams,
        querystring: pageQuerySchema.extend({ expenseType: z.string().max(200).optional() }),
        response: {
          200: z.object({
            total: z.number().int(),
            page: z.number().int(),
            pageSize: z.number().int(),
            items: z.array(supplierAmountSchema),
          }),
        },
      },
    },
    async (request, reply) => {
      const { expenseType, page, pageSize, format } = request.query;
      const csv = wantsCsv(request, format);
      const result = await spendAnalysisService.listCouncilSuppliers(request.params.gssCode, {
        expenseType,
        page: csv ? 1 : page,
        pageSize: csv ? 1_000_000 : pageSize,
      });
      if (csv) return sendCsv(reply, `${request.params.gssCode}-suppliers.csv`, supplierCsv, result.items);
      return { total: result.total, page, pageSize, items: result.items };
    },
  );

  api.get(
    '/api/v1/spend/organisations/:gssCode/concentration',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Spend'],
        summary: 'Concentration of a council’s spend among suppliers, per expense type',
        description:
          'HHI (0–10,000), top-1 and top-5 shares (0–1) and total, per expense type, over named suppliers with a positive net total. Redacted payees are left out.',
        params: gssParams,
        querystring: z.object({ format: formatSchema }),
        response: { 200: z.object({ total: z.number().int(), items: z.array(concentrationSchema) }) },
      },
    },
    async (request, reply) => {
      const { items } = await spendAnalysisService.getConcentration(request.params.gssCode);
      if (wantsCsv(request, request.query.format))
        return sendCsv(reply, `${request.params.gssCode}-concentration.csv`, concentrationCsv, items);
      return { total: items.length, items };
    },
  );

  api.get(
    '/api/v1/spend/organisations/:gssCode/similar',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Spend'],
        summary: 'Councils similar to this one',
        description:
          'Councils with spend data here: the same council type in the same region first, then the same type nearest in population.',
        params: gssParams,
        response: { 200: z.object({ total: z.number().int(), items: z.array(councilSchema.extend({ reason: z.string() })) }) },
      },
    },
    async (request) => {
      const { items } = await spendAnalysisService.findSimilarCouncils(request.params.gssCode);
      return { total: items.length, items };
    },
  );

  api.get(
    '/api/v1/spend/compare',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Spend'],
        summary: 'Compare councils’ spend side by side',
        description:
          'All spend, spend with one supplier, or spend within one expense type: totals per council and month by month. CSV gives the totals.',
        querystring: z.object({
          councils: councilsSchema,
          supplier: idSchema.optional().describe('A supplier id'),
          expenseType: z.string().max(200).optional(),
          format: formatSchema,
        }),
        response: {
          200: z.object({
            supplier: z.object({ id: z.number().int(), name: z.string() }).nullable(),
            expenseType: z.string().nullable(),
            councils: z.array(councilAmountSchema.extend({ suppliers: z.number().int() })),
            months: z.array(z.object({ month: z.string(), values: z.array(z.number().int()) })),
          }),
        },
      },
    },
    async (request, reply) => {
      const { councils, supplier, expenseType, format } = request.query;
      const result = await spendAnalysisService.compareCouncils({ councils, supplierId: supplier, expenseType });
      if (wantsCsv(request, format)) return sendCsv(reply, 'spend-comparison.csv', councilCsv, result.councils);
      return result;
    },
  );

  api.get(
    '/api/v1/spend/signals/shared-suppliers',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Spend'],
        summary: 'Collective-buying signals: suppliers paid by many councils',
        description: 'Suppliers paid by at least minCouncils councils, with the expense types two or more councils booked them under.',
        querystring: pageQuerySchema.extend({ minCouncils: z.coerce.number().int().min(2).max(500).default(2) }),
        response: {
          200: z.object({
            total: z.number().int(),
            page: z.number().int(),
            pageSize: z.number().int(),
            items: z.array(
              supplierItemSchema.extend({
                sharedExpenseTypes: z.array(
                  z.object({ expenseType: z.string(), councils: z.number().int(), totalPence: z.number().int() }),
                ),
              }),
            ),
          }),
        },
      },
    },
    async (request, reply) => {
      const { minCouncils, page, pageSize, format } = request.query;
      const csv = wantsCsv(request, format);
      const result = await spendAnalysisService.listSharedSuppliers({
        minCouncils,
        page: csv ? 1 : page,
        pageSize: csv ? 100_000 : pageSize,
      });
      if (csv) return sendCsv(reply, 'shared-suppliers.csv', supplierCsv, result.items);
      return { total: result.total, page, pageSize, items: result.items };
    },
  );

  // ---------------------------------------------------------------- pages

  const breadcrumbs = [
    { text: 'Home', href: '/' },
    { text: 'Spend', href: '/spend' },
  ];

  if (!app.hasRoute({ method: 'GET', url: '/spend' })) {
    api.get('/spend', { config: { publicCache: true }, schema: { hide: true } }, async (_request, reply) => {
      const [councils, shared, contracts] = await Promise.all([
        spendAnalysisService.listCouncilsWithSpend(),
        spendAnalysisService.listSharedSuppliers({ minCouncils: 2, page: 1, pageSize: 5 }),
        contractsService.countContracts(),
      ]);
      return reply.render('spend/analysis/views/index.njk', {
        title: 'Spend and contracts',
        councils,
        shared,
        contracts,
        chart: chartAndTable(
          'councils-chart',
          'Total spend imported, by council',
          'Bar chart of the total of each council’s imported spending over £500; the table beside it gives the same figures.',
          councils.slice(0, 15).map((council) => ({ label: council.name, value: council.totalPence })),
          'bars',
        ),
        breadcrumbs: [{ text: 'Home', href: '/' }],
      });
    });
  }

  api.get(
    '/spend/suppliers',
    {
      config: { publicCache: true },
      schema: {
        hide: true,
        querystring: z.object({
          q: z.string().trim().max(200).optional(),
          sort: z.union([sortSchema, z.literal('')]),
          page: pageQuerySchema.shape.page,
        }),
      },
    },
    async (request, reply) => {
      const { q, page } = request.query;
      const sort = request.query.sort || undefined;
      const pageSize = 50;
      const result = await spendAnalysisService.searchSuppliers({ q, sort, page, pageSize });
      const filter = { q, sort };
      return reply.render('spend/analysis/views/suppliers.njk', {
        title: q ? `Suppliers matching “${q}”` : 'Suppliers',
        filter,
        total: result.total,
        rows: result.items,
        firstItem: result.total === 0 ? 0 : (page - 1) * pageSize + 1,
        lastItem: Math.min(page * pageSize, result.total),
        pagination: buildPagination('/spend/suppliers', filter, page, pageSize, result.total),
        sortOptions: [
          { value: '', text: 'Total paid', selected: !sort || sort === 'total' },
          { value: 'councils', text: 'Councils paying', selected: sort === 'councils' },
          { value: 'name', text: 'Name', selected: sort === 'name' },
        ],
        downloadQuery: queryString(filter),
        breadcrumbs,
      });
    },
  );

  api.get('/spend/suppliers/:id', { config: { publicCache: true }, schema: { hide: true, params: idParams } }, async (request, reply) => {
    const supplier = await spendAnalysisService.getSupplier(request.params.id);
    const contracts = await contractsService.listContractsOfSupplier(supplier.id);
    const topTwo = supplier.byCouncil.slice(0, 2).map((council) => council.gssCode ?? council.slug);
    return reply.render('spend/analysis/views/supplier.njk', {
      title: readableName(supplier.name),
      supplier,
      contracts,
      compareHref: topTwo.length === 2 ? `/spend/compare?${queryString({ councils: topTwo.join(','), supplier: supplier.id })}` : null,
      councilChart: chartAndTable(
        'supplier-councils-chart',
        `Paid to ${readableName(supplier.name)}, by council`,
        'Bar chart of the amount each council paid this supplier; the table beside it gives the same figures.',
        supplier.byCouncil.slice(0, 15).map((council) => ({ label: council.name, value: council.totalPence })),
        'bars',
      ),
      monthChart: chartAndTable(
        'supplier-months-chart',
        `Paid to ${readableName(supplier.name)}, by month`,
        'Column chart of payments by month across every council; the table below it gives the same figures.',
        supplier.byMonth.map((month) => ({ label: formatMonth(month.label), value: month.totalPence })),
        'columns',
      ),
      breadcrumbs: [...breadcrumbs, { text: 'Suppliers', href: '/spend/suppliers' }],
    });
  });

  api.get(
    '/spend/organisations/:gssCode',
    { config: { publicCache: true }, schema: { hide: true, params: gssParams } },
    async (request, reply) => {
      const [overview, similar, expiring] = await Promise.all([
        spendAnalysisService.getCouncilSpend(request.params.gssCode),
        spendAnalysisService.findSimilarCouncils(request.params.gssCode, 4),
        contractsService.listContracts({ organisation: request.params.gssCode, endingWithinMonths: 18, page: 1, pageSize: 1 }),
      ]);
      const code = overview.organisation.gssCode ?? overview.organisation.slug;
      return reply.render('spend/analysis/views/council.njk', {
        title: `${overview.organisation.name}: spend`,
        overview,
        code,
        // Its own people (and the institute) can add the next file from the page they are looking at.
        uploadHref:
          request.actor && spendPolicy.canImportFor(request.actor, overview.organisation.organisationId)
            ? `/spend/imports/new?organisation=${encodeURIComponent(code)}`
            : null,
        similar: similar.items,
        expiringContracts: expiring.total,
        compareSimilarHref:
          similar.items.length > 0
            ? `/spend/compare?${queryString({ councils: [code, ...similar.items.slice(0, 3).map((item) => item.gssCode ?? item.slug)].join(',') })}`
            : null,
        monthChart: chartAndTable(
          'council-months-chart',
          `${overview.organisation.name}: spend by month`,
          'Column chart of the council’s spend by month; the table below it gives the same figures.',
          overview.months.map((month) => ({ label: formatMonth(month.label), value: month.totalPence })),
          'columns',
        ),
        supplierChart: chartAndTable(
          'council-suppliers-chart',
          `${overview.organisation.name}: top suppliers`,
          'Bar chart of the ten suppliers paid most; the table beside it gives the same figures.',
          overview.topSuppliers.items.slice(0, 10).map((supplier) => ({ label: readableName(supplier.name), value: supplier.totalPence })),
          'bars',
        ),
        breadcrumbs,
      });
    },
  );

  api.get(
    '/spend/compare',
    {
      config: { publicCache: true },
      schema: {
        hide: true,
        querystring: z.object({
          councils: councilsSchema,
          supplier: z.union([idSchema, z.literal('')]).optional(),
          expenseType: z.string().max(200).optional(),
        }),
      },
    },
    async (request, reply) => {
      const { councils } = request.query;
      const supplierId = request.query.supplier || undefined;
      const expenseType = request.query.expenseType?.trim() || undefined;
      const withSpend = await spendAnalysisService.listCouncilsWithSpend();
      const chosen = new Set(councils.map((code) => code.trim().toUpperCase()));
      const options = withSpend.map((council) => {
        const value = council.gssCode ?? council.slug;
        return { value, text: council.name, checked: chosen.has(value.toUpperCase()) };
      });
      const render = (extra: Record<string, unknown>) =>
        reply.render('spend/analysis/views/compare.njk', {
          title: 'Compare councils’ spend',
          options,
          supplierId,
          expenseType,
          breadcrumbs,
          ...extra,
        });
      if (councils.length === 0) return render({});
      try {
        const result = await spendAnalysisService.compareCouncils({ councils, supplierId, expenseType });
        const what = result.supplier
          ? `with ${readableName(result.supplier.name)}`
          : result.expenseType
            ? `on ${result.expenseType}`
            : 'in all';
        return await render({
          result,
          what,
          totalsChart: chartAndTable(
            'compare-totals-chart',
            `Spend ${what}, by council`,
            'Bar chart of each council’s total; the table beside it gives the same figures.',
            result.councils.map((council) => ({ label: council.name, value: council.totalPence })),
            'bars',
          ),
          perResidentChart: chartAndTable(
            'compare-per-resident-chart',
            `Spend ${what} per resident, by council`,
            'Bar chart of each council’s total divided by its population; the table beside it gives the same figures.',
            result.councils.map((council) => ({ label: council.name, value: council.perResidentPence ?? 0 })),
            'bars',
          ),
          downloadQuery: queryString({ councils: councils.join(','), supplier: supplierId, expenseType }),
        });
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return render({
          errorSummary: error.problems.map((problem) => ({ text: problem.message, href: `#${problem.field}` })),
          councilsError: { text: error.message },
        });
      }
    },
  );

  api.get(
    '/spend/signals',
    {
      config: { publicCache: true },
      schema: {
        hide: true,
        querystring: z.object({ minCouncils: z.coerce.number().int().min(2).max(500).default(2), page: pageQuerySchema.shape.page }),
      },
    },
    async (request, reply) => {
      const { minCouncils, page } = request.query;
      const pageSize = 25;
      const [shared, clusters] = await Promise.all([
        spendAnalysisService.listSharedSuppliers({ minCouncils, page, pageSize }),
        contractsService.listExpiryClusters(),
      ]);
      return reply.render('spend/analysis/views/signals.njk', {
        title: 'Collective-buying signals',
        minCouncils,
        shared: {
          ...shared,
          items: await Promise.all(
            shared.items.map(async (item) => ({
              ...item,
              ...(await challengeLinks(
                challengesService,
                `Buying from ${readableName(item.name)} together`,
                `${item.councils} councils pay ${readableName(item.name)}${item.sharedExpenseTypes[0] ? ` for ${item.sharedExpenseTypes[0].expenseType}` : ''}.`,
                signalWords([item.name, ...item.sharedExpenseTypes.map((kind) => kind.expenseType)]),
              )),
            })),
          ),
        },
        clusters: await Promise.all(
          clusters.map(async (cluster) => ({
            ...cluster,
            ...(await challengeLinks(
              challengesService,
              `Re-procuring ${cluster.categoryName ?? 'contracts'} together`,
              `${cluster.councils} councils have ${cluster.categoryName ?? ''} contracts ending between ${cluster.windowStart} and ${cluster.windowEnd}.`,
              signalWords([cluster.categoryName]),
            )),
          })),
        ),
        pagination: buildPagination('/spend/signals', { minCouncils }, page, pageSize, shared.total),
        breadcrumbs,
      });
    },
  );
}
