import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InputError, NotAllowedError } from '../../platform/errors.js';
import { type AccessNeed, describeAccess } from '../../platform/http/access.js';
import { challengesPolicy } from './challenges.policy.js';
import { buildPagination, type CsvColumn, pageQuerySchema, queryString, sendCsv, wantsCsv } from '../../platform/http/lists.js';
import { requireApiWriter, requireSignedIn } from '../identity/index.js';
import { buildChallengesFeed } from './challenges.feed.js';
import { APPROACH_LABELS, BUDGET_BAND_LABELS, SCALE_UNITS, SERVICE_AREA_LABELS, STAGE_LABELS } from './challenges.labels.js';
import {
  type ChallengeQuery,
  type ChallengesService,
  type ChallengeSummary,
  startCollaborationPath,
  SUGGESTION_THRESHOLD,
} from './challenges.service.js';
import { APPROACHES, BUDGET_BANDS, SERVICE_AREAS, STAGES } from './challenges.tables.js';
import { formErrors, fieldErrors } from '../../platform/http/forms.js';
import { idSchema } from '../../platform/http/ids.js';

const SORTS = ['demand', 'newest', 'updated', 'title'] as const;
const csrfField = { _csrf: z.string().optional() };
const idParams = z.object({ id: idSchema.describe('The challenge’s number') });
const text = (max: number) => z.string().max(max).default('');

const challengeFilterSchema = z.object({
  q: z.string().trim().max(200).optional().describe('Words to search for in titles and problems'),
  stage: z.enum(STAGES).optional().describe('identified, exploring, funded, in-delivery, solved or closed'),
  serviceArea: z.enum(SERVICE_AREAS).optional().describe('Service area, e.g. housing'),
  budgetBand: z.enum(BUDGET_BANDS).optional().describe('Budget band: unknown, under-25k, 25k-100k, 100k-500k, 500k-plus'),
  region: z.string().max(50).optional().describe('Only challenges shared by a council in this region, e.g. North West'),
  tier: z.string().max(10).optional().describe('Only challenges shared by a council of this type: CTY, NMD, MD, LBO, UA…'),
  minSharers: z.coerce.number().int().min(1).max(1000).optional().describe('Only challenges shared by at least this many councils'),
  stale: z.enum(['true', 'false']).optional().describe('true: only challenges not updated for six months'),
  sort: z.enum(SORTS).optional().describe('demand (default: most councils first), newest, updated or title'),
});

const summarySchema = z.object({
  id: z.number().int(),
  title: z.string(),
  problem: z.string(),
  serviceArea: z.enum(SERVICE_AREAS),
  stage: z.enum(STAGES),
  budgetBand: z.enum(BUDGET_BANDS),
  owner: z.object({ name: z.string(), code: z.string() }),
  sharedBy: z.number().int().describe('Councils sharing the challenge, each counted once (the owner included)'),
  combinedScale: z
    .number()
    .int()
    .describe('Deprecated: every sharer’s scale added whatever its unit; use scaleByUnit, which adds only like units'),
  scaleByUnit: z
    .array(z.object({ unit: z.string(), total: z.number().int() }))
    .describe('Residents, households or cases affected, each unit summed over the sharing councils'),
  createdAt: z.string(),
  updatedAt: z.string(),
  stale: z.boolean().describe('Not updated for six months'),
  url: z.string(),
});

const sharerSchema = z.object({
  name: z.string(),
  code: z.string(),
  tier: z.string().nullable(),
  region: z.string().nullable(),
  current: z.boolean().describe('False for a council that no longer exists'),
  owner: z.boolean(),
  scale: z.number().int().nullable(),
  scaleUnit: z.string(),
  budgetBand: z.enum(BUDGET_BANDS),
  timing: z.string(),
  comment: z.string(),
  joinedAt: z.string(),
});

const demandSchema = z.object({
  sharedBy: z.number().int(),
  currentCouncils: z.number().int(),
  formerCouncils: z.number().int(),
  byTier: z.array(z.object({ tier: z.string(), count: z.number().int() })),
  byRegion: z.array(z.object({ region: z.string(), count: z.number().int() })),
  combinedScale: z.number().int(),
  scaleByUnit: z.array(z.object({ unit: z.string(), total: z.number().int() })),
});

const detailSchema = summarySchema.extend({
  affects: z.string(),
  workaround: z.string(),
  goodLooksLike: z.string(),
  constraints: z.string(),
  timescale: z.string(),
  contractEndDate: z.string().nullable(),
  contactName: z.string(),
  contactEmail: z.string(),
  mergedInto: z.object({ id: z.number().int(), title: z.string(), url: z.string() }).nullable(),
  sharers: z.array(sharerSchema),
  demand: demandSchema,
  history: z.array(z.object({ stage: z.enum(STAGES), note: z.string(), changedAt: z.string() })),
  responses: z.array(
    z.object({
      id: z.number().int(),
      supplierName: z.string(),
      offer: z.string(),
      evidence: z.string(),
      priceModel: z.string(),
      status: z.string(),
    }),
  ),
  components: z.array(z.object({ slug: z.string(), name: z.string(), relation: z.enum(['might-solve', 'solved-by']) })),
  collaboration: z.object({ approach: z.enum(APPROACHES), url: z.string() }).nullable(),
});

const challengeBodySchema = z.object({
  title: text(300),
  problem: text(12_000),
  affects: text(3000),
  serviceArea: text(100),
  workaround: text(6000),
  goodLooksLike: text(6000),
  constraints: text(6000),
  budgetBand: text(50),
  timescale: text(300),
  contractEndDate: text(20),
  contactName: text(300),
  contactEmail: text(300),
  visibility: z.enum(['public', 'draft']).default('public'),
  scale: text(20),
  scaleUnit: text(20),
});

const csvColumns: CsvColumn<ChallengeSummary>[] = [
  { header: 'id', value: (c) => c.id },
  { header: 'title', value: (c) => c.title },
  { header: 'stage', value: (c) => c.stage },
  { header: 'service_area', value: (c) => c.serviceArea },
  { header: 'budget_band', value: (c) => c.budgetBand },
  { header: 'owner', value: (c) => c.owner.name },
  { header: 'owner_code', value: (c) => c.owner.code },
  { header: 'shared_by', value: (c) => c.sharedBy },
  { header: 'scale_by_unit', value: (c) => c.scaleByUnit.map((entry) => `${entry.total} ${entry.unit}`).join('; ') },
  { header: 'stale', value: (c) => c.stale },
  { header: 'created_at', value: (c) => c.createdAt },
  { header: 'updated_at', value: (c) => c.updatedAt },
  { header: 'problem', value: (c) => c.problem },
];

/** Page filters: HTML forms send every field, empty when not chosen. */
const pageFilterSchema = z.object({
  q: z.string().trim().max(200).optional(),
  stage: z.union([z.enum(STAGES), z.literal('')]).optional(),
  serviceArea: z.union([z.enum(SERVICE_AREAS), z.literal('')]).optional(),
  budgetBand: z.union([z.enum(BUDGET_BANDS), z.literal('')]).optional(),
  region: z.string().max(50).optional(),
  tier: z.string().max(10).optional(),
  minSharers: z.union([z.coerce.number().int().min(1).max(1000), z.literal('')]).optional(),
  stale: z.union([z.enum(['true', 'false']), z.literal('')]).optional(),
  sort: z.union([z.enum(SORTS), z.literal('')]).optional(),
  page: pageQuerySchema.shape.page,
});

type PageFilter = Omit<z.infer<typeof pageFilterSchema>, 'page'>;

function toQuery(filter: PageFilter | z.infer<typeof challengeFilterSchema>, page: number, pageSize: number): ChallengeQuery {
  return {
    q: filter.q || undefined,
    stage: filter.stage || undefined,
    serviceArea: filter.serviceArea || undefined,
    budgetBand: filter.budgetBand || undefined,
    region: filter.region || undefined,
    tier: filter.tier || undefined,
    minSharers: filter.minSharers || undefined,
    staleOnly: filter.stale === 'true',
    sort: filter.sort || undefined,
    page,
    pageSize,
  };
}

function options<Key extends string>(labels: Record<Key, string>, keys: readonly Key[], chosen: string | undefined, empty: string) {
  return [{ value: '', text: empty }, ...keys.map((key) => ({ value: key, text: labels[key], selected: key === chosen }))];
}

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The challenge pipeline's pages, Atom feeds and JSON API. */

/** Published case studies linked to a record, from the knowledge module (wired in app.ts); optional so this module stands alone. */
type LinkedCaseStudies = (kind: 'component' | 'challenge' | 'standard', reference: string) => Promise<unknown[]>;

export function registerChallengeRoutes(
  app: FastifyInstance,
  {
    challengesService,
    publicBaseUrl,
    listLinkedCaseStudies,
  }: { challengesService: ChallengesService; publicBaseUrl: string; listLinkedCaseStudies?: LinkedCaseStudies },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const labels = {
    stages: STAGE_LABELS,
    serviceAreas: SERVICE_AREA_LABELS,
    budgetBands: BUDGET_BAND_LABELS,
    approaches: APPROACH_LABELS,
  };
  const formOptions = (values: Partial<Record<string, string>>) => ({
    serviceAreaOptions: options(SERVICE_AREA_LABELS, SERVICE_AREAS, values.serviceArea, 'Choose a service area'),
    budgetBandOptions: BUDGET_BANDS.map((band) => ({
      value: band,
      text: BUDGET_BAND_LABELS[band],
      checked: (values.budgetBand || 'unknown') === band,
    })),
    scaleUnitOptions: SCALE_UNITS.map((unit) => ({ value: unit, text: unit, selected: (values.scaleUnit || 'residents') === unit })),
  });

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

  const feed = async (reply: FastifyReply, serviceArea: (typeof SERVICE_AREAS)[number] | undefined) => {
    const { items } = await challengesService.listChallenges({ serviceArea, sort: 'newest', page: 1, pageSize: 50 });
    const selfPath = serviceArea ? `/challenges/feed.atom?serviceArea=${serviceArea}` : '/challenges/feed.atom';
    return reply.type('application/atom+xml; charset=utf-8').send(
      buildChallengesFeed({
        baseUrl: publicBaseUrl,
        title: serviceArea
          ? `Challenges in ${SERVICE_AREA_LABELS[serviceArea].toLowerCase()} – Local Digital Commons`
          : 'Challenges – Local Digital Commons',
        selfPath,
        challenges: items,
        now: new Date(),
      }),
    );
  };

  api.get(
    '/challenges/feed.atom',
    {
      config: { publicCache: true },
      // A feed for feed readers, not part of the JSON API, so it stays out of the OpenAPI document (the list page links it).
      schema: {
        hide: true,
        querystring: z.object({ serviceArea: z.enum(SERVICE_AREAS).optional().describe('Only this service area') }),
      },
    },
    async (request, reply) => feed(reply, request.query.serviceArea),
  );

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

  const challengesBack = { href: '/challenges', text: 'Back to challenges' };
  const refusalFor = (request: FastifyRequest, need: AccessNeed, action: string) =>
    describeAccess(request.actor, need, action, request.url);
  const renderAccessNeeded = (
    reply: FastifyReply,
    request: FastifyRequest,
    need: AccessNeed,
    action: string,
    page: { title: string; back: { href: string; text: string } },
  ) =>
    reply
      .status(403)
      .header('Cache-Control', 'no-store')
      .render('access-needed.njk', { ...page, access: describeAccess(request.actor, need, action, request.url) });

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
      try {
        await challengesService.updateChallenge(actor, request.params.id, values);
        return reply.flash({ heading: 'Your changes to the challenge are saved' }).redirect(`/challenges/${request.params.id}`, 303);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderForm(reply.status(400), { values, error, editId: request.params.id });
      }
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

  const shareBodySchema = z.object({
    scale: text(20),
    scaleUnit: text(20),
    budgetBand: text(50),
    timing: text(300),
    comment: text(3000),
    ...csrfField,
  });

  const renderJoin = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    values: Partial<Record<string, string>>,
    error?: InputError,
    refusal?: unknown,
  ) => {
    const challenge = await challengesService.getChallenge(id, request.actor);
    return reply.header('Cache-Control', 'no-store').render('challenges/views/join.njk', {
      title: `We have this too: ${challenge.title}`,
      challenge,
      values,
      accessRefusal: refusal,
      errorSummary: error ? formErrors(error) : undefined,
      errors: fieldErrors(error),
      ...formOptions(values),
      breadcrumbs: [
        { text: 'Challenges', href: '/challenges' },
        { text: challenge.title, href: challenge.url },
      ],
    });
  };

  api.get('/challenges/:id/join', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    if (!challengesPolicy.canSpeakForCouncil(actor)) {
      const challenge = await challengesService.getChallenge(request.params.id, actor);
      return renderAccessNeeded(reply, request, 'council', 'say your council has this challenge too', {
        title: `We have this too: ${challenge.title}`,
        back: { href: challenge.url, text: 'Back to the challenge' },
      });
    }
    return renderJoin(request, reply, request.params.id, {});
  });

  api.post('/challenges/:id/join', { schema: { hide: true, params: idParams, body: shareBodySchema } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const { _csrf: _token, ...values } = request.body;
    try {
      await challengesService.joinChallenge(actor, request.params.id, values);
      return reply
        .flash({
          heading: `${actor.organisationName ?? 'Your council'} now shares this challenge`,
          text: 'Your council now counts in its demand. You can leave it at any time from this page.',
          next: { href: '/challenges', text: 'Find other challenges your council has' },
        })
        .redirect(`/challenges/${request.params.id}`, 303);
    } catch (error) {
      if (error instanceof NotAllowedError)
        return renderJoin(
          request,
          reply.status(403),
          request.params.id,
          values,
          undefined,
          refusalFor(request, 'council', 'say your council has this challenge too'),
        );
      if (!(error instanceof InputError)) throw error;
      return renderJoin(request, reply.status(400), request.params.id, values, error);
    }
  });

  api.post('/challenges/:id/leave', { schema: { hide: true, params: idParams, body: z.object(csrfField) } }, async (request, reply) => {
    await challengesService.leaveChallenge(requireSignedIn(request), request.params.id);
    return reply
      .flash({ heading: 'Your council no longer shares this challenge', text: 'It no longer counts in the challenge’s demand.' })
      .redirect(`/challenges/${request.params.id}`, 303);
  });

  const responseBodySchema = z.object({ offer: text(6000), evidence: text(6000), priceModel: text(1200), ...csrfField });

  const renderRespond = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    values: Partial<Record<string, string>>,
    error?: InputError,
    refusal?: unknown,
  ) => {
    const challenge = await challengesService.getChallenge(id, request.actor);
    return reply.header('Cache-Control', 'no-store').render('challenges/views/respond.njk', {
      title: `Respond to: ${challenge.title}`,
      challenge,
      values,
      accessRefusal: refusal,
      errorSummary: error ? formErrors(error) : undefined,
      errors: fieldErrors(error),
      breadcrumbs: [
        { text: 'Challenges', href: '/challenges' },
        { text: challenge.title, href: challenge.url },
      ],
    });
  };

  api.get('/challenges/:id/respond', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    if (!challengesPolicy.canRespond(actor)) {
      const challenge = await challengesService.getChallenge(request.params.id, actor);
      return renderAccessNeeded(reply, request, 'supplier', 'respond to a challenge', {
        title: `Respond to: ${challenge.title}`,
        back: { href: challenge.url, text: 'Back to the challenge' },
      });
    }
    return renderRespond(request, reply, request.params.id, {});
  });

  api.post('/challenges/:id/responses', { schema: { hide: true, params: idParams, body: responseBodySchema } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const { _csrf: _token, ...values } = request.body;
    try {
      await challengesService.respondToChallenge(actor, request.params.id, values);
      return reply
        .flash({
          heading: 'Your response is sent',
          text: 'The council that raised the challenge checks each response before it is shown on this page.',
          next: { href: '/challenges', text: 'Find other challenges to respond to' },
        })
        .redirect(`/challenges/${request.params.id}#responses`, 303);
    } catch (error) {
      if (error instanceof NotAllowedError)
        return renderRespond(
          request,
          reply.status(403),
          request.params.id,
          values,
          undefined,
          refusalFor(request, 'supplier', 'respond to a challenge'),
        );
      if (!(error instanceof InputError)) throw error;
      return renderRespond(request, reply.status(400), request.params.id, values, error);
    }
  });

  api.post(
    '/challenges/:id/responses/:responseId/moderate',
    {
      schema: {
        hide: true,
        params: idParams.extend({ responseId: idSchema }),
        body: z.object({ decision: z.enum(['publish', 'reject']), note: text(1000), ...csrfField }),
      },
    },
    async (request, reply) => {
      await challengesService.moderateResponse(
        requireSignedIn(request),
        request.params.id,
        request.params.responseId,
        request.body.decision,
        request.body.note,
      );
      return reply.redirect(`/challenges/${request.params.id}#responses`, 303);
    },
  );

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

  const collaborationBodySchema = z.object({
    lead: idSchema.optional(),
    partners: z.union([idSchema, z.array(idSchema)]).optional(),
    approach: text(50),
    componentSlug: text(200),
    summary: text(6000),
    ...csrfField,
  });

  const renderPropose = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    values: z.infer<typeof collaborationBodySchema>,
    error?: InputError,
  ) => {
    const challenge = await challengesService.getChallenge(id, request.actor);
    const partners = list(values.partners);
    return reply.header('Cache-Control', 'no-store').render('challenges/views/collaboration-new.njk', {
      title: `Propose a collaboration: ${challenge.title}`,
      challenge,
      values,
      leadOptions: challenge.sharers.map((sharer) => ({
        value: String(sharer.organisationId),
        text: sharer.name,
        checked: values.lead === sharer.organisationId,
      })),
      partnerOptions: challenge.sharers.map((sharer) => ({
        value: String(sharer.organisationId),
        text: sharer.name,
        checked: values.lead === undefined ? true : partners.includes(sharer.organisationId),
      })),
      approachOptions: APPROACHES.map((approach) => ({
        value: approach,
        text: APPROACH_LABELS[approach],
        checked: values.approach === approach,
      })),
      errorSummary: error ? formErrors(error) : undefined,
      errors: fieldErrors(error),
      breadcrumbs: [
        { text: 'Challenges', href: '/challenges' },
        { text: challenge.title, href: challenge.url },
      ],
    });
  };

  api.get('/challenges/:id/collaboration/new', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    requireSignedIn(request);
    return renderPropose(request, reply, request.params.id, { approach: '', componentSlug: '', summary: '' });
  });

  api.post(
    '/challenges/:id/collaboration',
    { schema: { hide: true, params: idParams, body: collaborationBodySchema } },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      try {
        await challengesService.proposeCollaboration(actor, request.params.id, {
          leadOrganisationId: request.body.lead ?? 0,
          partnerOrganisationIds: list(request.body.partners),
          approach: request.body.approach,
          componentSlug: request.body.componentSlug,
          summary: request.body.summary,
        });
        return reply.redirect(`/challenges/${request.params.id}/collaboration`, 303);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderPropose(request, reply.status(400), request.params.id, request.body, error);
      }
    },
  );

  api.get(
    '/challenges/:id/collaboration',
    { config: { publicCache: true }, schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const { id } = request.params;
      const collaboration = await challengesService.getCollaboration(id, request.actor);
      return reply.render('challenges/views/collaboration.njk', {
        title: `Collaboration: ${collaboration.challenge.title}`,
        collaboration,
        breadcrumbs: [
          { text: 'Challenges', href: '/challenges' },
          { text: collaboration.challenge.title, href: collaboration.challenge.url },
        ],
      });
    },
  );
}
