import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { buildPagination, type CsvColumn, pageQuerySchema, queryString, sendCsv, wantsCsv } from '../../platform/http/lists.js';
import { registerContractImportsRoutes } from './contract-imports.routes.js';
import type { ContractsService, ContractSummary } from './contracts.service.js';
import { idParamsSchema } from '../../platform/http/ids.js';

const contractSchema = z.object({
  id: z.number().int(),
  title: z.string().nullable(),
  ocid: z.string(),
  source: z.enum(['contract', 'award', 'tender']).describe('What the record was made from: a signed contract, an award, or an open tender'),
  buyerName: z.string().nullable(),
  organisation: z.object({ gssCode: z.string().nullable(), slug: z.string(), name: z.string() }).nullable(),
  suppliers: z.array(z.object({ name: z.string().nullable(), identifier: z.string().nullable(), supplierId: z.number().int().nullable() })),
  valuePence: z.number().int().nullable(),
  minimumValuePence: z.number().int().nullable(),
  currency: z.string().nullable(),
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  status: z.string().nullable(),
  category: z.string().nullable(),
  categoryName: z.string().nullable(),
  cpvCodes: z.array(z.string()),
  sourceUrl: z.string().nullable(),
  releaseDate: z.string().nullable(),
});

const filterSchema = z.object({
  organisation: z.string().trim().max(100).optional().describe('The buyer: GSS code or register slug'),
  q: z.string().trim().max(200).optional().describe('Part of the title or buyer name, or an OCID'),
  status: z.string().trim().max(50).optional().describe('OCDS status, e.g. active, complete, unsuccessful'),
  endingWithinMonths: z.coerce
    .number()
    .int()
    .min(1)
    .max(120)
    .optional()
    .describe('Only contracts ending between today and this many months ahead'),
});

const csvColumns: CsvColumn<ContractSummary>[] = [
  { header: 'id', value: (c) => c.id },
  { header: 'ocid', value: (c) => c.ocid },
  { header: 'title', value: (c) => c.title },
  { header: 'buyer', value: (c) => c.buyerName },
  { header: 'gss_code', value: (c) => c.organisation?.gssCode },
  { header: 'suppliers', value: (c) => c.suppliers.map((s) => s.name ?? '') },
  { header: 'value_pence', value: (c) => c.valuePence },
  { header: 'minimum_value_pence', value: (c) => c.minimumValuePence },
  { header: 'currency', value: (c) => c.currency },
  { header: 'start_date', value: (c) => c.startDate },
  { header: 'end_date', value: (c) => c.endDate },
  { header: 'status', value: (c) => c.status },
  { header: 'category', value: (c) => c.categoryName },
  { header: 'source_url', value: (c) => c.sourceUrl },
];

/** CPV divisions in which two or more councils' contracts end in the same half-year. */
const expiryClusterSchema = z.object({
  category: z.string(),
  categoryName: z.string().nullable(),
  windowStart: z.string(),
  windowEnd: z.string(),
  councils: z.number().int(),
  contracts: z.number().int(),
  councilNames: z.array(z.string()),
  contractIds: z.array(z.number().int()),
});

/** The contract register's pages and JSON API. Over 80 lines as a list of route declarations, each handler short. */
export function registerContractsRoutes(app: FastifyInstance, { contractsService }: { contractsService: ContractsService }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  // Before /contracts/:id, which would otherwise be asked about "import".
  registerContractImportsRoutes(app, { contractsService });

  api.get(
    '/api/v1/contracts',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Contracts'],
        summary: 'The contract register',
        description: 'Contracts, awards and tenders read from OCDS, ending soonest first. Filter by council, text, status or end date.',
        querystring: filterSchema.extend(pageQuerySchema.shape),
        response: {
          200: z.object({ total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), items: z.array(contractSchema) }),
        },
      },
    },
    async (request, reply) => {
      const { page, pageSize, format, ...filter } = request.query;
      const csv = wantsCsv(request, format);
      const result = await contractsService.listContracts({ ...filter, page: csv ? 1 : page, pageSize: csv ? 100_000 : pageSize });
      if (csv) return sendCsv(reply, 'contracts.csv', csvColumns, result.items);
      return { total: result.total, page, pageSize, items: result.items };
    },
  );

  api.get(
    '/api/v1/contracts/ending-together',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Contracts'],
        summary: 'Collective-buying signals: contracts of one kind ending together',
        description: 'CPV divisions in which two or more councils’ contracts end in the same half-year within the next 18 months.',
        response: {
          200: z.object({ total: z.number().int(), items: z.array(expiryClusterSchema) }),
        },
      },
    },
    async () => {
      const items = await contractsService.listExpiryClusters();
      return { total: items.length, items };
    },
  );

  api.get(
    '/api/v1/contracts/:id',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Contracts'],
        summary: 'One contract',
        params: idParamsSchema,
        response: { 200: contractSchema.extend({ description: z.string().nullable() }) },
      },
    },
    async (request) => contractsService.getContract(request.params.id),
  );

  const breadcrumbs = [
    { text: 'Home', href: '/' },
    { text: 'Spend', href: '/spend' },
  ];

  api.get(
    '/contracts',
    { config: { publicCache: true }, schema: { hide: true, querystring: filterSchema.extend({ page: pageQuerySchema.shape.page }) } },
    async (request, reply) => {
      const { page, ...filter } = request.query;
      const pageSize = 50;
      const result = await contractsService.listContracts({ ...filter, organisation: filter.organisation || undefined, page, pageSize });
      const filterQuery = {
        organisation: filter.organisation,
        q: filter.q,
        status: filter.status,
        endingWithinMonths: filter.endingWithinMonths,
      };
      return reply.render('contracts/views/list.njk', {
        title: result.organisation ? `Contracts: ${result.organisation.name}` : 'Contract register',
        filter: filterQuery,
        result,
        firstItem: result.total === 0 ? 0 : (page - 1) * pageSize + 1,
        lastItem: Math.min(page * pageSize, result.total),
        pagination: buildPagination('/contracts', filterQuery, page, pageSize, result.total),
        downloadQuery: queryString(filterQuery),
        canImport: contractsService.canImportContracts(request.actor),
        breadcrumbs,
      });
    },
  );

  api.get(
    '/contracts/expiring',
    {
      config: { publicCache: true },
      schema: { hide: true, querystring: z.object({ organisation: z.string().trim().max(100).optional() }) },
    },
    async (request, reply) => {
      const timeline = await contractsService.getExpiryTimeline({ organisation: request.query.organisation || undefined });
      return reply.render('contracts/views/expiring.njk', {
        title: timeline.organisation ? `Contracts ending soon: ${timeline.organisation.name}` : 'Contracts ending in the next 18 months',
        timeline,
        downloadQuery: queryString({ organisation: request.query.organisation, endingWithinMonths: 18 }),
        breadcrumbs: [...breadcrumbs, { text: 'Contracts', href: '/contracts' }],
      });
    },
  );

  api.get('/contracts/:id', { config: { publicCache: true }, schema: { hide: true, params: idParamsSchema } }, async (request, reply) => {
    const contract = await contractsService.getContract(request.params.id);
    return reply.render('contracts/views/show.njk', {
      title: contract.title ?? contract.ocid,
      contract,
      breadcrumbs: [...breadcrumbs, { text: 'Contracts', href: '/contracts' }],
    });
  });
}
