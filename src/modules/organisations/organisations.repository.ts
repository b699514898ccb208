import { type Expression, type ExpressionBuilder, type Kysely, type Selectable, type SqlBool, sql } from 'kysely';
import type { Actor } from '../../platform/actor.js';
import { type AuditEvent, type AuditTables, recordAuditEvent } from '../../platform/audit.js';
import { foldForSearch } from './organisations.register.js';
import type { OrganisationKind, OrganisationTables, OrganisationsTable } from './organisations.tables.js';

export type OrganisationRow = Selectable<OrganisationsTable>;
export type OrganisationInsert = Omit<OrganisationRow, 'id' | 'created_at' | 'updated_at'>;

export interface OrganisationFilter {
  q?: string | undefined;
  kind?: OrganisationKind | undefined;
  nation?: string | undefined;
  region?: string | undefined;
  councilType?: string | undefined;
  status?: 'current' | 'former' | 'all' | undefined;
  /** The date against which current and former are judged (YYYY-MM-DD). */
  onDate: string;
}

export interface Page {
  offset: number;
  limit: number;
}

export type OrganisationSort = 'name' | 'population' | 'start-date';

/** Every query the organisations module makes. */
export function createOrganisationsRepository(db: Kysely<OrganisationTables>) {
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

  return {
    /** Inserts or updates register rows by registry code, in one transaction. */
    async upsertRegisterOrganisations(rows: readonly OrganisationInsert[]): Promise<void> {
      await db.transaction().execute(async (trx) => {
        for (let start = 0; start < rows.length; start += 200) {
          await trx
            .insertInto('organisations')
            .values(rows.slice(start, start + 200))
            .onConflict((oc) =>
              oc.column('registry_code').doUpdateSet((eb) => ({
                kind: eb.ref('excluded.kind'),
                gss_code: eb.ref('excluded.gss_code'),
                name: eb.ref('excluded.name'),
                official_name: eb.ref('excluded.official_name'),
                alternative_names: eb.ref('excluded.alternative_names'),
                council_type: eb.ref('excluded.council_type'),
                council_type_name: eb.ref('excluded.council_type_name'),
                nation: eb.ref('excluded.nation'),
                region: eb.ref('excluded.region'),
                county_code: eb.ref('excluded.county_code'),
                combined_authority_code: eb.ref('excluded.combined_authority_code'),
                start_date: eb.ref('excluded.start_date'),
                end_date: eb.ref('excluded.end_date'),
                successor_codes: eb.ref('excluded.successor_codes'),
                former_gss_codes: eb.ref('excluded.former_gss_codes'),
                population: eb.ref('excluded.population'),
                search_names: eb.ref('excluded.search_names'),
                updated_at: new Date(),
              })),
            )
            .execute();
        }
      });
    },

    /** Inserts an organisation that is not in the council register (institute, regional centre, supplier) unless its slug exists. */
    async insertOrganisationIfMissing(row: OrganisationInsert): Promise<void> {
      await db
        .insertInto('organisations')
        .values(row)
        .onConflict((oc) => oc.column('slug').doNothing())
        .execute();
    },

    /** Counts the organisations in the register. */
    async countOrganisations(): Promise<number> {
      const row = await db
        .selectFrom('organisations')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      return row.count;
    },

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

    /** Member councils of regional centres (all centres, or the given ones), with their GSS codes. */
    async listCentreMembers(centreIds?: readonly number[]): Promise<{ centre_id: number; council_id: number; gss_code: string | null }[]> {
      if (centreIds && centreIds.length === 0) return [];
      return db
        .selectFrom('regional_centre_members')
        .innerJoin('organisations', 'organisations.id', 'regional_centre_members.council_id')
        .select(['regional_centre_members.centre_id', 'regional_centre_members.council_id', 'organisations.gss_code'])
        .$if(centreIds !== undefined, (query) => query.where('regional_centre_members.centre_id', 'in', centreIds ?? []))
        .orderBy('organisations.gss_code')
        .execute();
    },

    /**
     * Moves one council into a centre (or out of every centre, with null), with its audit event, in one transaction.
     */
    async setCentreMembership(
      councilId: number,
      centreId: number | null,
      joinedOn: string,
      audit: { actor: Actor; event: AuditEvent },
    ): Promise<void> {
      await db.transaction().execute(async (trx) => {
        if (centreId === null) await trx.deleteFrom('regional_centre_members').where('council_id', '=', councilId).execute();
        else
          await trx
            .insertInto('regional_centre_members')
            .values({ council_id: councilId, centre_id: centreId, joined_on: joinedOn })
            .onConflict((oc) => oc.column('council_id').doUpdateSet({ centre_id: centreId, joined_on: joinedOn }))
            .execute();
        await recordAuditEvent(trx as unknown as Kysely<AuditTables>, audit.actor, audit.event);
      });
    },

    /** Makes councils members of a centre, moving any that belonged to another centre (a council has at most one). */
    async assignCentreMembers(centreId: number, councilIds: readonly number[], joinedOn: string): Promise<void> {
      for (let start = 0; start < councilIds.length; start += 200) {
        await db
          .insertInto('regional_centre_members')
          .values(
            councilIds.slice(start, start + 200).map((councilId) => ({ council_id: councilId, centre_id: centreId, joined_on: joinedOn })),
          )
          .onConflict((oc) => oc.column('council_id').doUpdateSet((eb) => ({ centre_id: eb.ref('excluded.centre_id') })))
          .execute();
      }
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

export type OrganisationsRepository = ReturnType<typeof createOrganisationsRepository>;

/** An organisation is current on a date when it has started and not yet ended (end dates are the first day it no longer exists). */
function isCurrentOn(onDate: string) {
  return sql<SqlBool>`((start_date is null or start_date <= ${onDate}::date) and (end_date is null or end_date > ${onDate}::date))`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
