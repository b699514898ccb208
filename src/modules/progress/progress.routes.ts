/** The 2030 dashboard: `/progress`, each target's page and method, downloads, the API, and the institute's view. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InputError } from '../../platform/errors.js';
import { fieldErrors, formErrors } from '../../platform/http/forms.js';
import { sendCsv, wantsCsv } from '../../platform/http/lists.js';
import { requireSignedIn } from '../identity/index.js';
import { HISTORY_CSV_COLUMNS, longDate, presentTarget, TARGET_CSV_COLUMNS, targetJson } from './progress.presenters.js';
import type { ProgressService } from './progress.service.js';
import { registerRegionsRoutes } from './regions.routes.js';
import { registerCentreMemberRoutes } from './centre-members.routes.js';
import type { RegionsService } from './regions.service.js';

const targetParams = z.object({ id: z.string().regex(/^[a-z0-9-]{1,140}$/) });
const formatQuery = z.object({ format: z.enum(['json', 'csv']).optional().describe('Answer as CSV or JSON (default JSON)') });
const dated = z.object({ date: z.string().nullable(), value: z.number().nullable() });
const targetSchema = z.object({
  id: z.string(),
  title: z.string(),
  unit: z.enum(['percent', 'count', 'index']),
  baseline: dated,
  current: dated,
  target: dated,
  status: z.enum(['on-track', 'needs-attention', 'off-track', 'not-yet-measured']),
  rule: z.string(),
  history: z.array(z.object({ date: z.string(), value: z.number().nullable() })),
});
const breakdownSchema = z.array(
  z.object({ key: z.string(), label: z.string(), councils: z.number(), counted: z.number(), percentage: z.number().nullable() }),
);

const crumbs = [{ text: 'Home', href: '/' }];

/** The dashboard, target pages, downloads and declared figures. Over 80 lines as a list of route declarations, each short. */
export function registerProgressRoutes(
  app: FastifyInstance,
  {
    progressService,
    regionsService,
    organisationsService,
  }: {
    progressService: ProgressService;
    regionsService: RegionsService;
    organisationsService: Parameters<typeof registerCentreMemberRoutes>[1]['organisationsService'];
  },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/progress',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Progress'],
        summary: 'The 2030 targets',
        description:
          'Every sector target: baseline, current figure, target and deadline, status by the stated rule, and the quarterly history (snapshots that never change, then today’s live figure). `format=csv` gives one row per target.',
        querystring: formatQuery,
        response: { 200: z.object({ asOf: z.string(), targets: z.array(targetSchema) }) },
      },
    },
    async (request, reply) => {
      const { asOf, targets, rule } = await progressService.getDashboard();
      if (wantsCsv(request, request.query.format)) return sendCsv(reply, `progress-${asOf}.csv`, TARGET_CSV_COLUMNS, targets);
      return { asOf, targets: targets.map((target) => targetJson(target, rule)) };
    },
  );

  api.get(
    '/api/v1/progress/targets/:id',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Progress'],
        summary: 'One target with its history and breakdowns',
        description:
          'The target as in `/api/v1/progress`, with numerator, denominator, breakdowns by region and council type, and correction notes. `format=csv` gives its history.',
        params: targetParams,
        querystring: formatQuery,
        response: {
          200: targetSchema.extend({
            numerator: z.number().nullable(),
            denominator: z.number().nullable(),
            byRegion: breakdownSchema,
            byCouncilType: breakdownSchema,
            corrections: z.array(
              z.object({
                quarterEnd: z.string(),
                snapshotValue: z.number().nullable(),
                correctedValue: z.number().nullable(),
                notedOn: z.string(),
              }),
            ),
            method: z.object({ counts: z.string(), denominator: z.string(), source: z.string(), gaps: z.string() }),
          }),
        },
      },
    },
    async (request, reply) => {
      const { target, rule } = await progressService.getTarget(request.params.id);
      if (wantsCsv(request, request.query.format))
        return sendCsv(
          reply,
          `progress-${target.id}-history.csv`,
          HISTORY_CSV_COLUMNS,
          target.history.map((point) => ({ ...point, targetId: target.id })),
        );
      return {
        ...targetJson(target, rule),
        numerator: target.measurement.numerator,
        denominator: target.measurement.denominator,
        byRegion: target.measurement.byRegion,
        byCouncilType: target.measurement.byCouncilType,
        corrections: target.corrections.map(({ quarterEnd, snapshotValue, correctedValue, notedOn }) => ({
          quarterEnd,
          snapshotValue,
          correctedValue,
          notedOn,
        })),
        method: target.definition.method,
      };
    },
  );

  api.get('/progress', { config: { publicCache: true }, schema: { hide: true } }, async (_request, reply) => {
    const { asOf, targets, rule, calendar } = await progressService.getDashboard();
    return reply.render('progress/views/dashboard.njk', {
      title: 'Progress towards the 2030 targets',
      asOf: longDate(asOf),
      cards: targets.map(presentTarget),
      rule,
      calendar: {
        last: { ...calendar.lastQuarter, text: longDate(calendar.lastQuarter.quarterEnd) },
        next: calendar.next.map((entry) => ({ ...entry, text: longDate(entry.quarterEnd) })),
      },
      breadcrumbs: crumbs,
    });
  });

  api.get(
    '/progress/targets/:id',
    { config: { publicCache: true }, schema: { hide: true, params: targetParams } },
    async (request, reply) => {
      const { asOf, target, rule, calendar } = await progressService.getTarget(request.params.id);
      return reply.render('progress/views/target.njk', {
        title: target.title,
        asOf: longDate(asOf),
        target: presentTarget(target),
        rule,
        nextSnapshot: calendar.next[0] ? longDate(calendar.next[0].quarterEnd) : '',
        breadcrumbs: [...crumbs, { text: 'Progress', href: '/progress' }],
      });
    },
  );

  api.get(
    '/progress/targets/:id/method',
    { config: { publicCache: true }, schema: { hide: true, params: targetParams } },
    async (request, reply) => {
      const { target, rule } = await progressService.getTarget(request.params.id);
      const presented = presentTarget(target);
      return reply.render('progress/views/method.njk', {
        title: `How we measure: ${target.title}`,
        target: presented,
        rule,
        breadcrumbs: [...crumbs, { text: 'Progress', href: '/progress' }, { text: target.title, href: presented.href }],
      });
    },
  );

  const renderInstitute = async (
    reply: FastifyReply,
    actor: Parameters<ProgressService['getInstituteView']>[0],
    values: Record<string, string>,
    error?: InputError,
  ) => {
    const view = await progressService.getInstituteView(actor);
    return reply
      .status(error ? 400 : 200)
      .header('Cache-Control', 'no-store')
      .render('progress/views/institute.njk', {
        title: 'The institute’s view',
        ...view,
        asOf: longDate(view.asOf),
        cards: view.targets.map(presentTarget),
        values,
        errors: fieldErrors(error),
        errorSummary: error ? formErrors(error) : undefined,
        breadcrumbs: [...crumbs, { text: 'Progress', href: '/progress' }],
      });
  };

  api.get(
    '/progress/institute',
    { schema: { hide: true, querystring: z.object({ declared: z.string().optional() }) } },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      return renderInstitute(reply, actor, { declared: request.query.declared ?? '' });
    },
  );

  api.post(
    '/progress/institute/chief-executives',
    {
      schema: {
        hide: true,
        body: z.object({
          value: z.string().max(20).default(''),
          asOf: z.string().max(20).default(''),
          source: z.string().max(2000).default(''),
          _csrf: z.string().optional(),
        }),
      },
    },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      const { _csrf: _token, ...values } = request.body;
      try {
        await progressService.declareChiefExecutives(actor, values);
        return reply.redirect('/progress/institute?declared=1#declared-figures', 303);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderInstitute(reply, actor, values, error);
      }
    },
  );

  registerRegionsRoutes(app, { regionsService });
  registerCentreMemberRoutes(app, { organisationsService });
}
