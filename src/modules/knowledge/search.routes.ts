import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { buildPagination } from '../../platform/http/lists.js';
import { SERVICE_AREA_LABELS } from '../challenges/index.js';
import { searchQuerySchema, searchResponseSchema } from './search.schemas.js';
import type { SearchQuery, SearchService } from './search.service.js';

const list = (value: string | string[] | undefined): string[] =>
  (value === undefined ? [] : Array.isArray(value) ? value : [value]).filter(Boolean);

function toQuery(query: z.infer<typeof searchQuerySchema>): SearchQuery {
  return {
    q: query.q,
    types: list(query.type),
    serviceArea: query.serviceArea || undefined,
    region: query.region || undefined,
    councilType: query.councilType || undefined,
    minimumEvidenceLevel: query.evidenceLevel || undefined,
    page: query.page,
    pageSize: query.pageSize,
  };
}

type SearchResult = Awaited<ReturnType<SearchService['search']>>;

/** The matches in groups by type, in the order of each type's best match: five a group when grouped, else all. */
function groupByType(result: SearchResult | null, labels: ReadonlyMap<string, string>, grouped: boolean) {
  const groups: { type: string; label: string; total: number; items: SearchResult['items'] }[] = [];
  for (const item of result?.items ?? []) {
    let group = groups.find((candidate) => candidate.type === item.type);
    if (!group) {
      group = { type: item.type, label: labels.get(item.type) ?? item.type, total: result?.facets.type[item.type] ?? 0, items: [] };
      groups.push(group);
    }
    if (!grouped || group.items.length < 5) group.items.push(item);
  }
  return groups;
}

/** The query's filters as they go in links, empty ones left out. */
function filterQueryOf(query: SearchQuery): Record<string, string> {
  return Object.fromEntries(
    Object.entries({
      q: query.q,
      type: query.types?.[0],
      serviceArea: query.serviceArea,
      region: query.region,
      councilType: query.councilType,
      evidenceLevel: query.minimumEvidenceLevel,
    }).flatMap(([key, value]) => (value === undefined || value === '' ? [] : [[key, String(value)]])),
  );
}

/** A facet's choices for a select: an empty choice, then the values with most matches first. */
function facetOptions(
  facet: Record<string, number> | undefined,
  chosen: string | undefined,
  empty: string,
  label: (value: string) => string = (value) => value,
) {
  return [
    { value: '', text: empty },
    ...Object.entries(facet ?? {})
      .sort((a, b) => b[1] - a[1])
      .map(([value, count]) => ({ value, text: `${label(value)} (${count})`, selected: value === chosen })),
  ];
}

/** What the search page shows: the matches (grouped by type or one type's page), the facets as filters, the links. */
function searchPageView(query: SearchQuery, result: SearchResult | null, labels: ReadonlyMap<string, string>, grouped: boolean) {
  const filterQuery = filterQueryOf(query);
  return {
    title: query.q ? `Search: ${query.q}` : 'Search',
    q: query.q,
    total: result?.total ?? 0,
    groups: groupByType(result, labels, grouped),
    grouped,
    typeOptions: facetOptions(result?.facets.type, query.types?.[0], 'All types', (value) => labels.get(value) ?? value),
    serviceAreaOptions: facetOptions(
      result?.facets.serviceArea,
      query.serviceArea,
      'Any service area',
      (value) => (SERVICE_AREA_LABELS as Record<string, string>)[value] ?? value,
    ),
    regionOptions: facetOptions(result?.facets.region, query.region, 'Any region'),
    councilTypeOptions: facetOptions(result?.facets.councilType, query.councilType, 'Any type of council'),
    evidenceOptions: facetOptions(
      result?.facets.evidenceLevel,
      query.minimumEvidenceLevel ? String(query.minimumEvidenceLevel) : undefined,
      'Any evidence',
      (value) => `Level ${value}`,
    ),
    pagination: !grouped && result ? buildPagination('/search', filterQuery, query.page, query.pageSize, result.total) : null,
    filterQuery,
    apiQuery: new URLSearchParams(filterQuery).toString(),
  };
}

/** The one search: its page (results grouped by type, facets as filters) and its JSON API. */
export function registerSearchRoutes(app: FastifyInstance, { searchService }: { searchService: SearchService }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/search',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Knowledge'],
        summary: 'Search everything',
        description:
          'One search over organisations, components, challenges, standards, case studies, suppliers, contracts and what other modules add. Exact names first, then by relevance, evidence and recency; misspellings tolerated. Facets count the matches by type (over every other filter) and by service area, region, council type and evidence level. Records you may not see are never included.',
        querystring: searchQuerySchema,
        response: { 200: searchResponseSchema },
      },
    },
    async (request) => {
      if (request.query.q === '')
        return { total: 0, items: [], facets: { type: {}, serviceArea: {}, region: {}, councilType: {}, evidenceLevel: {} } };
      const result = await searchService.search(toQuery(request.query), request.actor);
      return { ...result, items: result.items.map(({ type, id, title, url, snippet }) => ({ type, id, title, url, snippet })) };
    },
  );

  api.get('/search', { config: { publicCache: true }, schema: { hide: true, querystring: searchQuerySchema } }, async (request, reply) => {
    const query = toQuery(request.query);
    const labels = new Map(searchService.listTypes().map((entry) => [entry.type, entry.label]));
    const grouped = query.types?.length !== 1;
    // Grouped by type: the best 40 matches, shown in groups in the order of each type's best match.
    const result = query.q === '' ? null : await searchService.search(grouped ? { ...query, page: 1, pageSize: 40 } : query, request.actor);
    return reply.render('knowledge/views/search.njk', searchPageView(query, result, labels, grouped));
  });
}
