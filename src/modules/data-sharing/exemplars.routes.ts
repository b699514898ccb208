/** The exemplars: the fifteen cross-institution data exchanges, pages and `GET /api/v1/data-sharing/exemplars`. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendCsv, wantsCsv } from '../../platform/http/lists.js';
import { requireSignedIn } from '../identity/index.js';
import { EXEMPLAR_STATUS_LABELS } from './agreements.labels.js';
import { EXEMPLAR_STATUSES } from './data-sharing.tables.js';
import type { ExemplarsService } from './exemplars.service.js';

const named = z.object({ name: z.string(), slug: z.string() });
const exemplarSchema = z.object({
  slug: z.string(),
  title: z.string(),
  problem: z.string(),
  status: z.enum(EXEMPLAR_STATUSES),
  outcomes: z.string(),
  agreements: z.array(z.object({ slug: z.string(), url: z.string() })),
  standards: z.array(z.object({ slug: z.string(), url: z.string() })),
  participants: z.array(named),
  replicatedBy: z.array(named),
  updatedAt: z.string(),
  url: z.string(),
});

/**
 * The exemplars: their pages, JSON and CSV, and changing an exemplar's status.
 * Over 80 lines as a list of route declarations, each handler short.
 */
export function registerExemplarsRoutes(app: FastifyInstance, { exemplarsService }: { exemplarsService: ExemplarsService }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const statusFilter = z.object({
    status: z
      .union([z.enum(EXEMPLAR_STATUSES), z.literal('')])
      .optional()
      .describe('proposed, in-progress, live or replicated'),
    format: z.enum(['json', 'csv']).optional().describe('Answer as CSV or JSON (default JSON)'),
  });

  api.get(
    '/api/v1/data-sharing/exemplars',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Data sharing'],
        summary: 'The exemplars of cross-institution data exchange',
        description:
          'The tracked exchanges and the count of live ones (a replicated exemplar is live too) towards the sector’s target of 15.',
        querystring: statusFilter,
        response: { 200: z.object({ live: z.number().int(), target: z.number().int(), items: z.array(exemplarSchema) }) },
      },
    },
    async (request, reply) => {
      const result = await exemplarsService.listExemplars(request.query.status || undefined);
      if (wantsCsv(request, request.query.format))
        return sendCsv(
          reply,
          'data-sharing-exemplars.csv',
          [
            { header: 'slug', value: (e) => e.slug },
            { header: 'title', value: (e) => e.title },
            { header: 'status', value: (e) => e.status },
            { header: 'participants', value: (e) => e.participants.map((p) => p.name) },
            { header: 'replicated_by', value: (e) => e.replicatedBy.map((p) => p.name) },
            { header: 'agreements', value: (e) => e.agreements.map((a) => a.slug) },
            { header: 'standards', value: (e) => e.standards.map((s) => s.slug) },
            { header: 'problem', value: (e) => e.problem },
            { header: 'outcomes', value: (e) => e.outcomes },
          ],
          result.items,
        );
      return result;
    },
  );

  api.get(
    '/data-sharing/exemplars',
    { config: { publicCache: true }, schema: { hide: true, querystring: statusFilter } },
    async (request, reply) => {
      const result = await exemplarsService.listExemplars(request.query.status || undefined);
      return reply.render('data-sharing/views/exemplars.njk', {
        title: 'Exemplars of data exchange',
        ...result,
        labels: EXEMPLAR_STATUS_LABELS,
        statusOptions: [
          { value: '', text: 'Any status' },
          ...EXEMPLAR_STATUSES.map((value) => ({ value, text: EXEMPLAR_STATUS_LABELS[value], selected: value === request.query.status })),
        ],
        breadcrumbs: [
          { text: 'Home', href: '/' },
          { text: 'Data sharing', href: '/data-sharing' },
        ],
      });
    },
  );

  api.get(
    '/data-sharing/exemplars/:slug',
    { schema: { hide: true, params: z.object({ slug: z.string().regex(/^[a-z0-9-]{1,120}$/) }) } },
    async (request, reply) => {
      const exemplar = await exemplarsService.getExemplar(request.params.slug);
      const canChange = request.actor?.role === 'platform-admin' || request.actor?.role === 'assessor';
      return reply.render('data-sharing/views/exemplar.njk', {
        title: exemplar.title,
        exemplar,
        labels: EXEMPLAR_STATUS_LABELS,
        canChange,
        statusItems: EXEMPLAR_STATUSES.map((value) => ({ value, text: EXEMPLAR_STATUS_LABELS[value], checked: value === exemplar.status })),
        breadcrumbs: [
          { text: 'Home', href: '/' },
          { text: 'Data sharing', href: '/data-sharing' },
          { text: 'Exemplars', href: '/data-sharing/exemplars' },
        ],
      });
    },
  );

  api.post(
    '/data-sharing/exemplars/:slug/status',
    {
      schema: {
        hide: true,
        params: z.object({ slug: z.string().regex(/^[a-z0-9-]{1,120}$/) }),
        body: z.object({ status: z.string().max(30).default(''), _csrf: z.string().optional() }),
      },
    },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      await exemplarsService.changeStatus(actor, request.params.slug, request.body.status);
      return reply.redirect(`/data-sharing/exemplars/${request.params.slug}`, 303);
    },
  );
}
