// Each register… function here is a list of route declarations (a schema, then a handler of a few lines that calls the
// service and renders or returns); some pass 80 lines because their routes are many, not because any holds logic.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InputError } from '../../platform/errors.js';
import { buildPagination, pageQuerySchema, queryString } from '../../platform/http/lists.js';
import { startCollaborationPath } from '../challenges/index.js';
import { columnChart, formatPoundsShort, horizontalBarChart } from './spend-charts.js';
import { idSchema } from '../../platform/http/ids.js';
import { spendPolicy } from '../spend/index.js';
import { formatMonth } from '../../platform/views/views.js';
import { readableName } from '../../platform/views/readable-name.js';
import { type ChallengeFinder, findSignalChallenge, signalWords } from './signal-challenges.js';
import { councilsSchema, gssParams, idParams, sortSchema } from './spend-intelligence.schemas.js';
import type { SpendIntelligenceRouteDependencies } from './spend-intelligence.routes.js';

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
async function challengeLinks(challengesService: ChallengeFinder | undefined, title: string, problem: string, words: string[]) {
  const similar = await findSignalChallenge(challengesService, words);
  return {
    challengeHref: `/challenges/new?${queryString({ title, problem })}`,
    collaborationHref: similar ? startCollaborationPath(similar.id) : null,
    similarChallenge: similar ? similar.title : null,
  };
}

const breadcrumbs = [
  { text: 'Home', href: '/' },
  { text: 'Spend', href: '/spend' },
];

/** The spend home page and the supplier pages. Over 80 lines as a list of route declarations, each short. */
export function registerSupplierPages(
  app: FastifyInstance,
  { spendAnalysisService, contractsService }: SpendIntelligenceRouteDependencies,
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  if (!app.hasRoute({ method: 'GET', url: '/spend' })) {
    api.get('/spend', { config: { publicCache: true }, schema: { hide: true } }, async (_request, reply) => {
      const [councils, shared, contracts] = await Promise.all([
        spendAnalysisService.listCouncilsWithSpend(),
        spendAnalysisService.listSharedSuppliers({ minCouncils: 2, page: 1, pageSize: 5 }),
        contractsService.countContracts(),
      ]);
      return reply.render('spend-intelligence/views/index.njk', {
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
      return reply.render('spend-intelligence/views/suppliers.njk', {
        title: q ? `Suppliers matching “${q}”` : 'Suppliers',
        filter,
        total: result.total,
        totalIsLowerBound: result.totalIsLowerBound,
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
    return reply.render('spend-intelligence/views/supplier.njk', {
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
}

/** A council’s spend page, the comparison of councils, and the signals page. Over 80 lines as a list of route declarations, each short. */
export function registerCouncilPages(
  app: FastifyInstance,
  { spendAnalysisService, contractsService, challengesService }: SpendIntelligenceRouteDependencies,
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
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
      return reply.render('spend-intelligence/views/council.njk', {
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
        reply.render('spend-intelligence/views/compare.njk', {
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
      return reply.render('spend-intelligence/views/signals.njk', {
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
