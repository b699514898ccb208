import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InputError } from '../../platform/errors.js';
import { fieldErrors, formErrors } from '../../platform/http/forms.js';
import { buildPagination, queryString, sendCsv, wantsCsv } from '../../platform/http/lists.js';
import { requireSignedIn } from '../identity/index.js';
import { SERVICE_AREA_LABELS, SERVICE_AREAS } from '../challenges/index.js';
import { caseStudyCsvColumns, formOptions, formValuesOf } from './case-studies.presenters.js';
import { caseStudyDetailSchema, caseStudyFormSchema, caseStudyListQuerySchema, caseStudySummarySchema } from './case-studies.schemas.js';
import type { CaseStudiesService, CaseStudyQuery } from './case-studies.service.js';
import { EVIDENCE_CRITERIA } from './evidence.js';
import { knowledgePolicy } from './knowledge.policy.js';
import { EVIDENCE_LEVELS } from './knowledge.tables.js';
import type { FlashMessage } from '../../platform/http/flash.js';

const slugParams = z.object({ slug: z.string().min(1).max(120).describe('The case study’s name in its address') });
const serviceAreaItems = SERVICE_AREAS.map((area) => ({ value: area, text: SERVICE_AREA_LABELS[area] }));
const breadcrumbs = [
  { text: 'Knowledge', href: '/knowledge' },
  { text: 'Case studies', href: '/case-studies' },
];

/** Page filters: HTML forms send every field, empty when not chosen. */
const pageFilterSchema = z.object({
  serviceArea: z.string().max(100).optional(),
  minimumLevel: z.union([z.coerce.number().int().min(1).max(5), z.literal('')]).optional(),
  sort: z.union([z.enum(['newest', 'title', 'evidence']), z.literal('')]).optional(),
  page: z.coerce.number().int().min(1).default(1),
});

/** What each change to a case study confirms, on the case study's page (a success banner: what changed, what next). */
const CONFIRMATIONS = {
  saved: { heading: 'Your case study is saved as a draft', text: 'Only your council can see it. Send it for review when it is ready.' },
  submitted: {
    heading: 'Your case study is sent for review',
    text: 'A reviewer from another council or the institute will confirm its evidence level.',
  },
  published: { heading: 'The case study is published', text: 'It is published with the evidence level you confirmed.' },
  returned: { heading: 'The case study is returned to its authors', text: 'They can read your note, change it and send it again.' },
  replicated: {
    heading: 'Your council’s replication is recorded',
    text: 'The evidence level rises only when the rules on this page say so.',
  },
} satisfies Record<string, FlashMessage>;

function stripForm(body: Record<string, unknown>) {
  const { _csrf: _token, intent, ...values } = body;
  return { values, submit: intent === 'submit' };
}

/** Case studies' pages and JSON API: list, read, write, review and replicate. Over 80 lines as a list of route declarations, each short. */
export function registerCaseStudyRoutes(app: FastifyInstance, { caseStudiesService }: { caseStudiesService: CaseStudiesService }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/case-studies',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Knowledge'],
        summary: 'List published case studies',
        description:
          'What-works case studies with their evidence level (Nesta 1–5). Filter by service area and minimum level; sort and page.',
        querystring: caseStudyListQuerySchema,
        response: {
          200: z.object({
            total: z.number().int(),
            page: z.number().int(),
            pageSize: z.number().int(),
            items: z.array(caseStudySummarySchema),
          }),
        },
      },
    },
    async (request, reply) => {
      const { page, pageSize, format, ...filter } = request.query;
      const csv = wantsCsv(request, format);
      const result = await caseStudiesService.listCaseStudies({ ...filter, page: csv ? 1 : page, pageSize: csv ? 100_000 : pageSize });
      if (csv) return sendCsv(reply, 'case-studies.csv', caseStudyCsvColumns, result.items);
      return { total: result.total, page, pageSize, items: result.items };
    },
  );

  api.get(
    '/api/v1/case-studies/:slug',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Knowledge'],
        summary: 'One case study',
        description:
          'A published case study: context, cost bands, measured outcomes, lessons, evidence (claimed, confirmed and current level with the criteria), linked components, standards, challenges, suppliers and agreements, and replications.',
        params: slugParams,
        response: { 200: caseStudyDetailSchema },
      },
    },
    async (request) => caseStudiesService.getCaseStudy(request.params.slug, request.actor),
  );

  api.get(
    '/case-studies',
    { config: { publicCache: true }, schema: { hide: true, querystring: pageFilterSchema } },
    async (request, reply) => {
      const { page, ...filter } = request.query;
      const pageSize = 20;
      const query: CaseStudyQuery = {
        serviceArea: filter.serviceArea || undefined,
        minimumLevel: filter.minimumLevel || undefined,
        sort: filter.sort || undefined,
        page,
        pageSize,
      };
      const result = await caseStudiesService.listCaseStudies(query, request.actor);
      const filterQuery: Record<string, string> = Object.fromEntries(
        Object.entries(filter).flatMap(([key, value]) => (value === undefined || value === '' ? [] : [[key, String(value)]])),
      );
      return reply.render('knowledge/views/case-studies.njk', {
        title: 'Case studies',
        items: result.items,
        total: result.total,
        filter: filterQuery,
        pagination: buildPagination('/case-studies', filterQuery, page, pageSize, result.total),
        serviceAreaOptions: [
          { value: '', text: 'Any service area' },
          ...serviceAreaItems.map((item) => ({ ...item, selected: item.value === filter.serviceArea })),
        ],
        levelOptions: [
          { value: '', text: 'Any level' },
          ...EVIDENCE_LEVELS.map((level) => ({
            value: String(level),
            text: `Level ${level} or above`,
            selected: String(level) === String(filter.minimumLevel),
          })),
        ],
        sortOptions: [
          { value: 'newest', text: 'Newest first', selected: !filter.sort || filter.sort === 'newest' },
          { value: 'evidence', text: 'Strongest evidence first', selected: filter.sort === 'evidence' },
          { value: 'title', text: 'Title', selected: filter.sort === 'title' },
        ],
        downloadQuery: queryString(filterQuery),
        canWrite: request.actor !== null && knowledgePolicy.canWriteCaseStudy(request.actor),
        breadcrumbs: [{ text: 'Knowledge', href: '/knowledge' }],
      });
    },
  );

  const renderForm = (
    reply: FastifyReply,
    context: { values: Record<string, string | undefined>; error?: InputError; editSlug?: string },
  ) =>
    reply.header('Cache-Control', 'no-store').render('knowledge/views/case-study-form.njk', {
      title: context.editSlug ? 'Change a case study' : 'Write a case study',
      values: context.values,
      editSlug: context.editSlug,
      errorSummary: context.error ? formErrors(context.error) : undefined,
      errors: fieldErrors(context.error),
      criteria: EVIDENCE_LEVELS.map((level) => ({ level, ...EVIDENCE_CRITERIA[level] })),
      ...formOptions(context.values, serviceAreaItems),
      breadcrumbs,
    });

  app.get('/case-studies/new', { schema: { hide: true } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    if (!knowledgePolicy.canWriteCaseStudy(actor))
      return reply.status(403).render('error.njk', {
        title: 'Only council members can write case studies',
        paragraphs: ['Ask someone at the council that did the work to write it.'],
      });
    return renderForm(reply, { values: {} });
  });

  api.post('/case-studies', { schema: { hide: true, body: caseStudyFormSchema } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const { values, submit } = stripForm(request.body);
    try {
      const slug = await caseStudiesService.createCaseStudy(actor, values, submit);
      return reply.flash(CONFIRMATIONS[submit ? 'submitted' : 'saved']).redirect(`/case-studies/${slug}`, 303);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return renderForm(reply.status(400), { values: values as Record<string, string>, error });
    }
  });

  api.get('/case-studies/reviews', { schema: { hide: true } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const items = await caseStudiesService.listReviewQueue(actor);
    return reply
      .header('Cache-Control', 'no-store')
      .render('knowledge/views/review-queue.njk', { title: 'Case studies waiting for review', items, breadcrumbs });
  });

  api.get(
    '/case-studies/:slug',
    {
      config: { publicCache: true },
      schema: { hide: true, params: slugParams },
    },
    async (request, reply) => {
      const caseStudy = await caseStudiesService.getCaseStudy(request.params.slug, request.actor);
      const actor = request.actor;
      return reply.render('knowledge/views/case-study.njk', {
        title: caseStudy.title,
        caseStudy,
        canEdit: actor !== null && caseStudy.status !== 'published' && knowledgePolicy.canEditCaseStudy(actor, caseStudy.organisationId),
        canReview:
          actor !== null && caseStudy.status === 'submitted' && knowledgePolicy.canReviewCaseStudy(actor, caseStudy.organisationId),
        canReplicate: actor !== null && caseStudy.status === 'published' && knowledgePolicy.canReplicate(actor, caseStudy.organisationId),
        signedIn: actor !== null,
        breadcrumbs,
      });
    },
  );

  api.get('/case-studies/:slug/edit', { schema: { hide: true, params: slugParams } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const detail = await caseStudiesService.getCaseStudyForEditing(request.params.slug, actor);
    return renderForm(reply, { values: formValuesOf(detail), editSlug: detail.slug });
  });

  api.post(
    '/case-studies/:slug/edit',
    { schema: { hide: true, params: slugParams, body: caseStudyFormSchema } },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      const { values, submit } = stripForm(request.body);
      try {
        await caseStudiesService.updateCaseStudy(actor, request.params.slug, values, submit);
        return reply.flash(CONFIRMATIONS[submit ? 'submitted' : 'saved']).redirect(`/case-studies/${request.params.slug}`, 303);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderForm(reply.status(400), { values: values as Record<string, string>, error, editSlug: request.params.slug });
      }
    },
  );

  const renderReview = async (
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    values: Record<string, string>,
    error?: InputError,
  ) => {
    const caseStudy = await caseStudiesService.getCaseStudy(slug, request.actor);
    return reply.header('Cache-Control', 'no-store').render('knowledge/views/review.njk', {
      title: `Review: ${caseStudy.title}`,
      caseStudy,
      values,
      levelOptions: EVIDENCE_LEVELS.filter((level) => level <= caseStudy.claimedLevel).map((level) => ({
        value: String(level),
        text: EVIDENCE_CRITERIA[level].name,
        hint: { text: EVIDENCE_CRITERIA[level].criteria },
        checked: values.confirmedLevel === String(level),
      })),
      errorSummary: error ? formErrors(error) : undefined,
      errors: fieldErrors(error),
      breadcrumbs: [...breadcrumbs, { text: caseStudy.title, href: caseStudy.url }],
    });
  };

  api.get('/case-studies/:slug/review', { schema: { hide: true, params: slugParams } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const caseStudy = await caseStudiesService.getCaseStudy(request.params.slug, actor);
    if (!knowledgePolicy.canReviewCaseStudy(actor, caseStudy.organisationId) || caseStudy.status !== 'submitted')
      return reply.redirect(caseStudy.url, 303);
    return renderReview(request, reply, request.params.slug, {});
  });

  api.post(
    '/case-studies/:slug/review',
    {
      schema: {
        hide: true,
        params: slugParams,
        body: z.object({
          outcome: z.enum(['confirm', 'return']).optional(),
          confirmedLevel: z.string().max(2).default(''),
          note: z.string().max(6000).default(''),
          _csrf: z.string().optional(),
        }),
      },
    },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      const { outcome, confirmedLevel, note } = request.body;
      try {
        if (!outcome)
          throw new InputError('Choose whether to publish it or return it', [
            { field: 'outcome', message: 'Choose whether to publish it or return it to the authors' },
          ]);
        await caseStudiesService.reviewCaseStudy(actor, request.params.slug, {
          outcome,
          confirmedLevel: confirmedLevel === '' ? undefined : Number(confirmedLevel),
          note,
        });
        return reply
          .flash(CONFIRMATIONS[outcome === 'confirm' ? 'published' : 'returned'])
          .redirect(`/case-studies/${request.params.slug}`, 303);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderReview(request, reply.status(400), request.params.slug, { outcome: outcome ?? '', confirmedLevel, note }, error);
      }
    },
  );

  const renderReplicate = async (
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    values: Record<string, string>,
    error?: InputError,
  ) => {
    const caseStudy = await caseStudiesService.getCaseStudy(slug, request.actor);
    return reply.header('Cache-Control', 'no-store').render('knowledge/views/replicate.njk', {
      title: `We did this too: ${caseStudy.title}`,
      caseStudy,
      values,
      ...formOptions(values, serviceAreaItems),
      errorSummary: error ? formErrors(error) : undefined,
      errors: fieldErrors(error),
      breadcrumbs: [...breadcrumbs, { text: caseStudy.title, href: caseStudy.url }],
    });
  };

  api.get('/case-studies/:slug/replicate', { schema: { hide: true, params: slugParams } }, async (request, reply) => {
    requireSignedIn(request);
    return renderReplicate(request, reply, request.params.slug, {});
  });

  api.post(
    '/case-studies/:slug/replications',
    { schema: { hide: true, params: slugParams, body: caseStudyFormSchema } },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      const { values } = stripForm(request.body);
      try {
        await caseStudiesService.recordReplication(actor, request.params.slug, values);
        return reply.flash(CONFIRMATIONS.replicated).redirect(`/case-studies/${request.params.slug}#replications`, 303);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderReplicate(request, reply.status(400), request.params.slug, values as Record<string, string>, error);
      }
    },
  );
}
