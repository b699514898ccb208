import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InputError } from '../../platform/errors.js';
import { fieldErrors, formErrors } from '../../platform/http/forms.js';
import { buildPagination, type CsvColumn, pageQuerySchema, queryString, sendCsv, wantsCsv } from '../../platform/http/lists.js';
import { requireSignedIn } from '../identity/index.js';
import { buildOpportunitiesFeed } from './opportunities.feed.js';
import { opportunityBodySchema, opportunityFilterSchema, opportunitySchema } from './opportunities.schemas.js';
import type { OpportunitiesService, Opportunity } from './opportunities.service.js';
import { OPPORTUNITY_KINDS, WORK_PLACES } from './workforce.tables.js';

const KIND_LABELS = { apprenticeship: 'Apprenticeship', secondment: 'Secondment' } as const;
const PLACE_LABELS = { 'on-site': 'On site', hybrid: 'Hybrid', remote: 'Remote' } as const;
const idParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });

const csvColumns: CsvColumn<Opportunity>[] = [
  { header: 'id', value: (item) => item.id },
  { header: 'kind', value: (item) => item.kind },
  { header: 'role', value: (item) => item.role },
  { header: 'organisation', value: (item) => item.organisation },
  { header: 'place', value: (item) => item.place },
  { header: 'remote', value: (item) => item.remote },
  { header: 'length_months', value: (item) => item.lengthMonths },
  { header: 'closing_date', value: (item) => item.closingDate },
  { header: 'how_to_apply', value: (item) => item.howToApply },
  { header: 'url', value: (item) => item.url },
];

const pageFilterSchema = z.object({
  kind: z.union([z.enum(OPPORTUNITY_KINDS), z.literal('')]).optional(),
  remote: z.union([z.enum(WORK_PLACES), z.literal('')]).optional(),
  q: z.string().trim().max(200).optional(),
  sort: z.union([z.enum(['closing', 'newest']), z.literal('')]).optional(),
  page: pageQuerySchema.shape.page,
});

/** What the list of opportunities shows: a page of them, the filters with their choices, and the links. */
function listPageView(
  filter: Omit<z.infer<typeof pageFilterSchema>, 'page'>,
  page: number,
  pageSize: number,
  result: Awaited<ReturnType<OpportunitiesService['listOpportunities']>>,
  canPost: boolean,
) {
  const filterQuery: Record<string, string> = Object.fromEntries(
    Object.entries(filter).filter(([, value]) => value !== undefined && value !== ''),
  );
  return {
    title: 'Apprenticeships and secondments',
    total: result.total,
    items: result.items,
    filter: filterQuery,
    kindLabels: KIND_LABELS,
    placeLabels: PLACE_LABELS,
    kindOptions: [
      { value: '', text: 'Any kind' },
      ...OPPORTUNITY_KINDS.map((kind) => ({ value: kind, text: KIND_LABELS[kind], selected: kind === filter.kind })),
    ],
    remoteOptions: [
      { value: '', text: 'Anywhere' },
      ...WORK_PLACES.map((place) => ({ value: place, text: PLACE_LABELS[place], selected: place === filter.remote })),
    ],
    sortOptions: [
      { value: 'closing', text: 'Closing soonest', selected: filter.sort !== 'newest' },
      { value: 'newest', text: 'Newest first', selected: filter.sort === 'newest' },
    ],
    pagination: buildPagination('/workforce/opportunities', filterQuery, page, pageSize, result.total),
    downloadQuery: queryString(filterQuery),
    canPost,
    breadcrumbs: [
      { text: 'Home', href: '/' },
      { text: 'Workforce', href: '/workforce' },
    ],
  };
}

/**
 * Apprenticeships and secondments: list with filters, CSV and JSON, an Atom feed, detail and posting.
 * Over 80 lines as a list of route declarations, each handler short.
 */
export function registerOpportunitiesRoutes(
  app: FastifyInstance,
  { opportunitiesService, publicBaseUrl }: { opportunitiesService: OpportunitiesService; publicBaseUrl: string },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const crumbs = [
    { text: 'Home', href: '/' },
    { text: 'Workforce', href: '/workforce' },
  ];

  api.get(
    '/api/v1/workforce/opportunities',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Workforce'],
        summary: 'Open apprenticeships and secondments',
        description: 'Opportunities organisations post, open ones only (closing today or later), soonest closing first.',
        querystring: opportunityFilterSchema.extend(pageQuerySchema.shape),
        response: {
          200: z.object({ total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), items: z.array(opportunitySchema) }),
        },
      },
    },
    async (request, reply) => {
      const { page, pageSize, format, ...filter } = request.query;
      const csv = wantsCsv(request, format);
      const result = await opportunitiesService.listOpportunities({ ...filter, page: csv ? 1 : page, pageSize: csv ? 10_000 : pageSize });
      if (csv) return sendCsv(reply, 'opportunities.csv', csvColumns, result.items);
      return { total: result.total, page, pageSize, items: result.items };
    },
  );

  api.get('/workforce/opportunities/feed.atom', { config: { publicCache: true }, schema: { hide: true } }, async (_request, reply) => {
    const { items } = await opportunitiesService.listOpportunities({ sort: 'newest', page: 1, pageSize: 50 });
    return reply
      .type('application/atom+xml; charset=utf-8')
      .send(buildOpportunitiesFeed({ baseUrl: publicBaseUrl, opportunities: items, now: new Date() }));
  });

  api.get(
    '/workforce/opportunities',
    { config: { publicCache: true }, schema: { hide: true, querystring: pageFilterSchema } },
    async (request, reply) => {
      const { page, ...filter } = request.query;
      const pageSize = 20;
      const result = await opportunitiesService.listOpportunities({
        kind: filter.kind || undefined,
        remote: filter.remote || undefined,
        q: filter.q || undefined,
        sort: filter.sort || undefined,
        page,
        pageSize,
      });
      return reply.render(
        'workforce/views/opportunities.njk',
        listPageView(filter, page, pageSize, result, opportunitiesService.canPost(request.actor)),
      );
    },
  );

  const renderForm = (reply: FastifyReply, values: Record<string, string>, error?: InputError) =>
    reply
      .status(error ? 400 : 200)
      .header('Cache-Control', 'no-store')
      .render('workforce/views/opportunity-form.njk', {
        title: 'Post an apprenticeship or secondment',
        values,
        errors: fieldErrors(error),
        errorSummary: error ? formErrors(error) : undefined,
        kindItems: OPPORTUNITY_KINDS.map((kind) => ({ value: kind, text: KIND_LABELS[kind], checked: values.kind === kind })),
        remoteItems: WORK_PLACES.map((place) => ({ value: place, text: PLACE_LABELS[place], checked: values.remote === place })),
        breadcrumbs: [...crumbs, { text: 'Opportunities', href: '/workforce/opportunities' }],
      });

  api.get('/workforce/opportunities/new', { schema: { hide: true } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    if (!opportunitiesService.canPost(actor))
      return reply
        .status(403)
        .render('error.njk', { title: 'Not allowed', paragraphs: ['Only people in an organisation can post its opportunities.'] });
    return renderForm(reply, {});
  });

  api.post('/workforce/opportunities', { schema: { hide: true, body: opportunityBodySchema } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const { _csrf: _token, ...values } = request.body;
    try {
      const id = await opportunitiesService.postOpportunity(actor, values);
      return reply
        .flash({
          heading: 'Your opportunity is posted',
          text: 'It is listed, and in the feed, until its closing date.',
          next: { href: '/workforce/opportunities', text: 'See all opportunities' },
        })
        .redirect(`/workforce/opportunities/${id}`, 303);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return renderForm(reply, values, error);
    }
  });

  api.get(
    '/workforce/opportunities/:id',
    { config: { publicCache: true }, schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const opportunity = await opportunitiesService.getOpportunity(request.params.id);
      return reply.render('workforce/views/opportunity.njk', {
        title: opportunity.role,
        opportunity,
        kindLabels: KIND_LABELS,
        placeLabels: PLACE_LABELS,
        breadcrumbs: [...crumbs, { text: 'Opportunities', href: '/workforce/opportunities' }],
      });
    },
  );
}
