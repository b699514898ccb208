/** The register of data standards: pages, schema downloads and `GET /api/v1/data-standards`. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type CsvColumn, sendCsv, wantsCsv } from '../../platform/http/lists.js';
import { STANDARD_STATUS_LABELS } from './agreements.labels.js';
import type { DataStandardsService, StandardSummary } from './data-standards.service.js';
import { STANDARD_STATUSES } from './data-sharing.tables.js';

const slugParams = z.object({
  slug: z
    .string()
    .regex(/^[a-z0-9-]{1,100}$/)
    .describe('The standard’s slug'),
});
const filterSchema = z.object({
  q: z.string().trim().max(200).optional().describe('Words in the name, summary or owner'),
  status: z
    .union([z.enum(STANDARD_STATUSES), z.literal('')])
    .optional()
    .describe('draft, recommended or required'),
  format: z.enum(['json', 'csv']).optional().describe('Answer as CSV or JSON (default JSON)'),
});

const standardSchema = z.object({
  slug: z.string(),
  name: z.string(),
  summary: z.string(),
  owner: z.string(),
  status: z.enum(STANDARD_STATUSES),
  licence: z.string(),
  kind: z.enum(['table-schema', 'data-package']),
  componentSlug: z.string().nullable().describe('The catalogue component that is this standard'),
  url: z.string(),
  updatedAt: z.string(),
});

const csvColumns: CsvColumn<StandardSummary>[] = [
  { header: 'slug', value: (s) => s.slug },
  { header: 'name', value: (s) => s.name },
  { header: 'status', value: (s) => s.status },
  { header: 'owner', value: (s) => s.owner },
  { header: 'licence', value: (s) => s.licence },
  { header: 'kind', value: (s) => s.kind },
  { header: 'component', value: (s) => s.componentSlug },
  { header: 'summary', value: (s) => s.summary },
];

/**
 * The register of data standards: its pages, schema downloads and JSON API.
 * Over 80 lines as a list of route declarations, each handler short.
 */
export function registerDataStandardsRoutes(
  app: FastifyInstance,
  { dataStandardsService }: { dataStandardsService: DataStandardsService },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/data-standards',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Data sharing'],
        summary: 'The register of data standards',
        description:
          'Data standards as Frictionless Table Schemas and Data Packages. Each is also a catalogue component of kind data-standard.',
        querystring: filterSchema,
        response: { 200: z.object({ total: z.number().int(), items: z.array(standardSchema) }) },
      },
    },
    async (request, reply) => {
      const items = await dataStandardsService.listStandards({ q: request.query.q, status: request.query.status || undefined });
      if (wantsCsv(request, request.query.format)) return sendCsv(reply, 'data-standards.csv', csvColumns, items);
      return { total: items.length, items };
    },
  );

  api.get(
    '/data-sharing/standards',
    { config: { publicCache: true }, schema: { hide: true, querystring: filterSchema } },
    async (request, reply) => {
      const { q, status } = request.query;
      const items = await dataStandardsService.listStandards({ q, status: status || undefined });
      return reply.render('data-sharing/views/standards.njk', {
        title: 'Data standards',
        items,
        filter: { q: q ?? '' },
        labels: STANDARD_STATUS_LABELS,
        statusOptions: [
          { value: '', text: 'Any status' },
          ...STANDARD_STATUSES.map((value) => ({ value, text: STANDARD_STATUS_LABELS[value], selected: value === status })),
        ],
        breadcrumbs: [
          { text: 'Home', href: '/' },
          { text: 'Data sharing', href: '/data-sharing' },
        ],
      });
    },
  );

  api.get(
    '/data-sharing/standards/:slug',
    { config: { publicCache: true }, schema: { hide: true, params: slugParams } },
    async (request, reply) => {
      const detail = await dataStandardsService.getStandard(request.params.slug);
      return reply.render('data-sharing/views/standard.njk', {
        title: detail.standard.name,
        ...detail,
        labels: STANDARD_STATUS_LABELS,
        signedIn: request.actor !== null,
        breadcrumbs: [
          { text: 'Home', href: '/' },
          { text: 'Data sharing', href: '/data-sharing' },
          { text: 'Data standards', href: '/data-sharing/standards' },
        ],
      });
    },
  );

  api.get(
    '/data-sharing/standards/:slug/schema.json',
    { config: { publicCache: true }, schema: { hide: true, params: slugParams } },
    async (request, reply) => {
      const descriptor = await dataStandardsService.findStandardDescriptor(request.params.slug);
      if (descriptor === undefined)
        return reply.status(404).render('error.njk', { title: 'Page not found', paragraphs: ['No data standard has this address.'] });
      return reply.header('Content-Disposition', `attachment; filename="${request.params.slug}.json"`).send(descriptor);
    },
  );

  api.get(
    '/data-sharing/standards/:slug/examples/:file',
    { config: { publicCache: true }, schema: { hide: true, params: slugParams.extend({ file: z.string().regex(/^[\w.-]{1,200}$/) }) } },
    async (request, reply) => {
      const content = await dataStandardsService.getExample(request.params.slug, request.params.file);
      return reply
        .header('Content-Type', 'text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="${request.params.file}"`)
        .send(content);
    },
  );
}
