// Each register… function here is a list of route declarations (a schema, then a handler of a few lines that calls the
// service and renders or returns); some pass 80 lines because their routes are many, not because any holds logic.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageQuerySchema, sendCsv, wantsCsv } from '../../platform/http/lists.js';
import { idSchema } from '../../platform/http/ids.js';
import {
  gssParams,
  idParams,
  sortSchema,
  supplierItemSchema,
  amountSchema,
  councilSchema,
  councilAmountSchema,
  concentrationSchema,
  lockInSchema,
  supplierAmountSchema,
  amountCsv,
  supplierCsv,
  councilCsv,
  concentrationCsv,
  lockInCsv,
  supplierTables,
  councilTables,
  formatSchema,
  councilsSchema,
} from './spend-intelligence.schemas.js';
import type { SpendIntelligenceRouteDependencies } from './spend-intelligence.routes.js';

/** The JSON API of suppliers across councils, and the councils with spend. Over 80 lines as a list of route declarations, each short. */
export function registerSupplierApi(app: FastifyInstance, { spendAnalysisService }: SpendIntelligenceRouteDependencies): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
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
            totalIsLowerBound: z
              .boolean()
              .describe(
                'true when more suppliers match than were counted (a search counts up to 1,000, or to the end of the page asked for)',
              ),
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
      return { total: result.total, totalIsLowerBound: result.totalIsLowerBound, page, pageSize, items: result.items };
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
}

/** The JSON API of one council’s spend: overview, suppliers, concentration, similar councils. Over 80 lines as a list of route declarations, each short. */
export function registerCouncilApi(app: FastifyInstance, { spendAnalysisService }: SpendIntelligenceRouteDependencies): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
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
}

/** The JSON API that compares councils, and the signals of shared suppliers. Over 80 lines as a list of route declarations, each short. */
export function registerComparisonApi(app: FastifyInstance, { spendAnalysisService }: SpendIntelligenceRouteDependencies): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
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
}
