import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { handleForm } from '../../platform/http/handle-form.js';
import { InputError, NotAllowedError } from '../../platform/errors.js';
import { challengesPolicy } from './challenges.policy.js';
import { buildPagination, pageQuerySchema, queryString, sendCsv, wantsCsv } from '../../platform/http/lists.js';
import { requireApiWriter, requireSignedIn } from '../identity/index.js';
import { BUDGET_BAND_LABELS, SERVICE_AREA_LABELS, STAGE_LABELS } from './challenges.labels.js';
import type { ChallengesService } from './challenges.service.js';
import { startCollaborationPath, SUGGESTION_THRESHOLD } from './challenges.records.js';
import { BUDGET_BANDS, SERVICE_AREAS, STAGES } from './challenges.tables.js';
import { formErrors, fieldErrors } from '../../platform/http/forms.js';
import { idSchema } from '../../platform/http/ids.js';
import {
  challengeBodySchema,
  challengeFilterSchema,
  csrfField,
  detailSchema,
  idParams,
  pageFilterSchema,
  summarySchema,
  text,
  toQuery,
} from './challenges.schemas.js';
import { csvColumns, formOptions, labels, options } from './challenges.presenters.js';
import { challengesBack, type LinkedCaseStudies, refusalFor, renderAccessNeeded } from './challenges.http.js';
import { registerChallengeFeedRoutes } from './feeds.routes.js';
import { registerSharingRoutes } from './sharing.routes.js';
import { registerResponseRoutes } from './responses.routes.js';
import { registerCollaborationRoutes } from './collaborations.routes.js';

/** The challenge pipeline's pages, Atom feeds and JSON API. Over 80 lines as a list of route declarations, each a few lines. */
export function registerChallengeRoutes(
  app: FastifyInstance,
  {
    challengesService,
    publicBaseUrl,
    listLinkedCaseStudies,
  }: { challengesService: ChallengesService; publicBaseUrl: string; listLinkedCaseStudies?: LinkedCaseStudies },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  // ---- Open data: JSON API and feeds ----

  api.get(
    '/api/v1/challenges',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Challenges'],
        summary: 'List challenges in the pipeline',
        description: 'Public challenges councils share, with how many councils share each. Filter, search, sort by demand and page.',
        querystring: challengeFilterSchema.extend(pageQuerySchema.shape),
        response: {
          200: z.object({ total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), items: z.array(summarySchema) }),
        },
      },
    },
    async (request, reply) => {
      const { page, pageSize, format, ...filter } = request.query;
      const csv = wantsCsv(request, format);
      const result = await challengesService.listChallenges(toQuery(filter, csv ? 1 : page, csv ? 100_000 : pageSize));
      if (csv) return sendCsv(reply, 'challenges.csv', csvColumns, result.items);
      return { total: result.total, page, pageSize, items: result.items };
    },
  );

  api.get(
    '/api/v1/challenges/similar',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Challenges'],
        summary: 'Challenges similar to a text',
        description:
          'Public challenges ranked by likeness to the text (full-text match of its words and trigram similarity of titles and problems), best first, with a score from 0 to 1. Use it before posting a challenge, to join instead of duplicating.',
        querystring: z.object({
          text: z.string().trim().min(1).max(4000).describe('A draft title and problem'),
          limit: z.coerce.number().int().min(1).max(20).default(5).describe('How many to return, up to 20'),
        }),
        response: { 200: z.object({ items: z.array(summarySchema.extend({ score: z.number() })) }) },
      },
    },
    async (request) => ({ items: await challengesService.findSimilarChallenges(request.query.text, { limit: request.query.limit }) }),
  );

  api.get(
    '/api/v1/challenges/:id',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Challenges'],
        summary: 'One challenge',
        description:
          'A public challenge with the councils sharing it, their combined demand, its stage history, published supplier responses and linked components.',
        params: idParams,
        response: { 200: detailSchema },
      },
    },
    async (request) => challengesService.getChallenge(request.params.id, request.actor),
  );

  api.post(
    '/api/v1/challenges',
    {
      // Callers without a write token are refused before their body is checked, so they learn nothing from it.
      preValidation: (request, _reply, done) => {
        requireApiWriter(request);
        done();
      },
      schema: {
        tags: ['Challenges'],
        summary: 'Post a challenge',
        description: 'Posts a challenge for the token holder’s council (council members only; a write token is needed).',
        body: challengeBodySchema
          .partial()
          .extend({ title: z.string().max(300), problem: z.string().max(12_000), serviceArea: z.string().max(100) }),
        response: { 201: z.object({ id: z.number().int(), url: z.string() }) },
      },
    },
    async (request, reply) => {
      const actor = requireApiWriter(request);
      const id = await challengesService.createChallenge(actor, request.body);
      return reply.status(201).send({ id, url: `/challenges/${id}` });
    },
  );

  registerChallengeFeedRoutes(app, { challengesService, publicBaseUrl });

  // ---- Pages ----

  api.get(
    '/challenges',
    { config: { publicCache: true }, schema: { hide: true, querystring: pageFilterSchema } },
    async (request, reply) => {
      const { page, ...filter } = request.query;
      const pageSize = 20;
      const [result, facets] = await Promise.all([
        challengesService.listChallenges(toQuery(filter, page, pageSize), request.actor),
        challengesService.listFacetValues(),
      ]);
      const filterQuery: Record<string, string> = Object.fromEntries(
        Object.entries(filter).flatMap(([key, value]) => (value === undefined || value === '' ? [] : [[key, String(value)]])),
      );
      return reply.render('challenges/views/list.njk', {
        title: 'Challenges',
        filter: filterQuery,
        total: result.total,
        firstItem: result.total === 0 ? 0 : (page - 1) * pageSize + 1,
        lastItem: Math.min(page * pageSize, result.total),
        items: result.items,
        pagination: buildPagination('/challenges', filterQuery, page, pageSize, result.total),
        stageOptions: options(STAGE_LABELS, STAGES, filter.stage, 'Any stage'),
        serviceAreaOptions: options(SERVICE_AREA_LABELS, SERVICE_AREAS, filter.serviceArea, 'Any service area'),
        budgetBandOptions: options(BUDGET_BAND_LABELS, BUDGET_BANDS, filter.budgetBand, 'Any budget'),
        regionOptions: [
          { value: '', text: 'Any region' },
          ...facets.regions.map((region) => ({ value: region, text: region, selected: region === filter.region })),
        ],
        tierOptions: [
          { value: '', text: 'Any type of council' },
          ...facets.councilTypes.map((type) => ({ value: type.code, text: type.name, selected: type.code === filter.tier })),
        ],
        minSharersOptions: [
          { value: '', text: 'Any number' },
          ...[2, 3, 5, 10].map((count) => ({
            value: String(count),
            text: `${count} or more`,
            selected: String(count) === String(filter.minSharers),
          })),
        ],
        sortOptions: [
          { value: 'demand', text: 'Most councils sharing', selected: !filter.sort || filter.sort === 'demand' },
          { value: 'newest', text: 'Newest first', selected: filter.sort === 'newest' },
          { value: 'updated', text: 'Recently updated', selected: filter.sort === 'updated' },
          { value: 'title', text: 'Title', selected: filter.sort === 'title' },
        ],
        downloadQuery: queryString(filterQuery),
        canPost: request.actor !== null && challengesPolicy.canSpeakForCouncil(request.actor),
      });
    },
  );

  const renderForm = (
    reply: FastifyReply,
    context: {
      values: Partial<Record<string, string>>;
      similar?: unknown[] | undefined;
      checked?: boolean;
      error?: InputError;
      editId?: number;
      refusal?: unknown;
    },
  ) =>
    reply.header('Cache-Control', 'no-store').render('challenges/views/form.njk', {
      title: context.editId ? 'Change a challenge' : 'Post a challenge',
      values: context.values,
      similar: context.similar ?? [],
      checked: context.checked ?? false,
      editId: context.editId,
      accessRefusal: context.refusal,
      errorSummary: context.error ? formErrors(context.error) : undefined,
      errors: fieldErrors(context.error),
      ...formOptions(context.values),
      breadcrumbs: [
        { text: 'Home', href: '/' },
        { text: 'Challenges', href: '/challenges' },
      ],
    });

  app.get('/challenges/new', { schema: { hide: true } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    if (!challengesPolicy.canSpeakForCouncil(actor))
      return renderAccessNeeded(reply, request, 'council', 'post a challenge', { title: 'Post a challenge', back: challengesBack });
    return renderForm(reply, { values: {} });
  });

  api.post(
    '/challenges',
    { schema: { hide: true, body: challengeBodySchema.extend({ intent: z.enum(['check', 'post']).default('check'), ...csrfField }) } },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      const { intent, _csrf: _token, ...values } = request.body;
      // Step one shows similar challenges before anything is posted, so a council can join one instead of duplicating it.
      const similar = (await challengesService.findSimilarChallenges(`${values.title}\n${values.problem}`, { limit: 5 })).filter(
        (candidate) => candidate.score >= SUGGESTION_THRESHOLD,
      );
      if (intent === 'check') return renderForm(reply, { values, similar, checked: true });
      try {
        const id = await challengesService.createChallenge(actor, values);
        return reply
          .flash({
            heading: values.visibility === 'draft' ? 'Your challenge is saved as a draft' : 'Your challenge is posted',
            text:
              values.visibility === 'draft'
                ? 'Only people at your council can see it until you publish it.'
                : 'Other councils can now find it and say they have it too; suppliers can respond.',
            next: { href: '/challenges', text: 'See all challenges' },
          })
          .redirect(`/challenges/${id}`, 303);
      } catch (error) {
        if (error instanceof NotAllowedError)
          return renderForm(reply.status(403), {
            values,
            similar,
            checked: true,
            refusal: refusalFor(request, 'council', 'post a challenge'),
          });
        if (!(error instanceof InputError)) throw error;
        return renderForm(reply.status(400), { values, similar, checked: true, error });
      }
    },
  );

  api.get('/challenges/:id', { config: { publicCache: true }, schema: { hide: true, params: idParams } }, async (request, reply) => {
    const { id } = request.params;
    const challenge = await challengesService.getChallenge(id, request.actor);
    const similar = await challengesService.findSimilarChallenges(`${challenge.title}\n${challenge.problem}`, { limit: 4, excludeId: id });
    return reply.render('challenges/views/show.njk', {
      title: challenge.title,
      challenge,
      linkedCaseStudies: listLinkedCaseStudies ? await listLinkedCaseStudies('challenge', String(id)) : [],
      linkedCaseStudiesHeading: 'Case studies that addressed this problem',
      similar: similar.filter((candidate) => candidate.score >= SUGGESTION_THRESHOLD),
      labels,
      stageOptions: STAGES.map((stage) => ({ value: stage, text: STAGE_LABELS[stage], selected: stage === challenge.stage })),
      startCollaborationHref: startCollaborationPath(id),
      breadcrumbs: [
        { text: 'Home', href: '/' },
        { text: 'Challenges', href: '/challenges' },
      ],
    });
  });

  api.get('/challenges/:id/edit', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const { id } = request.params;
    const challenge = await challengesService.getChallenge(id, actor);
    if (!challenge.permissions.canManage)
      return reply
        .status(403)
        .render('error.njk', { title: 'Not allowed', paragraphs: [`Only people at ${challenge.owner.name} can change this challenge.`] });
    return renderForm(reply, {
      editId: id,
      values: {
        title: challenge.title,
        problem: challenge.problem,
        affects: challenge.affects,
        serviceArea: challenge.serviceArea,
        workaround: challenge.workaround,
        goodLooksLike: challenge.goodLooksLike,
        constraints: challenge.constraints,
        budgetBand: challenge.budgetBand,
        timescale: challenge.timescale,
        contractEndDate: challenge.contractEndDate ?? '',
        contactName: challenge.contactName,
        contactEmail: challenge.contactEmail,
        visibility: challenge.visibility,
      },
    });
  });

  api.post(
    '/challenges/:id/edit',
    { schema: { hide: true, params: idParams, body: challengeBodySchema.extend(csrfField) } },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      const { _csrf: _token, ...values } = request.body;
      return handleForm(reply, {
        input: values,
        schema: challengeBodySchema,
        act: (challenge) => challengesService.updateChallenge(actor, request.params.id, challenge),
        confirm: () => ({ flash: { heading: 'Your changes to the challenge are saved' }, redirect: `/challenges/${request.params.id}` }),
        rerender: (formReply, { error }) => renderForm(formReply, { values, error, editId: request.params.id }),
      });
    },
  );

  api.post(
    '/challenges/:id/stage',
    { schema: { hide: true, params: idParams, body: z.object({ stage: z.enum(STAGES), note: text(1000), ...csrfField }) } },
    async (request, reply) => {
      await challengesService.changeStage(requireSignedIn(request), request.params.id, request.body.stage, request.body.note);
      return reply
        .flash({ heading: `The challenge is now at the stage “${STAGE_LABELS[request.body.stage]}”` })
        .redirect(`/challenges/${request.params.id}`, 303);
    },
  );

  api.post('/challenges/:id/confirm', { schema: { hide: true, params: idParams, body: z.object(csrfField) } }, async (request, reply) => {
    await challengesService.confirmChallenge(requireSignedIn(request), request.params.id);
    return reply
      .flash({ heading: 'You confirmed the challenge is still live', text: 'It will not be marked as stale for another six months.' })
      .redirect(`/challenges/${request.params.id}`, 303);
  });

  api.post(
    '/challenges/:id/components',
    {
      schema: {
        hide: true,
        params: idParams,
        body: z.object({
          componentSlug: text(200),
          relation: z.enum(['might-solve', 'solved-by']).default('might-solve'),
          note: text(1000),
          ...csrfField,
        }),
      },
    },
    async (request, reply) => {
      await challengesService.linkComponent(requireSignedIn(request), request.params.id, request.body);
      return reply.redirect(`/challenges/${request.params.id}#components`, 303);
    },
  );

  api.post(
    '/challenges/:id/merge',
    {
      schema: {
        hide: true,
        params: idParams,
        body: z.object({ into: idSchema, ...csrfField }),
      },
    },
    async (request, reply) => {
      await challengesService.mergeChallenge(requireSignedIn(request), request.params.id, request.body.into);
      return reply.redirect(`/challenges/${request.body.into}`, 303);
    },
  );

  registerSharingRoutes(app, { challengesService });
  registerResponseRoutes(app, { challengesService });
  registerCollaborationRoutes(app, { challengesService });
}
