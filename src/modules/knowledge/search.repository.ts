import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { KnowledgeTables } from './knowledge.tables.js';
import { createSearchChangesQueries } from './search-changes.queries.js';
import { createSearchIndexQueries } from './search-index.queries.js';

/**
 * The search index's SQL: the one ranked query with its facets and snippets, built in parts that must agree; the
 * upserts of documents from every module (search-index.queries.ts) and the change log digests, feeds and webhooks
 * read (search-changes.queries.ts) are in files of their own. Kept apart from the case-study queries
 * (knowledge.repository.ts) because it is a different job: an index any module writes to.
 */

export interface IndexRow {
  type: string;
  key: string;
  title: string;
  names: string;
  body: string;
  url: string;
  serviceArea: string | null;
  region: string | null;
  councilType: string | null;
  evidenceLevel: number | null;
  visibility: 'public' | 'organisation';
  ownerOrganisationId: number | null;
  topics: string[];
  contentHash: string;
  updatedAt: Date;
}

export interface SearchFilters {
  q: string;
  types: readonly string[];
  serviceArea?: string;
  region?: string;
  councilType?: string;
  minimumEvidenceLevel?: number;
  /**
   * Typo tolerance: each word of the query with the indexed words it looks like; a document matches when it has,
   * for every word, that word or one of its look-alikes. Absent: the query's own words (and phrases) only.
   */
  alternatives?: readonly (readonly string[])[];
  /** Null for the public; platform admins see every document. */
  viewer: { organisationId: number | null; seesEverything: boolean };
}

export interface RankedRow {
  id: number;
  type: string;
  key: string;
  title: string;
  url: string;
  service_area: string | null;
  region: string | null;
  council_type: string | null;
  evidence_level: number | null;
  snippet: string;
}

export interface FacetRow {
  facet: 'type' | 'service_area' | 'region' | 'council_type' | 'evidence_level';
  value: string;
  count: number;
}

/** The query's text search: its words and phrases, or each word or a look-alike (typo tolerance). */
function textQuery(filters: SearchFilters): RawBuilder<unknown> {
  if (!filters.alternatives || filters.alternatives.length === 0) return sql`websearch_to_tsquery('english', ${filters.q})`;
  const groups = filters.alternatives.map(
    (words) =>
      sql`(${sql.join(
        words.map((word) => sql`plainto_tsquery('english', ${word})`),
        sql` || `,
      )})`,
  );
  return sql`(${sql.join(groups, sql` && `)})`;
}

/**
 * The conditions on a document's narrow copy (search_matches): its text, who may see it, the facet filters other than
 * type. Its words have no positions, so a query with phrases is matched there with each phrase as all its words,
 * then checked against the document's own words (only then: "phrase" is false for most queries).
 */
function matchConditions(filters: SearchFilters): RawBuilder<unknown> {
  const namePattern = `%${filters.q.toLowerCase().replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
  const words = sql`(m.lexemes @@ (select loose from query) and (not (select phrase from query)
    or exists (select 1 from search_documents p where p.id = m.id and p.search_vector @@ (select tsq from query))))`;
  const conditions: RawBuilder<unknown>[] = [filters.q.length >= 3 ? sql`(${words} or m.match_names like ${namePattern})` : words];
  if (!filters.viewer.seesEverything) {
    conditions.push(
      filters.viewer.organisationId === null
        ? sql`m.visibility = 'public'`
        : sql`(m.visibility = 'public' or m.owner_organisation_id = ${filters.viewer.organisationId})`,
    );
  }
  if (filters.serviceArea) conditions.push(sql`m.service_area = ${filters.serviceArea}`);
  if (filters.region) conditions.push(sql`m.region = ${filters.region}`);
  if (filters.councilType) conditions.push(sql`m.council_type = ${filters.councilType}`);
  if (filters.minimumEvidenceLevel) conditions.push(sql`m.evidence_level >= ${filters.minimumEvidenceLevel}`);
  return sql.join(conditions, sql` and `);
}

/** Words of a query to find look-alikes for, when the matches (within the chosen types) are fewer than `below`. */
export interface LookAlikeRequest {
  words: readonly string[];
  below: number;
}

/**
 * For each word that is not an indexed word, up to three indexed words that look like it (trigram likeness), most
 * alike first; only when the statement's matches are fewer than asked (else null), so a query that finds enough pays
 * nothing for it, and one that finds too little needs no further round trip to learn what to try instead.
 */
function similarWhenFew(request: LookAlikeRequest | undefined, types: readonly string[]): RawBuilder<unknown> {
  if (!request || request.words.length === 0) return sql`null::json`;
  const inTypes = types.length > 0 ? sql`f.type = any(${sql.val(types)}::text[])` : sql`true`;
  return sql`case when (select coalesce(sum(f.all_count), 0) from facet_rows f where f.g = 15 and ${inTypes}) < ${request.below}
    then (
      select coalesce(json_agg(json_build_object('original', q.w, 'word', s.word) order by q.n, s.likeness desc, s.word), '[]'::json)
      from unnest(${sql.val(request.words)}::text[]) with ordinality as q(w, n)
      cross join lateral (
        select word, similarity(word, q.w) as likeness from search_words
        where word % q.w and word <> q.w and not exists (select 1 from search_words known where known.word = q.w)
        order by likeness desc, word limit 3
      ) s
    ) end`;
}

/** How many matches are ranked in full: the best by a cheap key (names, evidence, recency), at least a page's worth. */
const RANKED_CANDIDATES = 300;

/** One row of the facet counts: a grouping set of the matches (which column it kept is in g) and its two counts. */
interface FacetGroupRow {
  type: string | null;
  service_area: string | null;
  region: string | null;
  council_type: string | null;
  evidence_level: number | null;
  g: number;
  all_count: number;
  typed_count: number;
}

/**
 * The first common table expressions of the ranked query: the query's text search (query), the matching documents'
 * narrow copies with their name rank (matches), and the facet counts over them (facet_rows).
 */
function matchingExpressions(filters: SearchFilters, lq: RawBuilder<unknown>, inTypes: RawBuilder<unknown>): RawBuilder<unknown> {
  const tsq = textQuery(filters);
  // Phrase operators (<-> and <N>) print between spaces, and no word holds a space.
  const phraseOperator = ' <(-|[0-9]+)> ';
  return sql`query as (
          select q.tsq, q.tsq::text ~ ${phraseOperator} as phrase,
            regexp_replace(q.tsq::text, ${phraseOperator}, ' & ', 'g')::tsquery as loose
          from (select ${tsq} as tsq) q
        ),
        matches as materialized (
          select m.id, m.type, m.service_area, m.region, m.council_type, m.evidence_level, m.updated_at,
            case when position(${lq} in m.match_names) = 0 then -1
                 when m.title_lower = ${lq} then 100
                 when position(' | ' || ${lq} || ' | ' in ' | ' || m.match_names || ' | ') > 0 then 60
                 when m.title_lower like ${lq} || '%' then 10
                 else 0 end as name_rank
          from search_matches m
          where ${matchConditions(filters)}
        ),
        facet_rows as (
          select m.type, m.service_area, m.region, m.council_type, m.evidence_level,
            grouping(m.type, m.service_area, m.region, m.council_type, m.evidence_level)::integer as g,
            count(*)::integer as all_count,
            (count(*) filter (where ${inTypes}))::integer as typed_count
          from matches m
          group by grouping sets ((m.type), (m.service_area), (m.region), (m.council_type), (m.evidence_level))
        )`;
}

/**
 * The last common table expressions of the ranked query: the candidates by a cheap key, the page of them ranked in
 * full (page), and the page with its snippets (shown).
 */
function rankingExpressions(lq: RawBuilder<unknown>, inTypes: RawBuilder<unknown>, limit: number, offset: number): RawBuilder<unknown> {
  const candidates = Math.max(RANKED_CANDIDATES, offset + limit);
  return sql`candidates as (
          select m.id from matches m
          where ${inTypes}
          order by (case when m.name_rank >= 0 then m.name_rank + 10 else 0 end)::float8
            + 0.5::float8 * coalesce(m.evidence_level, 0)
            + 1 / (1 + date_part('epoch', now() - m.updated_at) / 31557600)
            + (case when m.type = 'case-study' then 1 else 0 end) desc, m.id
          limit ${candidates}
        ),
        page as (
          select d.id, d.type, d.key, d.title, d.url, d.service_area, d.region, d.council_type, d.evidence_level,
            (case when lower(d.title) = ${lq} then 100
                  when position(' | ' || ${lq} || ' | ' in ' | ' || d.match_names || ' | ') > 0 then 60
                  when lower(d.title) like ${lq} || '%' then 10
                  else 0 end)
            + 10 * ts_rank(d.search_vector, query.tsq, 32)
            + 0.5 * coalesce(d.evidence_level, 0)
            + 1.0 / (1 + extract(epoch from (now() - d.updated_at)) / 31557600.0)
            + (case when d.type = 'case-study' then 1 else 0 end) as score
          from search_documents d, query
          where d.id = any(array(select c.id from candidates c))
          order by score desc, d.id
          limit ${limit} offset ${offset}
        ),
        shown as (
          select p.id, p.type, p.key, p.title, p.url, p.service_area, p.region, p.council_type, p.evidence_level, p.score,
            ts_headline('english', left(d.body, 5000), query.tsq,
              'StartSel=⟦, StopSel=⟧, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "') as snippet
          from page p join search_documents d on d.id = p.id, query
        )`;
}

/** The facets from their grouping sets: types over every other filter; the other facets within the chosen types. */
function facetsOf(groups: readonly FacetGroupRow[]): FacetRow[] {
  const facets: FacetRow[] = [];
  for (const row of groups) {
    // grouping() sets a bit for each column left out of the set: 15 = only type kept, 23 = only service area…
    if (row.g === 15 && row.type !== null) facets.push({ facet: 'type', value: row.type, count: row.all_count });
    else if (row.g === 23 && row.service_area !== null && row.typed_count > 0)
      facets.push({ facet: 'service_area', value: row.service_area, count: row.typed_count });
    else if (row.g === 27 && row.region !== null && row.typed_count > 0)
      facets.push({ facet: 'region', value: row.region, count: row.typed_count });
    else if (row.g === 29 && row.council_type !== null && row.typed_count > 0)
      facets.push({ facet: 'council_type', value: row.council_type, count: row.typed_count });
    else if (row.g === 30 && row.evidence_level !== null && row.typed_count > 0)
      facets.push({ facet: 'evidence_level', value: String(row.evidence_level), count: row.typed_count });
  }
  return facets;
}

/** Creates the search index's repository over a database handle (or a transaction). */
export function createSearchRepository(db: Kysely<KnowledgeTables>) {
  return {
    ...createSearchIndexQueries(db),
    ...createSearchChangesQueries(db),

    /**
     * One page of ranked matches and the facet counts, in one statement that reads the matching documents once, in
     * their narrow copies (search_matches). Exact names first, then text rank, evidence and recency. Only the
     * candidates are ranked in full (their text rank needs the weighted words of search_documents): the best matches
     * by a cheap key, where a match in the names counts as the most a text rank can add; so a word found in thousands
     * of documents costs a sort of narrow rows, not thousands of rank computations; snippets only for the page shown.
     * Facets: types over every other filter; the other facets within the chosen types too.
     */
    async searchPage(
      filters: SearchFilters,
      limit: number,
      offset: number,
      lookAlikes?: LookAlikeRequest,
    ): Promise<{ facets: FacetRow[]; rows: RankedRow[]; similar: Map<string, string[]> }> {
      const lq = sql`${filters.q.toLowerCase()}::text`;
      const inTypes = filters.types.length > 0 ? sql`m.type = any(${sql.val(filters.types)}::text[])` : sql`true`;
      const result = await sql<{
        facets: FacetGroupRow[];
        rows: RankedRow[];
        similar: { original: string; word: string }[] | null;
      }>`
        with ${matchingExpressions(filters, lq, inTypes)},
        ${rankingExpressions(lq, inTypes, limit, offset)}
        select
          (select coalesce(json_agg(f), '[]'::json) from facet_rows f) as facets,
          (select coalesce(json_agg(s order by s.score desc, s.id), '[]'::json) from shown s) as rows,
          ${similarWhenFew(lookAlikes, filters.types)} as similar
      `.execute(db);
      const first = result.rows[0];
      const similar = new Map<string, string[]>();
      for (const row of first?.similar ?? []) similar.set(row.original, [...(similar.get(row.original) ?? []), row.word]);
      return { facets: facetsOf(first?.facets ?? []), rows: first?.rows ?? [], similar };
    },
  };
}

export type SearchRepository = ReturnType<typeof createSearchRepository>;
