/** Regional centres: the list at `/regional-centres`, each centre's workspace, and `GET /api/v1/regional-centres`. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { longDate } from './progress.presenters.js';
import type { CentreComparison, RegionsService } from './regions.service.js';

const slugParams = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,140}$/) });

function pounds(pence: number): string {
  return `£${Math.round(pence / 100).toLocaleString('en-GB')}`;
}

function percent(value: number | null): string {
  return value === null ? '–' : `${value}%`;
}

/** A comparison row as the pages show it. */
function presentRow(row: CentreComparison, currentSlug: string | null) {
  return {
    ...row,
    href: `/regional-centres/${row.slug}`,
    current: row.slug === currentSlug,
    councilsUsingComponentsText: percent(row.councilsUsingComponents),
    meetingStandardsText: percent(row.meetingStandards),
    spendText: pounds(row.spendPence),
    workforceText:
      row.workforce.length === 0
        ? '–'
        : row.workforce.map((entry) => `${entry.region}: ${entry.index === null ? 'not published' : entry.index}`).join('; '),
  };
}

const centreSchema = z.object({
  slug: z.string(),
  name: z.string(),
  demo: z.boolean(),
  regions: z.array(z.string()),
  members: z.number(),
  staff: z.number(),
  challenges: z.number(),
  componentsUsed: z.number(),
  councilsUsingComponents: z.number().nullable(),
  meetingStandards: z.number().nullable(),
  councilsWithSpend: z.number(),
  spendPence: z.number(),
  agreements: z.number(),
  caseStudies: z.number(),
  workforce: z.array(z.object({ region: z.string(), index: z.number().nullable() })),
});

export function registerRegionsRoutes(app: FastifyInstance, { regionsService }: { regionsService: RegionsService }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/regional-centres',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Progress'],
        summary: 'Regional centres and their figures, side by side',
        description:
          'Each regional centre of service innovation with its member councils’ figures. Member councils by GSS code: `/api/v1/organisations/{slug}`.',
        response: { 200: z.object({ items: z.array(centreSchema) }) },
      },
    },
    async () => ({ items: (await regionsService.listCentres()).map(({ id: _id, ...row }) => row) }),
  );

  api.get('/regional-centres', { config: { publicCache: true }, schema: { hide: true } }, async (_request, reply) => {
    const rows = await regionsService.listCentres();
    return reply.render('progress/views/centres.njk', {
      title: 'Regional centres of service innovation',
      rows: rows.map((row) => presentRow(row, null)),
      anyDemo: rows.some((row) => row.demo),
      breadcrumbs: [
        { text: 'Home', href: '/' },
        { text: 'Progress', href: '/progress' },
      ],
    });
  });

  api.get(
    '/regional-centres/:slug',
    { config: { publicCache: true }, schema: { hide: true, params: slugParams } },
    async (request, reply) => {
      const workspace = await regionsService.getWorkspace(request.params.slug);
      return reply.render('progress/views/centre.njk', {
        title: workspace.centre.name,
        ...workspace,
        centre: {
          ...presentRow(workspace.centre, workspace.centre.slug),
          openedOnText: longDate(workspace.centre.openedOn),
          summary: workspace.centre.summary,
        },
        comparison: workspace.comparison.map((row) => presentRow(row, workspace.centre.slug)),
        breadcrumbs: [
          { text: 'Home', href: '/' },
          { text: 'Progress', href: '/progress' },
          { text: 'Regional centres', href: '/regional-centres' },
        ],
      });
    },
  );
}
