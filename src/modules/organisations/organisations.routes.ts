import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { buildPagination, type CsvColumn, pageQuerySchema, queryString, sendCsv, wantsCsv } from '../../platform/http/lists.js';
import type { OrganisationHub } from './organisation-hub.js';
import { KIND_LABELS, type Organisation, type OrganisationQuery, type OrganisationsService } from './organisations.service.js';

const kinds = [
  'principal',
  'combined-authority',
  'strategic-authority',
  'institute',
  'regional-centre',
  'supplier',
  'public-body',
] as const;

const organisationFilterSchema = z.object({
  q: z.string().trim().max(200).optional().describe('Search any of the names, or a GSS code'),
  kind: z
    .enum(kinds)
    .optional()
    .describe('principal (councils), combined-authority, strategic-authority, institute, regional-centre, supplier'),
  nation: z.string().max(50).optional().describe('England, Scotland, Wales or Northern Ireland'),
  region: z.string().max(50).optional().describe('English region, e.g. South East'),
  type: z.string().max(10).optional().describe('Council type code: CTY, NMD, MD, LBO, UA, CC, SCO, WPA, NID'),
  status: z.enum(['current', 'former', 'all']).optional().describe('Current or former organisations (default all)'),
  current: z.enum(['true', 'false']).optional().describe('Shorthand: true = status current, false = status former'),
  onDate: z.iso.date().optional().describe('Judge current and former on this date (YYYY-MM-DD, default today)'),
  sort: z.enum(['name', 'population', 'start-date']).optional().describe('Order of the list (default name)'),
});

const organisationSchema = z.object({
  gssCode: z.string().nullable(),
  registryCode: z.string().nullable(),
  slug: z.string(),
  name: z.string(),
  officialName: z.string(),
  alternativeNames: z.array(z.string()),
  kind: z.enum(kinds),
  councilType: z.string().nullable(),
  councilTypeName: z.string().nullable(),
  nation: z.string().nullable(),
  region: z.string().nullable(),
  countyCode: z.string().nullable(),
  combinedAuthorityCode: z.string().nullable(),
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  successorCodes: z.array(z.string()),
  population: z.number().nullable(),
  current: z.boolean(),
});

const referenceSchema = z.object({
  name: z.string(),
  gssCode: z.string().nullable(),
  registryCode: z.string().nullable(),
  slug: z.string(),
  current: z.boolean(),
});

const csvColumns: CsvColumn<Organisation>[] = [
  { header: 'gss_code', value: (o) => o.gssCode },
  { header: 'registry_code', value: (o) => o.registryCode },
  { header: 'name', value: (o) => o.name },
  { header: 'official_name', value: (o) => o.officialName },
  { header: 'kind', value: (o) => o.kind },
  { header: 'council_type', value: (o) => o.councilType },
  { header: 'council_type_name', value: (o) => o.councilTypeName },
  { header: 'nation', value: (o) => o.nation },
  { header: 'region', value: (o) => o.region },
  { header: 'county_code', value: (o) => o.countyCode },
  { header: 'combined_authority_code', value: (o) => o.combinedAuthorityCode },
  { header: 'start_date', value: (o) => o.startDate },
  { header: 'end_date', value: (o) => o.endDate },
  { header: 'successor_codes', value: (o) => o.successorCodes },
  { header: 'population_2020', value: (o) => o.population },
  { header: 'current', value: (o) => o.current },
  { header: 'alternative_names', value: (o) => o.alternativeNames },
];

/** HTML forms send every field, empty when not chosen; the page accepts '' where the API wants the value or nothing. */
const pageFilterSchema = organisationFilterSchema.extend({
  kind: z.union([z.enum(kinds), z.literal('')]).optional(),
  status: z.union([z.enum(['current', 'former', 'all']), z.literal('')]).optional(),
  sort: z.union([z.enum(['name', 'population', 'start-date']), z.literal('')]).optional(),
  page: pageQuerySchema.shape.page,
});

type FilterInput = Omit<z.infer<typeof pageFilterSchema>, 'page'>;

function toQuery(filter: FilterInput, page: number, pageSize: number): OrganisationQuery {
  return {
    q: filter.q || undefined,
    kind: filter.kind || undefined,
    nation: filter.nation || undefined,
    region: filter.region || undefined,
    councilType: filter.type || undefined,
    status: filter.current === 'true' ? 'current' : filter.current === 'false' ? 'former' : filter.status || undefined,
    onDate: filter.onDate,
    sort: filter.sort || undefined,
    page,
    pageSize,
  };
}

type Facets = Awaited<ReturnType<OrganisationsService['listFacetValues']>>;

/** A select's choices with the chosen one marked, after an "any" choice. */
function selected(value: string | undefined, options: readonly { value: string; text: string }[], anyText: string) {
  return [{ value: '', text: anyText, selected: !value }, ...options.map((option) => ({ ...option, selected: option.value === value }))];
}

/** What the register's list page shows: a page of organisations, the filters with their choices, and the links. */
function listPageView(
  filter: FilterInput,
  page: number,
  pageSize: number,
  result: Awaited<ReturnType<OrganisationsService['listOrganisations']>>,
  facets: Facets,
) {
  const filterQuery = {
    q: filter.q,
    kind: filter.kind,
    nation: filter.nation,
    region: filter.region,
    type: filter.type,
    status: filter.status,
    sort: filter.sort,
  };
  return {
    title: 'Register of organisations',
    filter: filterQuery,
    total: result.total,
    firstItem: result.total === 0 ? 0 : (page - 1) * pageSize + 1,
    lastItem: Math.min(page * pageSize, result.total),
    rows: result.items.map((organisation) => ({ ...organisation, kindLabel: KIND_LABELS[organisation.kind] })),
    pagination: buildPagination('/organisations', filterQuery, page, pageSize, result.total),
    nationOptions: selected(
      filter.nation,
      facets.nations.map((n) => ({ value: n, text: n })),
      'Any nation',
    ),
    regionOptions: selected(
      filter.region,
      facets.regions.map((r) => ({ value: r, text: r })),
      'Any region',
    ),
    typeOptions: selected(
      filter.type,
      facets.councilTypes.map((t) => ({ value: t.code, text: t.name })),
      'Any type',
    ),
    kindOptions: selected(
      filter.kind || undefined,
      kinds.map((k) => ({ value: k, text: KIND_LABELS[k] })),
      'Any kind',
    ),
    sortOptions: selected(
      filter.sort || undefined,
      [
        { value: 'population', text: 'Population, largest first' },
        { value: 'start-date', text: 'Newest first' },
      ],
      'Name',
    ),
    downloadQuery: queryString(filterQuery),
  };
}

/** The register's pages and JSON API. Over 80 lines as a list of route declarations, each handler short. */
export function registerOrganisationRoutes(
  app: FastifyInstance,
  { organisationsService, organisationHub }: { organisationsService: OrganisationsService; organisationHub?: OrganisationHub },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/organisations',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Organisations'],
        summary: 'List organisations in the register',
        description: 'Every UK council past and present, combined authorities, and other organisations. Filter, search and page.',
        querystring: organisationFilterSchema.extend(pageQuerySchema.shape),
        response: {
          200: z.object({
            total: z.number().int(),
            page: z.number().int(),
            pageSize: z.number().int(),
            items: z.array(organisationSchema),
          }),
        },
      },
    },
    async (request, reply) => {
      const { page, pageSize, format, ...filter } = request.query;
      const csv = wantsCsv(request, format);
      // A CSV download is the whole filtered list, not one page of it.
      const result = await organisationsService.listOrganisations(toQuery(filter, csv ? 1 : page, csv ? 100_000 : pageSize));
      if (csv) return sendCsv(reply, 'organisations.csv', csvColumns, result.items);
      return { total: result.total, page, pageSize, items: result.items };
    },
  );

  api.get(
    '/api/v1/organisations/:code',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Organisations'],
        summary: 'One organisation',
        description: 'By GSS code (e.g. E07000178), or by registry code or slug for organisations without one.',
        params: z.object({ code: z.string().min(1).max(100) }),
        response: {
          200: organisationSchema.extend({
            memberCouncils: z.array(z.string()).describe('A regional centre’s member councils, by GSS code'),
            successors: z.array(referenceSchema),
            predecessors: z.array(referenceSchema),
            county: referenceSchema.nullable(),
            combinedAuthority: referenceSchema.nullable(),
          }),
        },
      },
    },
    async (request) => organisationsService.getOrganisation(request.params.code),
  );

  api.get(
    '/organisations',
    { config: { publicCache: true }, schema: { hide: true, querystring: pageFilterSchema } },
    async (request, reply) => {
      const { page, ...filter } = request.query;
      const pageSize = 50;
      const [result, facets] = await Promise.all([
        organisationsService.listOrganisations(toQuery(filter, page, pageSize)),
        organisationsService.listFacetValues(),
      ]);
      return reply.render('organisations/views/list.njk', listPageView(filter, page, pageSize, result, facets));
    },
  );

  api.get(
    '/organisations/:code',
    { config: { publicCache: true }, schema: { hide: true, params: z.object({ code: z.string().min(1).max(100) }) } },
    async (request, reply) => {
      const organisation = await organisationsService.getOrganisation(request.params.code);
      const cards = organisationHub ? await organisationHub(organisation, request.actor) : [];
      return reply.render('organisations/views/show.njk', {
        title: organisation.name,
        cards,
        organisation: { ...organisation, kindLabel: KIND_LABELS[organisation.kind] },
        breadcrumbs: [
          { text: 'Home', href: '/' },
          { text: 'Organisations', href: '/organisations' },
        ],
      });
    },
  );
}
