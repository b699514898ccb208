import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import { foldForSearch } from './organisations.register.js';
import type { OrganisationTables } from './organisations.tables.js';
import type { OrganisationFilter, OrganisationRow, OrganisationSort, Page } from './organisations.repository.js';

/** The where-clause shared by every list and count, so the total always matches the items. */
function whereFilter(filter: OrganisationFilter) {
  return (eb: ExpressionBuilder<OrganisationTables, 'organisations'>) => {
    const conditions: Expression<SqlBool>[] = [];
    if (filter.kind) conditions.push(eb('kind', '=', filter.kind));
    if (filter.nation) conditions.push(eb('nation', '=', filter.nation));
    if (filter.region) conditions.push(eb('region', '=', filter.region));
    if (filter.councilType) conditions.push(eb('council_type', '=', filter.councilType));
    if (filter.status === 'current') conditions.push(isCurrentOn(filter.onDate));
    if (filter.status === 'former') conditions.push(sql<SqlBool>`not (${isCurrentOn(filter.onDate)})`);
    if (filter.q) {
      const needle = foldForSearch(filter.q);
      conditions.push(
        eb.or([
          eb('search_names', 'like', `%${escapeLike(needle)}%`),
          eb('gss_code', '=', filter.q.toUpperCase()),
          sql<SqlBool>`word_similarity(${needle}, search_names) >= 0.6`,
        ]),
      );
    }
    return eb.and(conditions);
  };
}

/** The queries that find organisations: pages of them by filter, by code or id, predecessors, current councils, and the filters' values. Over 80 lines as a list of queries, each its own short function. */
export function createDirectoryQueries(db: Kysely<OrganisationTables>) {
  return {
    /** One page of organisations matching a filter, with the total that match. */
    async listOrganisations(
      filter: OrganisationFilter,
      page: Page,
      sort: OrganisationSort = 'name',
    ): Promise<{ total: number; rows: OrganisationRow[] }> {
      const base = db.selectFrom('organisations').where(whereFilter(filter));
      const [countRow, rows] = await Promise.all([
        base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
        base
          .selectAll()
          // With a search, the closest names come first: whole-phrase matches, then by trigram likeness.
          .$if(Boolean(filter.q), (query) =>
            query
              .orderBy(sql`(search_names like ${`%${escapeLike(foldForSearch(filter.q ?? ''))}%`}) desc`)
              .orderBy(sql`word_similarity(${foldForSearch(filter.q ?? '')}, search_names) desc`),
          )
          .$call((query) =>
            sort === 'population'
              ? query.orderBy(sql`population desc nulls last`)
              : sort === 'start-date'
                ? query.orderBy(sql`start_date desc nulls last`)
                : query,
          )
          .orderBy('name')
          .orderBy('id')
          .offset(page.offset)
          .limit(page.limit)
          .execute(),
      ]);
      return { total: countRow.count, rows };
    },

    /** Finds one organisation by GSS code, registry code or slug. */
    async findOrganisationByCode(code: string): Promise<OrganisationRow | undefined> {
      return db
        .selectFrom('organisations')
        .selectAll()
        .where((eb) =>
          eb.or([
            eb('gss_code', '=', code.toUpperCase()),
            eb('registry_code', '=', code.toUpperCase()),
            eb('slug', '=', code.toLowerCase()),
          ]),
        )
        .orderBy('id')
        .executeTakeFirst();
    },

    /** Organisations by id (other modules present the organisations their records name). */
    async listOrganisationsByIds(ids: readonly number[]): Promise<OrganisationRow[]> {
      if (ids.length === 0) return [];
      return db.selectFrom('organisations').selectAll().where('id', 'in', ids).orderBy('id').execute();
    },

    /** Organisations changed since an instant (all when none), for the one search. */
    async listOrganisationsChangedSince(since: Date | undefined): Promise<OrganisationRow[]> {
      let query = db.selectFrom('organisations').selectAll();
      if (since) query = query.where('updated_at', '>=', since);
      return query.orderBy('id').execute();
    },

    /** Organisations with the given registry codes (successors, counties, combined authorities). */
    async listOrganisationsByRegistryCodes(codes: readonly string[]): Promise<OrganisationRow[]> {
      if (codes.length === 0) return [];
      return db.selectFrom('organisations').selectAll().where('registry_code', 'in', codes).orderBy('name').execute();
    },

    /** Councils whose predecessor list names this registry code (its predecessors). */
    async listPredecessors(registryCode: string): Promise<OrganisationRow[]> {
      return db
        .selectFrom('organisations')
        .selectAll()
        .where(sql<SqlBool>`${registryCode} = any(successor_codes)`)
        .orderBy('name')
        .execute();
    },

    /** Current principal councils of a nation on a date: the denominator of every sector figure. */
    async listCurrentPrincipalCouncils(nation: string, onDate: string): Promise<OrganisationRow[]> {
      return db
        .selectFrom('organisations')
        .selectAll()
        .where('kind', '=', 'principal')
        .where('nation', '=', nation)
        .where(isCurrentOn(onDate))
        .orderBy('name')
        .execute();
    },

    /** Distinct values for the list filters. */
    async listFacetValues(): Promise<{ nations: string[]; regions: string[]; councilTypes: { code: string; name: string }[] }> {
      const [nations, regions, councilTypes] = await Promise.all([
        db.selectFrom('organisations').select('nation').distinct().where('nation', 'is not', null).orderBy('nation').execute(),
        db.selectFrom('organisations').select('region').distinct().where('region', 'is not', null).orderBy('region').execute(),
        db
          .selectFrom('organisations')
          .select(['council_type', 'council_type_name'])
          .distinct()
          .where('council_type', 'is not', null)
          .orderBy('council_type_name')
          .execute(),
      ]);
      return {
        nations: nations.flatMap((row) => (row.nation ? [row.nation] : [])),
        regions: regions.flatMap((row) => (row.region ? [row.region] : [])),
        councilTypes: councilTypes.flatMap((row) =>
          row.council_type && row.council_type_name ? [{ code: row.council_type, name: row.council_type_name }] : [],
        ),
      };
    },
  };
}

/** An organisation is current on a date when it has started and not yet ended (end dates are the first day it no longer exists). */
function isCurrentOn(onDate: string) {
  return sql<SqlBool>`((start_date is null or start_date <= ${onDate}::date) and (end_date is null or end_date > ${onDate}::date))`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
