import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendCsv, wantsCsv } from '../../platform/http/lists.js';
import { requireSignedIn } from '../identity/index.js';
import { describeSuppression, tableCsvColumns, tableTitle } from './tables.presenters.js';
import { tableParamsSchema, tableQuerySchema, tableResponseSchema, targetResponseSchema } from './tables.schemas.js';
import { LEVELS, type TablesService, TARGET_GROUPS } from './tables.service.js';
import { DIMENSIONS, GRADE_BAND_LABELS, GRADE_BANDS } from './workforce.categories.js';
import { workforcePolicy } from './workforce.policy.js';

const pageQuerySchema = z.object({
  dimension: z.union([z.enum(DIMENSIONS.map((entry) => entry.code) as [string, ...string[]]), z.literal('')]).optional(),
  year: z.union([z.coerce.number().int().min(2000).max(2100), z.literal('')]).optional(),
  level: z.union([z.enum(LEVELS), z.literal('')]).optional(),
  grade: z.union([z.enum(GRADE_BANDS), z.literal('')]).optional(),
});

/**
 * Published tables and the target: the JSON API and the pages that show exactly the same figures.
 * Over 80 lines as a list of route declarations, each handler short.
 */
export function registerTablesRoutes(app: FastifyInstance, { tablesService }: { tablesService: TablesService }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/workforce/tables/:dimension',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Workforce'],
        summary: 'A published diversity table',
        description:
          'One dimension of the digital, data and technology workforce by council, region or nation, for a year and optionally one grade band, under disclosure control: counts below 10 are hidden, others rounded to 5, and more are hidden so that none can be worked out. Exactly the figures the pages show.',
        params: tableParamsSchema,
        querystring: tableQuerySchema,
        response: { 200: tableResponseSchema },
      },
    },
    async (request, reply) => {
      const { format, ...query } = request.query;
      const { table } = await tablesService.getTable({ dimension: request.params.dimension, ...query });
      if (wantsCsv(request, format))
        return sendCsv(reply, `workforce-${table.dimension}-${table.level}-${table.year}.csv`, tableCsvColumns(table), table.rows);
      return table;
    },
  );

  api.get(
    '/api/v1/workforce/target',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Workforce'],
        summary: 'The +20% target for under-represented groups',
        description:
          'The mean share of four under-represented groups (ethnic minority groups, disabled people, lower socio-economic backgrounds, women in senior grades) among staff who declared, in the baseline year and now, the target (baseline + 20%), and the declaration rate.',
        response: { 200: targetResponseSchema },
      },
    },
    async () => {
      const { years: _years, ...target } = await tablesService.getTarget();
      return target;
    },
  );

  api.get(
    '/workforce/tables',
    { config: { publicCache: true }, schema: { hide: true, querystring: pageQuerySchema } },
    async (request, reply) => {
      const years = await tablesService.listPublishedYears();
      const dimensionCode = request.query.dimension || 'ethnicity';
      const level = request.query.level || 'nation';
      const grade = request.query.grade || undefined;
      const year = request.query.year || years.at(-1);
      const common = {
        years,
        filter: { dimension: dimensionCode, level, grade: grade ?? '', year: year ?? '' },
        dimensionOptions: DIMENSIONS.map((entry) => ({ value: entry.code, text: entry.name, selected: entry.code === dimensionCode })),
        levelOptions: LEVELS.map((entry) => ({ value: entry, text: `By ${entry}`, selected: entry === level })),
        gradeOptions: [
          { value: '', text: 'All grades' },
          ...GRADE_BANDS.map((band) => ({ value: band, text: GRADE_BAND_LABELS[band], selected: band === grade })),
        ],
        yearOptions: years.map((entry) => ({ value: String(entry), text: String(entry), selected: entry === year })),
        breadcrumbs: [
          { text: 'Home', href: '/' },
          { text: 'Workforce', href: '/workforce' },
        ],
      };
      if (year === undefined)
        return reply.render('workforce/views/tables.njk', { ...common, title: 'Workforce diversity tables', empty: true });
      const result = await tablesService.getTable({ dimension: dimensionCode, year, level, grade });
      const query = new URLSearchParams({ year: String(year), level, ...(grade ? { grade } : {}) }).toString();
      return reply.render('workforce/views/tables.njk', {
        ...common,
        title: tableTitle(result.dimension, level, result.table.year, grade),
        result,
        labels: Object.fromEntries(result.dimension.categories.map((category) => [category.code, category.label])),
        words: describeSuppression(result.hidden, result.returns, result.councils),
        apiHref: `/api/v1/workforce/tables/${dimensionCode}?${query}`,
        csvHref: `/api/v1/workforce/tables/${dimensionCode}?${query}&format=csv`,
      });
    },
  );

  api.get('/workforce/target', { config: { publicCache: true }, schema: { hide: true } }, async (request, reply) => {
    const target = await tablesService.getTarget();
    return reply.render('workforce/views/target.njk', {
      title: 'Under-represented groups in the digital workforce: the +20% target',
      target,
      groups: TARGET_GROUPS,
      canPublish: request.actor !== null && workforcePolicy.canPublish(request.actor),
      breadcrumbs: [
        { text: 'Home', href: '/' },
        { text: 'Workforce', href: '/workforce' },
      ],
    });
  });

  api.post(
    '/workforce/publish',
    { schema: { hide: true, body: z.object({ year: z.coerce.number().int().min(2000).max(2100), _csrf: z.string().optional() }) } },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      const result = await tablesService.publishYear(actor, request.body.year);
      return reply.header('Cache-Control', 'no-store').render('workforce/views/done.njk', {
        title: `Tables for ${request.body.year} published`,
        panel: `Tables for ${request.body.year} published`,
        paragraphs: [
          `Made from ${result.councils} councils’ returns; ${result.hidden} figures hidden by disclosure control.`,
          result.unprotected > 0
            ? `${result.unprotected} hidden figures could already be worked out from tables published earlier this year.`
            : 'No hidden figure can be worked out from this or any earlier table of the year.',
        ],
        next: { href: `/workforce/tables?year=${request.body.year}`, text: 'See the tables' },
      });
    },
  );
}
