import { type Expression, type ExpressionBuilder, type Insertable, type Kysely, type Selectable, type SqlBool, sql } from 'kysely';
import type {
  AdoptionEventsTable,
  AdoptionsTable,
  CatalogueTables,
  ComponentHosting,
  ComponentKind,
  ComponentsTable,
} from './catalogue.tables.js';

export type ComponentRow = Omit<Selectable<ComponentsTable>, 'search_document'>;
export type ComponentInsert = Omit<Insertable<ComponentsTable>, 'id' | 'created_at' | 'search_document'>;
export type AdoptionRow = Selectable<AdoptionsTable>;
export type AdoptionEventRow = Selectable<AdoptionEventsTable>;

export interface AdoptionWithOrganisation extends AdoptionRow {
  organisation_name: string;
  organisation_slug: string;
  organisation_gss_code: string | null;
  organisation_kind: string;
}

export interface AdoptionEventWithOrganisation extends AdoptionEventRow {
  organisation_name: string;
  organisation_slug: string;
}

export interface ComponentFilter {
  q?: string | undefined;
  kind?: ComponentKind | undefined;
  serviceArea?: string | undefined;
  status?: string | undefined;
  licence?: string | undefined;
  hosting?: ComponentHosting | undefined;
}

export type ComponentSort = 'relevance' | 'name' | 'updated';

export interface Page {
  offset: number;
  limit: number;
}

const componentColumns = [
  'id',
  'slug',
  'name',
  'kind',
  'summary',
  'description',
  'problem',
  'service_areas',
  'licence',
  'code_repository_url',
  'documentation_url',
  'api_documentation_url',
  'landing_url',
  'development_status',
  'software_type',
  'hosting_options',
  'cost_model',
  'supported_standards',
  'related_slugs',
  'maintenance_type',
  'maintainers',
  'funding',
  'release_date',
  'software_version',
  'logo_url',
  'features',
  'platforms',
  'used_by',
  'localisation',
  'attachments',
  'description_language',
  'publiccode_version',
  'publiccode_raw',
  'source',
  'publisher_organisation_id',
  'created_by_user_id',
  'created_at',
  'updated_at',
] as const;

/** Every query the catalogue makes. Bound to a database or to a transaction. Over 80 lines as a list of queries, each its own short function. */
export function createCatalogueRepository(db: Kysely<CatalogueTables>) {
  /** Full-text search on the weighted document, or a name close to the words typed (typos included). */
  function searchCondition(q: string) {
    const folded = q.toLowerCase();
    return sql<SqlBool>`(search_document @@ websearch_to_tsquery('english', ${q})
      or lower(name) like ${`%${escapeLike(folded)}%`}
      or word_similarity(${folded}, lower(name)) >= 0.5)`;
  }

  /** The where-clause shared by the list and its count, so the total always matches the items. */
  function whereFilter(filter: ComponentFilter) {
    return (eb: ExpressionBuilder<CatalogueTables, 'components'>) => {
      const conditions: Expression<SqlBool>[] = [];
      if (filter.kind) conditions.push(eb('kind', '=', filter.kind));
      if (filter.status) conditions.push(eb('development_status', '=', filter.status as ComponentRow['development_status']));
      if (filter.licence) conditions.push(eb('licence', '=', filter.licence));
      if (filter.serviceArea) conditions.push(sql<SqlBool>`${filter.serviceArea} = any(service_areas)`);
      if (filter.hosting) conditions.push(sql<SqlBool>`${filter.hosting} = any(hosting_options)`);
      if (filter.q) conditions.push(searchCondition(filter.q));
      return eb.and(conditions);
    };
  }

  return {
    /** One page of components matching a filter, with the total that match; searches rank by relevance. */
    async listComponents(filter: ComponentFilter, page: Page, sort: ComponentSort): Promise<{ total: number; rows: ComponentRow[] }> {
      const base = db.selectFrom('components').where(whereFilter(filter));
      const q = filter.q ?? '';
      const [countRow, rows] = await Promise.all([
        base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
        base
          .select(componentColumns)
          .$if(Boolean(filter.q) && sort === 'relevance', (query) =>
            query
              .orderBy(sql`ts_rank(search_document, websearch_to_tsquery('english', ${q})) desc`)
              .orderBy(sql`word_similarity(${q.toLowerCase()}, lower(name)) desc`),
          )
          .$if(sort === 'updated', (query) => query.orderBy('updated_at', 'desc'))
          .orderBy(sql`lower(name)`)
          .orderBy('id')
          .offset(page.offset)
          .limit(page.limit)
          .execute(),
      ]);
      return { total: countRow.count, rows };
    },

    /** A component by its slug. */
    findComponentBySlug: (slug: string) => db.selectFrom('components').select(componentColumns).where('slug', '=', slug).executeTakeFirst(),

    /** A component by its code repository address (how a re-imported publiccode.yml finds its component). */
    findComponentByRepositoryUrl: (url: string) =>
      db.selectFrom('components').select(componentColumns).where('code_repository_url', '=', url).orderBy('id').executeTakeFirst(),

    /** Components by their slugs (related components, comparisons). */
    async listComponentsBySlugs(slugs: readonly string[]): Promise<ComponentRow[]> {
      if (slugs.length === 0) return [];
      return db.selectFrom('components').select(componentColumns).where('slug', 'in', slugs).orderBy('name').execute();
    },

    /** Components changed since an instant (all when none), for the one search. */
    async listComponentsChangedSince(since: Date | undefined): Promise<ComponentRow[]> {
      let query = db.selectFrom('components').select(componentColumns);
      if (since) query = query.where('updated_at', '>=', since);
      return query.orderBy('id').execute();
    },

    /** Adds a component. */
    insertComponent: (values: ComponentInsert) =>
      db.insertInto('components').values(values).returning(componentColumns).executeTakeFirstOrThrow(),

    /** Replaces a component's fields. */
    updateComponent: (id: number, values: Partial<ComponentInsert>) =>
      db
        .updateTable('components')
        .set({ ...values, updated_at: new Date() })
        .where('id', '=', id)
        .returning(componentColumns)
        .executeTakeFirstOrThrow(),

    /** Distinct service areas, licences and development statuses in use, for the list filters. */
    async listFacetValues(): Promise<{ serviceAreas: string[]; licences: string[] }> {
      const [areas, licences] = await Promise.all([
        sql<{ area: string }>`select distinct unnest(service_areas) as area from components order by area`.execute(db),
        db.selectFrom('components').select('licence').distinct().where('licence', 'is not', null).orderBy('licence').execute(),
      ]);
      return {
        serviceAreas: areas.rows.map((row) => row.area),
        licences: licences.flatMap((row) => (row.licence ? [row.licence] : [])),
      };
    },

    /** The current declarations of a set of components, with the declaring organisation. */
    async listAdoptionsForComponents(componentIds: readonly number[]): Promise<AdoptionWithOrganisation[]> {
      if (componentIds.length === 0) return [];
      return db
        .selectFrom('adoptions')
        .innerJoin('organisation_directory', 'organisation_directory.id', 'adoptions.organisation_id')
        .selectAll('adoptions')
        .select([
          'organisation_directory.name as organisation_name',
          'organisation_directory.slug as organisation_slug',
          'organisation_directory.gss_code as organisation_gss_code',
          'organisation_directory.kind as organisation_kind',
        ])
        .where('adoptions.component_id', 'in', componentIds)
        .orderBy('organisation_directory.name')
        .execute();
    },

    /** Every current declaration (for reuse credits and reminders). */
    listAllAdoptions: () => db.selectFrom('adoptions').selectAll().orderBy('id').execute(),

    /** One organisation's declaration for a component. */
    findAdoption: (componentId: number, organisationId: number) =>
      db
        .selectFrom('adoptions')
        .selectAll()
        .where('component_id', '=', componentId)
        .where('organisation_id', '=', organisationId)
        .executeTakeFirst(),

    /** Records a first declaration. */
    insertAdoption: (values: Omit<Insertable<AdoptionsTable>, 'id'>) =>
      db.insertInto('adoptions').values(values).returningAll().executeTakeFirstOrThrow(),

    /** Changes a declaration (status, evidence, contact, confirmation, reminder). */
    updateAdoption: (
      id: number,
      values: Partial<Omit<Insertable<AdoptionsTable>, 'id' | 'component_id' | 'organisation_id' | 'created_at'>>,
    ) =>
      db
        .updateTable('adoptions')
        .set({ ...values, updated_at: new Date() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow(),

    /** Appends to a declaration's history. */
    insertAdoptionEvent: (values: Omit<Insertable<AdoptionEventsTable>, 'id'>) =>
      db.insertInto('adoption_events').values(values).returningAll().executeTakeFirstOrThrow(),

    /** The newest history entries of a component's declarations. */
    listAdoptionEventsForComponent: (componentId: number, limit: number): Promise<AdoptionEventWithOrganisation[]> =>
      db
        .selectFrom('adoption_events')
        .innerJoin('organisation_directory', 'organisation_directory.id', 'adoption_events.organisation_id')
        .selectAll('adoption_events')
        .select(['organisation_directory.name as organisation_name', 'organisation_directory.slug as organisation_slug'])
        .where('adoption_events.component_id', '=', componentId)
        .orderBy('adoption_events.id', 'desc')
        .limit(limit)
        .execute(),

    /** How many re-confirmations each organisation made since a time (a reuse credit). */
    async countConfirmationsSince(since: Date): Promise<Map<number, number>> {
      const rows = await db
        .selectFrom('adoption_events')
        .select(['organisation_id', (eb) => eb.fn.countAll<number>().as('count')])
        .where('event', '=', 'confirmed')
        .where('recorded_at', '>', since)
        .groupBy('organisation_id')
        .execute();
      return new Map(rows.map((row) => [row.organisation_id, row.count]));
    },

    /** Components each organisation published on the platform. */
    listPublishedComponents: () =>
      db
        .selectFrom('components')
        .select(['id', 'slug', 'name', 'publisher_organisation_id'])
        .where('publisher_organisation_id', 'is not', null)
        .orderBy('name')
        .execute(),

    /** Names, slugs and codes of organisations by id. */
    async listOrganisationsByIds(ids: readonly number[]) {
      if (ids.length === 0) return [];
      return db
        .selectFrom('organisation_directory')
        .select(['id', 'name', 'slug', 'gss_code', 'kind', 'council_type'])
        .where('id', 'in', ids)
        .orderBy('name')
        .execute();
    },

    /** An organisation by GSS code or slug. */
    findOrganisation: (code: string) =>
      db
        .selectFrom('organisation_directory')
        .select(['id', 'name', 'slug', 'gss_code', 'kind', 'council_type'])
        .where((eb) => eb.or([eb('gss_code', '=', code.toUpperCase()), eb('slug', '=', code.toLowerCase())]))
        .orderBy('id')
        .executeTakeFirst(),

    /** Lists every component name by id (slugs for references). */
    listComponentNames: () => db.selectFrom('components').select(['id', 'slug', 'name']).orderBy('name').execute(),
  };
}

export type CatalogueRepository = ReturnType<typeof createCatalogueRepository>;

/** Runs work in one transaction: the repository and the raw handle given to it are bound to that transaction. */
export type CatalogueTransaction = <T>(work: (repository: CatalogueRepository, trx: Kysely<CatalogueTables>) => Promise<T>) => Promise<T>;

/** The transaction runner for a database. */
export function createCatalogueTransaction(db: Kysely<CatalogueTables>): CatalogueTransaction {
  return (work) => db.transaction().execute((trx) => work(createCatalogueRepository(trx), trx));
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
