import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InputError } from '../../platform/errors.js';
import { buildPagination, type CsvColumn, sendCsv, wantsCsv } from '../../platform/http/lists.js';
import { DISTRICT_HEX_MAP_FILE, loadHexMap, renderHexMap } from '../../platform/views/hex-map.js';
import { requireSignedIn } from '../identity/index.js';
import { renderAdoptionChart } from './standards.chart.js';
import {
  type Adoption,
  BASIS_LABELS,
  type CouncilAdoption,
  RATING_LABELS,
  RATINGS,
  type RatingInput,
  type StandardsService,
} from './standards.service.js';
import type { Rating, Reviewer } from './standards.tables.js';
import { formErrors, fieldErrors } from '../../platform/http/forms.js';
import { idParamsSchema, idSchema } from '../../platform/http/ids.js';

const csrfField = { _csrf: z.string().optional() };
const idParams = idParamsSchema;
const slugParams = z.object({ slug: z.string().min(1).max(100) });
const versionParams = slugParams.extend({ version: idSchema });
const pointParams = versionParams.extend({ number: idSchema });
const formBody = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

const pointSchema = z.object({
  number: z.number().int(),
  title: z.string(),
  meaning: z.string(),
  whyItMatters: z.string(),
  howToMeet: z.string(),
  evidenceGuidance: z.string(),
});
const figuresSchema = z.object({ councils: z.number().int(), meeting: z.number().int(), percentage: z.number() });

const TABLES = ['regions', 'council-types', 'quarters', 'councils'] as const;
type TableName = (typeof TABLES)[number];

const REVIEWERS: readonly { reviewer: Reviewer; path: string; title: string; action: string }[] = [
  { reviewer: 'self', path: 'self-assessment', title: 'Self-assessment', action: 'Submit self-assessment' },
  { reviewer: 'peer', path: 'peer-review', title: 'Peer review', action: 'Complete peer review' },
  { reviewer: 'audit', path: 'audit', title: 'Audit', action: 'Complete audit' },
];

const STATUS_LABELS: Record<CouncilAdoption['status'], string> = {
  met: 'Meets the standard',
  'not-met': 'Assessed, not met',
  'out-of-date': 'Assessment out of date',
  none: 'No assessment',
};

function text(body: Record<string, string | string[]>, name: string): string {
  const value = body[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** A real date from the three GOV.UK date fields, or null. */
function dateFromFields(day: string, month: string, year: string): string | null {
  const [d, m, y] = [Number(day), Number(month), Number(year)];
  if (!Number.isInteger(d) || !Number.isInteger(m) || !Number.isInteger(y) || y < 2000 || y > 2100) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

function tableRows(adoption: Adoption, table: TableName): Record<string, string | number | null>[] {
  if (table === 'regions') return Object.entries(adoption.byRegion).map(([region, value]) => ({ region, ...value }));
  if (table === 'council-types') return Object.entries(adoption.byCouncilType).map(([councilType, value]) => ({ councilType, ...value }));
  if (table === 'quarters') return adoption.quarters.map((quarter) => ({ ...quarter }));
  return adoption.councilList.map((council) => ({ ...council }));
}

function csvColumnsOf(
  rows: readonly Record<string, string | number | null>[],
  table: TableName,
): CsvColumn<Record<string, string | number | null>>[] {
  const headers =
    rows[0] !== undefined
      ? Object.keys(rows[0])
      : table === 'councils'
        ? ['gssCode', 'name', 'region', 'councilType', 'councilTypeName', 'status', 'basis', 'decidedOn']
        : ['councils', 'meeting', 'percentage'];
  return headers.map((header) => ({
    header: header.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`),
    value: (row) => row[header],
  }));
}

/** The standards pages, the assessment journey and the JSON API. */

/** Published case studies linked to a record, from the knowledge module (wired in app.ts); optional so this module stands alone. */
type LinkedCaseStudies = (kind: 'component' | 'challenge' | 'standard', reference: string) => Promise<unknown[]>;

export function registerStandardsRoutes(
  app: FastifyInstance,
  { standardsService, listLinkedCaseStudies }: { standardsService: StandardsService; listLinkedCaseStudies?: LinkedCaseStudies },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/standards',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Standards'],
        summary: 'List standards with the points of their current version',
        description: 'Every standard that is in consultation, published or retired. `currentVersion` is the newest published version.',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                slug: z.string(),
                title: z.string(),
                purpose: z.string(),
                status: z.string(),
                owner: z.string(),
                currentVersion: z.number().int().nullable(),
                points: z.array(pointSchema),
              }),
            ),
          }),
        },
      },
    },
    async () => ({
      items: (await standardsService.listStandards()).map((standard) => ({ ...standard, owner: standard.ownerName })),
    }),
  );

  api.get(
    '/api/v1/standards/:slug/adoption',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Standards'],
        summary: 'How many English councils meet a standard',
        description:
          'Counts current English principal councils whose most recent assessment of the standard, decided in the last 24 months, is met. `meeting` = `selfAssessed` + `peerReviewed` + `audited` (each council counted once, at its highest basis). `percentage` is of `councils`, 0 to 100.',
        params: slugParams,
        querystring: z.object({ onDate: z.iso.date().optional().describe('Measure on this date (YYYY-MM-DD, default today)') }),
        response: {
          200: figuresSchema.extend({
            standard: z.object({ slug: z.string(), title: z.string() }),
            onDate: z.string(),
            target: z.number(),
            selfAssessed: z.number().int(),
            peerReviewed: z.number().int(),
            audited: z.number().int(),
            assessedNotMet: z.number().int(),
            byRegion: z.record(z.string(), figuresSchema),
            byCouncilType: z.record(z.string(), figuresSchema),
            quarters: z.array(figuresSchema.extend({ quarter: z.string(), onDate: z.string() })),
          }),
        },
      },
    },
    async (request) => {
      const { councilList: _councilList, ...adoption } = await standardsService.measureAdoption(request.params.slug, request.query.onDate);
      return adoption;
    },
  );

  api.get(
    '/api/v1/standards/:slug/adoption/:table',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Standards'],
        summary: 'One table of the adoption dashboard, as JSON or CSV',
        description:
          '`regions`, `council-types`, `quarters`, or `councils` (every current English council with its status, basis and decision date).',
        params: slugParams.extend({ table: z.enum(TABLES) }),
        querystring: z.object({ format: z.enum(['json', 'csv']).optional(), onDate: z.iso.date().optional() }),
        response: { 200: z.object({ items: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))) }) },
      },
    },
    async (request, reply) => {
      const adoption = await standardsService.measureAdoption(request.params.slug, request.query.onDate);
      const rows = tableRows(adoption, request.params.table);
      if (wantsCsv(request, request.query.format))
        return sendCsv(
          reply,
          `${request.params.slug}-adoption-${request.params.table}.csv`,
          csvColumnsOf(rows, request.params.table),
          rows,
        );
      return { items: rows };
    },
  );

  api.get(
    '/api/v1/standards/:slug/components',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Standards'],
        summary: 'Catalogue components declared as helping meet points of a standard',
        description: 'Declared by the people who publish each component; point numbers refer to the current version.',
        params: slugParams,
        response: {
          200: z.object({ items: z.array(z.object({ componentSlug: z.string(), pointNumber: z.number().int(), note: z.string() })) }),
        },
      },
    },
    async (request) => ({ items: await standardsService.listComponentPoints(request.params.slug) }),
  );

  api.get(
    '/standards/:slug/adoption/councils',
    {
      config: { publicCache: true },
      schema: {
        hide: true,
        params: slugParams,
        querystring: z.object({
          status: z.union([z.enum(['met', 'not-met', 'out-of-date', 'none']), z.literal('')]).optional(),
          region: z.string().max(100).optional(),
          page: z.coerce.number().int().min(1).default(1),
        }),
      },
    },
    async (request, reply) => {
      const adoption = await standardsService.measureAdoption(request.params.slug);
      const { status, region, page } = request.query;
      const matching = adoption.councilList.filter(
        (council) => (!status || council.status === status) && (!region || council.region === region),
      );
      const pageSize = 50;
      const filter = { status: status || undefined, region: region || undefined };
      const regions = Object.keys(adoption.byRegion);
      return reply.render('standards/views/councils.njk', {
        title: `${adoption.standard.title}: every council`,
        adoption,
        total: matching.length,
        firstItem: matching.length === 0 ? 0 : (page - 1) * pageSize + 1,
        lastItem: Math.min(page * pageSize, matching.length),
        rows: matching.slice((page - 1) * pageSize, page * pageSize).map((council) => ({
          ...council,
          statusLabel: STATUS_LABELS[council.status],
          basisLabel: council.basis ? BASIS_LABELS[council.basis] : '',
        })),
        pagination: buildPagination(`/standards/${adoption.standard.slug}/adoption/councils`, filter, page, pageSize, matching.length),
        statusOptions: [
          { value: '', text: 'Any status', selected: !status },
          ...(['met', 'not-met', 'out-of-date', 'none'] as const).map((key) => ({
            value: key,
            text: STATUS_LABELS[key],
            selected: status === key,
          })),
        ],
        regionOptions: [
          { value: '', text: 'Any region', selected: !region },
          ...regions.map((name) => ({ value: name, text: name, selected: region === name })),
        ],
        csvHref: `/api/v1/standards/${adoption.standard.slug}/adoption/councils?format=csv`,
        breadcrumbs: [
          { text: 'Home', href: '/' },
          { text: 'Standards', href: '/standards' },
          { text: `${adoption.standard.title}: adoption`, href: `/standards/${adoption.standard.slug}/adoption` },
        ],
      });
    },
  );

  api.get('/standards', { config: { publicCache: true }, schema: { hide: true } }, async (_request, reply) =>
    reply.render('standards/views/list.njk', { title: 'Standards', standards: await standardsService.listStandards() }),
  );

  const renderStandard = async (request: FastifyRequest, reply: FastifyReply, slug: string, version?: number, error?: InputError) => {
    const view = await standardsService.getStandard(slug, request.actor, version);
    return reply.render('standards/views/show.njk', {
      title: view.standard.title,
      view,
      linkedCaseStudies: listLinkedCaseStudies ? await listLinkedCaseStudies('standard', slug) : [],
      linkedCaseStudiesHeading: 'Case studies showing its points met',
      signedIn: request.actor !== null,
      canAssess: request.actor !== null && request.actor.organisationId !== null,
      errorSummary: error ? formErrors(error) : undefined,
      errors: fieldErrors(error),
      breadcrumbs: [
        { text: 'Home', href: '/' },
        { text: 'Standards', href: '/standards' },
      ],
    });
  };

  api.get(
    '/standards/:slug',
    {
      config: { publicCache: true },
      schema: { hide: true, params: slugParams, querystring: z.object({ version: idSchema.optional() }) },
    },
    async (request, reply) => renderStandard(request, reply, request.params.slug, request.query.version),
  );

  api.get(
    '/standards/:slug/adoption',
    { config: { publicCache: true }, schema: { hide: true, params: slugParams } },
    async (request, reply) => {
      const adoption = await standardsService.measureAdoption(request.params.slug);
      const status = new Map(
        adoption.councilList.flatMap((council) => (council.gssCode ? [[council.gssCode, council.status] as const] : [])),
      );
      const map = loadHexMap(DISTRICT_HEX_MAP_FILE);
      const englishHexes = map.hexes.filter((hex) => hex.code.startsWith('E'));
      const statusCounts = (['met', 'not-met', 'out-of-date', 'none'] as const).map((key) => ({
        label: STATUS_LABELS[key],
        count: adoption.councilList.filter((council) => council.status === key).length,
      }));
      return reply.render('standards/views/adoption.njk', {
        title: `${adoption.standard.title}: adoption`,
        adoption,
        targetPercentage: adoption.target * 100,
        basisRows: [
          { label: BASIS_LABELS.audited, count: adoption.audited },
          { label: BASIS_LABELS.peer, count: adoption.peerReviewed },
          { label: BASIS_LABELS.self, count: adoption.selfAssessed },
        ],
        statusCounts,
        chartSvg: renderAdoptionChart({
          id: 'adoption-chart',
          title: `Share of English councils meeting the ${adoption.standard.title}, by quarter`,
          points: adoption.quarters.map((quarter) => ({ label: quarter.quarter, percentage: quarter.percentage })),
          targetPercentage: adoption.target * 100,
        }),
        hexMapSvg: renderHexMap({
          hexes: { layout: map.layout, hexes: englishHexes },
          statusByGssCode: status,
          legend: [
            { status: 'met', label: STATUS_LABELS.met, className: 'app-hex--met' },
            { status: 'not-met', label: STATUS_LABELS['not-met'], className: 'app-hex--not-met', colour: '#d4351c' },
            { status: 'out-of-date', label: STATUS_LABELS['out-of-date'], className: 'app-hex--out-of-date', colour: '#505a5f' },
          ],
          noStatusLabel: STATUS_LABELS.none,
          title: `English district and unitary councils and the ${adoption.standard.title}`,
          description: 'Each hexagon is a district, unitary, metropolitan or London borough council. County councils are not on this map.',
          idPrefix: 'adoption-map',
        }),
        downloads: TABLES.map((table) => ({
          table,
          csv: `/api/v1/standards/${adoption.standard.slug}/adoption/${table}?format=csv`,
          json: `/api/v1/standards/${adoption.standard.slug}/adoption/${table}`,
        })),
        breadcrumbs: [
          { text: 'Home', href: '/' },
          { text: 'Standards', href: '/standards' },
          { text: adoption.standard.title, href: `/standards/${adoption.standard.slug}` },
        ],
      });
    },
  );

  api.get('/standards/your-organisation', { schema: { hide: true } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const overview = await standardsService.getOrganisationOverview(actor);
    return reply.header('Cache-Control', 'no-store').render('standards/views/organisation.njk', {
      title: 'Your assessments',
      overview,
      actor,
      standards: await standardsService.listStandards(),
    });
  });

  api.post(
    '/standards/:slug/assessments',
    { schema: { hide: true, params: slugParams, body: z.object({ serviceName: z.string().max(1000).default(''), ...csrfField }) } },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      try {
        const id = await standardsService.startAssessment(actor, request.params.slug, { serviceName: request.body.serviceName });
        return reply
          .flash({ heading: 'Your assessment is started', text: 'Rate each point; you can save and come back at any time.' })
          .redirect(`/standards/assessments/${id}/self-assessment`, 303);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderStandard(request, reply.status(400), request.params.slug, undefined, error);
      }
    },
  );

  const renderAssessment = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    error?: InputError,
    values: Record<string, string> = {},
  ) => {
    const actor = requireSignedIn(request);
    const view = await standardsService.getAssessment(actor, id);
    return reply.header('Cache-Control', 'no-store').render('standards/views/assessment.njk', {
      title: `${view.assessment.standard_title}: ${view.assessment.service_name ?? view.assessment.organisation_name}`,
      view,
      ratingLabels: RATING_LABELS,
      basisLabels: BASIS_LABELS,
      values,
      errorSummary: error ? formErrors(error) : undefined,
      errors: fieldErrors(error),
      breadcrumbs: [
        { text: 'Home', href: '/' },
        { text: 'Your assessments', href: '/standards/your-organisation' },
      ],
    });
  };

  api.get('/standards/assessments/:id', { schema: { hide: true, params: idParams } }, async (request, reply) =>
    renderAssessment(request, reply, request.params.id),
  );

  for (const { reviewer, path: reviewerPath, title, action } of REVIEWERS) {
    const renderRating = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      error?: InputError,
      values?: Record<string, string | string[]>,
    ) => {
      const actor = requireSignedIn(request);
      const view = await standardsService.getAssessment(actor, id);
      const allowed = reviewer === 'self' ? view.can.selfAssess : reviewer === 'peer' ? view.can.peerReview : view.can.audit;
      const own = (row: (typeof view.rows)[number]) => (reviewer === 'self' ? row.self : reviewer === 'peer' ? row.peer : row.audit);
      const value = (name: string, fallback: string) => (values ? text(values, name) : fallback);
      return reply.header('Cache-Control', 'no-store').render('standards/views/rate.njk', {
        title: `${title}: ${view.assessment.standard_title}`,
        heading: title,
        action,
        formAction: `/standards/assessments/${id}/${reviewerPath}`,
        reviewer,
        allowed,
        view,
        ratingLabels: RATING_LABELS,
        points: view.rows.map((row) => {
          const saved = own(row);
          const n = row.point.number;
          const chosen = value(`rating-${n}`, saved?.rating ?? '');
          return {
            ...row,
            ratingItems: RATINGS.map((rating) => ({ value: rating, text: RATING_LABELS[rating], checked: chosen === rating })),
            commentary: value(`commentary-${n}`, saved?.commentary ?? ''),
            links: value(`links-${n}`, (saved?.evidence_links ?? []).join('\n')),
            components: value(`components-${n}`, (saved?.component_slugs ?? []).join(', ')),
          };
        }),
        errorSummary: error ? formErrors(error) : undefined,
        errors: fieldErrors(error),
        breadcrumbs: [
          { text: 'Home', href: '/' },
          { text: 'Your assessments', href: '/standards/your-organisation' },
          { text: 'Assessment', href: `/standards/assessments/${id}` },
        ],
      });
    };

    api.get(`/standards/assessments/:id/${reviewerPath}`, { schema: { hide: true, params: idParams } }, async (request, reply) =>
      renderRating(request, reply, request.params.id),
    );

    api.post(
      `/standards/assessments/:id/${reviewerPath}`,
      { schema: { hide: true, params: idParams, body: formBody } },
      async (request, reply) => {
        const actor = requireSignedIn(request);
        const body = request.body;
        const numbers = new Set(
          Object.keys(body).flatMap((key) => {
            const match = /^(?:rating|commentary|links|components)-(\d+)$/.exec(key);
            return match?.[1] ? [Number(match[1])] : [];
          }),
        );
        const inputs: RatingInput[] = [...numbers].map((number) => {
          const rating = text(body, `rating-${number}`);
          return {
            pointNumber: number,
            rating: (RATINGS as readonly string[]).includes(rating) ? (rating as Rating) : null,
            commentary: text(body, `commentary-${number}`),
            evidenceLinks: text(body, `links-${number}`),
            componentSlugs: text(body, `components-${number}`),
          };
        });
        const complete = text(body, 'intent') === 'complete';
        try {
          await standardsService.saveRatings(actor, request.params.id, reviewer, inputs, complete);
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          return renderRating(request, reply.status(400), request.params.id, error, body);
        }
        return reply
          .flash(
            complete
              ? { heading: 'Your ratings are submitted', text: 'The assessment shows what happens next.' }
              : { heading: 'Your ratings are saved', text: 'Nothing is submitted yet: come back to finish and submit them.' },
          )
          .redirect(
            complete ? `/standards/assessments/${request.params.id}` : `/standards/assessments/${request.params.id}/${reviewerPath}`,
            303,
          );
      },
    );
  }

  api.post(
    '/standards/assessments/:id/peer-review-request',
    { schema: { hide: true, params: idParams, body: z.object({ peerOrganisation: z.string().max(20).default(''), ...csrfField }) } },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      const chosen = request.body.peerOrganisation ? Number(request.body.peerOrganisation) : null;
      try {
        await standardsService.requestPeerReview(actor, request.params.id, chosen !== null && Number.isInteger(chosen) ? chosen : null);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderAssessment(request, reply.status(400), request.params.id, error);
      }
      return reply
        .flash({ heading: 'Peer review is requested', text: 'The other council’s admins are asked to review this assessment.' })
        .redirect(`/standards/assessments/${request.params.id}`, 303);
    },
  );

  api.post(
    '/standards/assessments/:id/sign-off',
    { schema: { hide: true, params: idParams, body: z.object(csrfField) } },
    async (request, reply) => {
      await standardsService.signOff(requireSignedIn(request), request.params.id);
      return reply.redirect(`/standards/assessments/${request.params.id}/signed-off`, 303);
    },
  );

  api.get('/standards/assessments/:id/signed-off', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const view = await standardsService.getAssessment(actor, request.params.id);
    if (view.assessment.signed_off_at === null) return reply.redirect(`/standards/assessments/${request.params.id}`, 303);
    const adoption = await standardsService.measureAdoption(view.assessment.standard_slug);
    return reply.header('Cache-Control', 'no-store').render('standards/views/signed-off.njk', {
      title: 'Assessment signed off',
      assessment: view.assessment,
      adoption,
      targetPercentage: Math.round(adoption.target * 100),
      breadcrumbs: [
        { text: 'Home', href: '/' },
        { text: 'Your assessments', href: '/standards/your-organisation' },
        { text: 'Assessment', href: `/standards/assessments/${request.params.id}` },
      ],
    });
  });

  api.post(
    '/standards/assessments/:id/owner',
    { schema: { hide: true, params: idParams, body: z.object({ owner: z.string().max(20).default(''), ...csrfField }) } },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      const chosen = /^[1-9]\d{0,9}$/.test(request.body.owner) ? Number(request.body.owner) : null;
      try {
        await standardsService.nameOwner(actor, request.params.id, chosen);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderAssessment(request, reply.status(400), request.params.id, error);
      }
      return reply.redirect(`/standards/assessments/${request.params.id}#sign-off`, 303);
    },
  );

  api.post(
    '/standards/assessments/:id/actions',
    {
      schema: {
        hide: true,
        params: idParams,
        body: z.object({
          actionDescription: z.string().max(5000).default(''),
          actionOwner: z.string().max(500).default(''),
          actionOwnerEmail: z.string().max(500).default(''),
          'actionDue-day': z.string().max(10).default(''),
          'actionDue-month': z.string().max(10).default(''),
          'actionDue-year': z.string().max(10).default(''),
          actionPoint: z.string().max(10).default(''),
          ...csrfField,
        }),
      },
    },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      const body = request.body;
      try {
        await standardsService.addAction(actor, request.params.id, {
          description: body.actionDescription,
          ownerName: body.actionOwner,
          ownerEmail: body.actionOwnerEmail,
          dueOn: dateFromFields(body['actionDue-day'], body['actionDue-month'], body['actionDue-year']),
          pointNumber: body.actionPoint ? Number(body.actionPoint) : null,
        });
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        const { _csrf: _ignored, ...values } = body;
        return renderAssessment(request, reply.status(400), request.params.id, error, values);
      }
      return reply
        .flash({ heading: 'The action is added to the plan' })
        .redirect(`/standards/assessments/${request.params.id}#actions`, 303);
    },
  );

  api.post(
    '/standards/actions/:id/done',
    { schema: { hide: true, params: idParams, body: z.object(csrfField) } },
    async (request, reply) => {
      const assessmentId = await standardsService.completeAction(requireSignedIn(request), request.params.id);
      return reply.flash({ heading: 'The action is marked as done' }).redirect(`/standards/assessments/${assessmentId}#actions`, 303);
    },
  );

  api.post(
    '/standards/:slug/versions/:version/points/:number/comments',
    { schema: { hide: true, params: pointParams, body: z.object({ comment: z.string().max(10000).default(''), ...csrfField }) } },
    async (request, reply) => {
      const { slug, version, number } = request.params;
      try {
        await standardsService.addComment(requireSignedIn(request), slug, version, number, request.body.comment);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderStandard(request, reply.status(400), slug, version, error);
      }
      return reply.redirect(`/standards/${slug}?version=${version}#point-${number}`, 303);
    },
  );

  api.post(
    '/standards/comments/:id/answer',
    { schema: { hide: true, params: idParams, body: z.object({ answer: z.string().max(10000).default(''), ...csrfField }) } },
    async (request, reply) => {
      const where = await standardsService.answerComment(requireSignedIn(request), request.params.id, request.body.answer);
      return reply.redirect(`/standards/${where.slug}?version=${where.versionNumber}`, 303);
    },
  );

  api.post(
    '/standards/:slug/versions',
    { schema: { hide: true, params: slugParams, body: z.object(csrfField) } },
    async (request, reply) => {
      const version = await standardsService.createDraftVersion(requireSignedIn(request), request.params.slug);
      return reply.redirect(`/standards/${request.params.slug}?version=${version.version_number}`, 303);
    },
  );

  api.post(
    '/standards/:slug/versions/:version/points/:number',
    {
      schema: {
        hide: true,
        params: pointParams,
        body: z.object({
          title: z.string().max(500).default(''),
          meaning: z.string().max(5000).default(''),
          whyItMatters: z.string().max(5000).default(''),
          howToMeet: z.string().max(5000).default(''),
          evidenceGuidance: z.string().max(5000).default(''),
          ...csrfField,
        }),
      },
    },
    async (request, reply) => {
      const { slug, version, number } = request.params;
      try {
        await standardsService.updatePoint(requireSignedIn(request), slug, version, number, request.body);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderStandard(request, reply.status(400), slug, version, error);
      }
      return reply.redirect(`/standards/${slug}?version=${version}#point-${number}`, 303);
    },
  );

  api.post(
    '/standards/:slug/components',
    {
      schema: {
        hide: true,
        params: slugParams,
        body: z.object({
          component: z.string().max(200).default(''),
          point: z.string().max(10).default(''),
          note: z.string().max(2000).default(''),
          ...csrfField,
        }),
      },
    },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      const { slug } = request.params;
      const pointNumber = Number(request.body.point);
      try {
        await standardsService.declareComponentPoint(actor, {
          componentSlug: request.body.component,
          standardSlug: slug,
          pointNumber: Number.isInteger(pointNumber) ? pointNumber : 0,
          note: request.body.note,
        });
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderStandard(request, reply.status(400), slug, undefined, error);
      }
      return reply.redirect(`/standards/${slug}#point-${pointNumber}`, 303);
    },
  );

  api.post('/standards/:slug/retire', { schema: { hide: true, params: slugParams, body: z.object(csrfField) } }, async (request, reply) => {
    await standardsService.retireStandard(requireSignedIn(request), request.params.slug);
    return reply.redirect(`/standards/${request.params.slug}`, 303);
  });

  api.post(
    '/standards/:slug/versions/:version/status',
    {
      schema: {
        hide: true,
        params: versionParams,
        body: z.object({ status: z.enum(['consultation', 'published']), changesSummary: z.string().max(5000).default(''), ...csrfField }),
      },
    },
    async (request, reply) => {
      const { slug, version } = request.params;
      try {
        await standardsService.changeVersionStatus(
          requireSignedIn(request),
          slug,
          version,
          request.body.status,
          request.body.changesSummary,
        );
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderStandard(request, reply.status(400), slug, version, error);
      }
      return reply.redirect(`/standards/${slug}?version=${version}`, 303);
    },
  );
}
