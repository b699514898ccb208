import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageQuerySchema, sendCsv, wantsCsv } from '../../platform/http/lists.js';
import { ADOPTION_LABELS, FRESHNESS_MONTHS, REUSE_CREDIT_RULES } from './catalogue.labels.js';
import { breadcrumbs, type CatalogueRoutesOptions } from './catalogue.http.js';
import { codeParams } from './components.schemas.js';
import { creditsSchema } from './reuse-credits.schemas.js';
import { creditCsvColumns } from './reuse-credits.presenters.js';

/** Reuse credits: every organisation’s, and one organisation’s (pages, CSV and JSON API). */
export function registerReuseCreditRoutes(app: FastifyInstance, { catalogueService }: CatalogueRoutesOptions): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/api/v1/reuse-credits',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Components'],
        summary: 'Reuse credits of every organisation that has earned any (CSV or JSON)',
        querystring: z.object({ format: pageQuerySchema.shape.format }),
        response: {
          200: z.object({
            rules: z.array(z.object({ key: z.string(), points: z.number(), label: z.string(), detail: z.string() })),
            items: z.array(creditsSchema),
          }),
        },
      },
    },
    async (request, reply) => {
      const credits = await catalogueService.listReuseCredits();
      if (wantsCsv(request, request.query.format)) return sendCsv(reply, 'reuse-credits.csv', creditCsvColumns, credits);
      return { rules: [...REUSE_CREDIT_RULES], items: credits };
    },
  );

  api.get('/components/reuse-credits', { config: { publicCache: true }, schema: { hide: true } }, async (_request, reply) =>
    reply.render('catalogue/views/credits.njk', {
      title: 'Reuse credits',
      breadcrumbs: breadcrumbs(),
      rules: REUSE_CREDIT_RULES,
      credits: await catalogueService.listReuseCredits(),
      freshnessMonths: FRESHNESS_MONTHS,
    }),
  );

  api.get(
    '/components/reuse-credits/:code',
    { config: { publicCache: true }, schema: { hide: true, params: codeParams } },
    async (request, reply) => {
      const credits = await catalogueService.getReuseCredits(request.params.code);
      return reply.render('catalogue/views/organisation-credits.njk', {
        title: `Reuse credits: ${credits.organisation.name}`,
        breadcrumbs: breadcrumbs([{ text: 'Reuse credits', href: '/components/reuse-credits' }]),
        credits,
        rules: REUSE_CREDIT_RULES.map((rule) => ({
          ...rule,
          count: credits.counts[rule.key],
          points: rule.points * credits.counts[rule.key],
          each: rule.points,
        })),
        adoptionLabels: ADOPTION_LABELS,
      });
    },
  );
}
