import { type Expression, type ExpressionBuilder, type Kysely, type Selectable, type SqlBool, sql } from 'kysely';
import type {
  BudgetBand,
  ChallengeComponentsTable,
  ChallengeResponsesTable,
  ChallengesTable,
  ChallengeSharersTable,
  ChallengeTables,
  ComponentRelation,
  ResponseStatus,
  ServiceArea,
  Stage,
} from './challenges.tables.js';

export type ChallengeRow = Selectable<ChallengesTable>;
export type ChallengeInsert = Omit<
  ChallengeRow,
  'id' | 'created_at' | 'updated_at' | 'reminded_at' | 'search_vector' | 'merged_into_id'
> & {
  updated_at?: Date;
};
export type ChallengeChanges = Partial<
  Pick<
    ChallengeRow,
    | 'title'
    | 'problem'
    | 'affects'
    | 'service_area'
    | 'workaround'
    | 'good_looks_like'
    | 'constraints'
    | 'budget_band'
    | 'timescale'
    | 'contract_end_date'
    | 'stage'
    | 'visibility'
    | 'contact_name'
    | 'contact_email'
    | 'merged_into_id'
    | 'updated_at'
    | 'reminded_at'
  >
>;
export type SharerRow = Selectable<ChallengeSharersTable>;
export type ResponseRow = Selectable<ChallengeResponsesTable>;
export type ComponentLinkRow = Selectable<ChallengeComponentsTable>;

/** A challenge in a list: its row, its owner, and the demand behind it. */
export interface ChallengeListRow extends Omit<ChallengeRow, 'search_vector'> {
  owner_name: string;
  owner_code: string;
  shared_by: number;
  combined_scale: number;
  /** Each unit's total over the sharing councils, as "unit=total" pairs joined by ";" (largest first). */
  scale_by_unit: string;
}

export interface SharerListRow extends SharerRow {
  organisation_name: string;
  organisation_code: string;
  council_type: string | null;
  council_type_name: string | null;
  region: string | null;
  start_date: string | null;
  end_date: string | null;
}

export interface ChallengeFilter {
  q?: string | undefined;
  stage?: Stage | undefined;
  serviceArea?: ServiceArea | undefined;
  budgetBand?: BudgetBand | undefined;
  region?: string | undefined;
  councilType?: string | undefined;
  minSharers?: number | undefined;
  /** Only challenges not updated since this instant (and still open). */
  staleBefore?: Date | undefined;
  /** Also list this organisation's drafts. */
  draftsOf?: number | null | undefined;
}

export type ChallengeSort = 'demand' | 'newest' | 'updated' | 'title';

export interface Page {
  offset: number;
  limit: number;
}

const CLOSED_STAGES: readonly Stage[] = ['solved', 'closed'];

/** Every query the challenges module makes. Bound to a database or to a transaction. */
export function createChallengesRepository(db: Kysely<ChallengeTables>) {
  const sharedBy = sql<number>`(select count(distinct s.organisation_id)::integer from challenge_sharers s where s.challenge_id = challenges.id and s.left_at is null)`;
  const combinedScale = sql<number>`(select coalesce(sum(s.scale), 0)::integer from challenge_sharers s where s.challenge_id = challenges.id and s.left_at is null)`;

  // Scales add up only within a unit: residents are never added to households.
  const scaleByUnit = sql<string>`(select coalesce(string_agg(t.unit || '=' || t.total, ';' order by t.total desc, t.unit), '') from (select s.scale_unit as unit, sum(s.scale)::bigint as total from challenge_sharers s where s.challenge_id = challenges.id and s.left_at is null and s.scale is not null group by s.scale_unit) t)`;

  function whereFilter(filter: ChallengeFilter) {
    return (eb: ExpressionBuilder<ChallengeTables, 'challenges'>) => {
      const conditions: Expression<SqlBool>[] = [eb('challenges.merged_into_id', 'is', null)];
      conditions.push(
        filter.draftsOf
          ? eb.or([eb('challenges.visibility', '=', 'public'), eb('challenges.owner_organisation_id', '=', filter.draftsOf)])
          : eb('challenges.visibility', '=', 'public'),
      );
      if (filter.stage) conditions.push(eb('challenges.stage', '=', filter.stage));
      if (filter.serviceArea) conditions.push(eb('challenges.service_area', '=', filter.serviceArea));
      if (filter.budgetBand) conditions.push(eb('challenges.budget_band', '=', filter.budgetBand));
      if (filter.region)
        conditions.push(
          sql<SqlBool>`exists (select 1 from challenge_sharers s join organisation_directory o on o.id = s.organisation_id
            where s.challenge_id = challenges.id and s.left_at is null and o.region = ${filter.region})`,
        );
      if (filter.councilType)
        conditions.push(
          sql<SqlBool>`exists (select 1 from challenge_sharers s join organisation_directory o on o.id = s.organisation_id
            where s.challenge_id = challenges.id and s.left_at is null and o.council_type = ${filter.councilType})`,
        );
      if (filter.minSharers) conditions.push(sql<SqlBool>`${sharedBy} >= ${filter.minSharers}`);
      if (filter.staleBefore) {
        conditions.push(eb('challenges.updated_at', '<', filter.staleBefore));
        conditions.push(eb('challenges.stage', 'not in', CLOSED_STAGES));
      }
      if (filter.q) {
        conditions.push(
          eb.or([
            sql<SqlBool>`challenges.search_vector @@ websearch_to_tsquery('english', ${filter.q})`,
            sql<SqlBool>`challenges.title ilike ${`%${escapeLike(filter.q)}%`}`,
          ]),
        );
      }
      return eb.and(conditions);
    };
  }

  const listColumns = (eb: ExpressionBuilder<ChallengeTables, 'challenges' | 'organisation_directory'>) => [
    sharedBy.as('shared_by'),
    combinedScale.as('combined_scale'),
    scaleByUnit.as('scale_by_unit'),
    eb.ref('organisation_directory.name').as('owner_name'),
    sql<string>`organisation_directory.code`.as('owner_code'),
  ];

  const challengeColumns = [
    'challenges.id',
    'challenges.title',
    'challenges.problem',
    'challenges.affects',
    'challenges.service_area',
    'challenges.workaround',
    'challenges.good_looks_like',
    'challenges.constraints',
    'challenges.budget_band',
    'challenges.timescale',
    'challenges.contract_end_date',
    'challenges.stage',
    'challenges.visibility',
    'challenges.owner_organisation_id',
    'challenges.created_by',
    'challenges.contact_name',
    'challenges.contact_email',
    'challenges.merged_into_id',
    'challenges.created_at',
    'challenges.updated_at',
    'challenges.reminded_at',
  ] as const;

  return {
    /** Adds a challenge. */
    insertChallenge: (values: ChallengeInsert) =>
      db.insertInto('challenges').values(values).returning(challengeColumns).executeTakeFirstOrThrow(),

    /** Changes a challenge; returns it as it is now. */
    updateChallenge: (id: number, values: ChallengeChanges) =>
      db.updateTable('challenges').set(values).where('id', '=', id).returning(challengeColumns).executeTakeFirstOrThrow(),

    /** One challenge with its owner and demand, whatever its visibility. */
    findChallenge: (id: number): Promise<ChallengeListRow | undefined> =>
      db
        .selectFrom('challenges')
        .innerJoin('organisation_directory', 'organisation_directory.id', 'challenges.owner_organisation_id')
        .select(challengeColumns)
        .select(listColumns)
        .where('challenges.id', '=', id)
        .executeTakeFirst(),

    /** Challenges changed since an instant (all when none) with their owner's region and type and linked components: the one search. */
    async listChallengesChangedSince(since: Date | undefined) {
      let query = db
        .selectFrom('challenges')
        .innerJoin('organisation_directory', 'organisation_directory.id', 'challenges.owner_organisation_id')
        .select(challengeColumns)
        .select(listColumns)
        .select([
          'organisation_directory.region as owner_region',
          'organisation_directory.council_type as owner_council_type',
          sql<string[]>`array(select component_slug from challenge_components cc where cc.challenge_id = challenges.id order by 1)`.as(
            'component_slugs',
          ),
        ]);
      if (since) query = query.where('challenges.updated_at', '>=', since);
      return query.orderBy('challenges.id').execute();
    },

    /** A challenge by its owner and exact title (so demo content is loaded once). */
    findChallengeByTitle: (ownerOrganisationId: number, title: string) =>
      db
        .selectFrom('challenges')
        .select('id')
        .where('owner_organisation_id', '=', ownerOrganisationId)
        .where('title', '=', title)
        .executeTakeFirst(),

    /** One page of challenges matching a filter, with the total that match. */
    async listChallenges(filter: ChallengeFilter, page: Page, sort: ChallengeSort): Promise<{ total: number; rows: ChallengeListRow[] }> {
      const base = db
        .selectFrom('challenges')
        .innerJoin('organisation_directory', 'organisation_directory.id', 'challenges.owner_organisation_id')
        .where(whereFilter(filter));
      const [count, rows] = await Promise.all([
        base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
        base
          .select(challengeColumns)
          .select(listColumns)
          .$call((query) =>
            sort === 'demand'
              ? query.orderBy(sql`shared_by desc`).orderBy(sql`combined_scale desc`)
              : sort === 'updated'
                ? query.orderBy('challenges.updated_at', 'desc')
                : sort === 'title'
                  ? query.orderBy('challenges.title')
                  : query.orderBy('challenges.created_at', 'desc'),
          )
          .orderBy('challenges.id', 'desc')
          .offset(page.offset)
          .limit(page.limit)
          .execute(),
      ]);
      return { total: count.count, rows };
    },

    /**
     * Public challenges ranked by likeness to a text: full-text match of any of its words (stemmed, title weighted
     * above problem) blended with trigram similarity of the title and of the problem text.
     */
    async listSimilarChallenges(
      text: string,
      limit: number,
      excludeId?: number,
    ): Promise<(ChallengeListRow & { score: number; text_rank: number; title_similarity: number; problem_similarity: number })[]> {
      // Any word may match (OR), so a rephrasing that shares only some words is still found.
      const query = sql`(select case when q::text = '' then null else replace(q::text, ' & ', ' | ')::tsquery end
        from plainto_tsquery('english', ${text}) as q)`;
      const textRank = sql<number>`coalesce(ts_rank(challenges.search_vector, ${query}, 1 | 32), 0)`;
      const titleSimilarity = sql<number>`greatest(similarity(challenges.title, ${text}), word_similarity(challenges.title, ${text}))`;
      const problemSimilarity = sql<number>`similarity(challenges.problem, ${text})`;
      const score = sql<number>`round((0.5 * ${textRank} + 0.3 * ${titleSimilarity} + 0.2 * ${problemSimilarity})::numeric, 4)::float8`;
      return db
        .selectFrom('challenges')
        .innerJoin('organisation_directory', 'organisation_directory.id', 'challenges.owner_organisation_id')
        .select(challengeColumns)
        .select(listColumns)
        .select([
          score.as('score'),
          textRank.as('text_rank'),
          sql<number>`${titleSimilarity}::float8`.as('title_similarity'),
          sql<number>`${problemSimilarity}::float8`.as('problem_similarity'),
        ])
        .where('challenges.visibility', '=', 'public')
        .where('challenges.merged_into_id', 'is', null)
        .$if(excludeId !== undefined, (q) => q.where('challenges.id', '!=', excludeId ?? 0))
        .where((eb) =>
          eb.or([
            sql<SqlBool>`challenges.search_vector @@ ${query}`,
            sql<SqlBool>`similarity(challenges.title, ${text}) > 0.2`,
            sql<SqlBool>`word_similarity(challenges.title, ${text}) > 0.5`,
          ]),
        )
        .orderBy(sql`score desc`)
        .orderBy('challenges.id')
        .limit(limit)
        .execute();
    },

    /** Records a stage (with a note) in the challenge's history. */
    /** Every public, unmerged challenge with its active sharing councils, published responses and whether a collaboration exists (sector figures). */
    listChallengeFacts: () =>
      db
        .selectFrom('challenges')
        .select((eb) => [
          'challenges.id',
          'challenges.title',
          'challenges.stage',
          'challenges.created_at',
          eb
            .selectFrom('challenge_sharers')
            .select(sql<number[]>`coalesce(array_agg(distinct challenge_sharers.organisation_id), '{}')`.as('ids'))
            .whereRef('challenge_sharers.challenge_id', '=', 'challenges.id')
            .where('challenge_sharers.left_at', 'is', null)
            .as('sharer_ids'),
          eb
            .selectFrom('challenge_responses')
            .select(sql<number>`count(*)::int`.as('n'))
            .whereRef('challenge_responses.challenge_id', '=', 'challenges.id')
            .where('challenge_responses.status', '=', 'published')
            .as('responses'),
          eb
            .exists(
              eb
                .selectFrom('challenge_collaborations')
                .select('challenge_collaborations.id')
                .whereRef('challenge_collaborations.challenge_id', '=', 'challenges.id'),
            )
            .as('collaboration'),
        ])
        .where('challenges.visibility', '=', 'public')
        .where('challenges.merged_into_id', 'is', null)
        .orderBy('challenges.id')
        .execute(),

    insertStageHistory: (values: { challenge_id: number; stage: Stage; note: string; changed_by: number | null }) =>
      db.insertInto('challenge_stage_history').values(values).execute(),

    /** A challenge's stages, oldest first. */
    listStageHistory: (challengeId: number) =>
      db
        .selectFrom('challenge_stage_history')
        .selectAll()
        .where('challenge_id', '=', challengeId)
        .orderBy('changed_at')
        .orderBy('id')
        .execute(),

    /** Adds a council to those sharing a challenge. */
    insertSharer: (values: Omit<SharerRow, 'id' | 'joined_at' | 'left_at'>) =>
      db.insertInto('challenge_sharers').values(values).returningAll().executeTakeFirstOrThrow(),

    /** The organisation's current share of a challenge, if it shares it. */
    findActiveSharer: (challengeId: number, organisationId: number) =>
      db
        .selectFrom('challenge_sharers')
        .selectAll()
        .where('challenge_id', '=', challengeId)
        .where('organisation_id', '=', organisationId)
        .where('left_at', 'is', null)
        .executeTakeFirst(),

    /** Marks a council as no longer sharing a challenge. */
    markSharerLeft: (id: number, now: Date) =>
      db.updateTable('challenge_sharers').set({ left_at: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),

    /** The councils currently sharing a challenge, with their tier, region and dates, owner first then by joining. */
    listSharers: (challengeId: number, ownerOrganisationId: number): Promise<SharerListRow[]> =>
      db
        .selectFrom('challenge_sharers')
        .innerJoin('organisation_directory', 'organisation_directory.id', 'challenge_sharers.organisation_id')
        .selectAll('challenge_sharers')
        .select([
          'organisation_directory.name as organisation_name',
          sql<string>`organisation_directory.code`.as('organisation_code'),
          'organisation_directory.council_type',
          'organisation_directory.council_type_name',
          'organisation_directory.region',
          'organisation_directory.start_date',
          'organisation_directory.end_date',
        ])
        .where('challenge_sharers.challenge_id', '=', challengeId)
        .where('challenge_sharers.left_at', 'is', null)
        .orderBy(sql`challenge_sharers.organisation_id = ${ownerOrganisationId} desc`)
        .orderBy('challenge_sharers.joined_at')
        .orderBy('challenge_sharers.id')
        .execute(),

    /**
     * Moves the supporters of a duplicate to the challenge it is merged into. A council that already shares the
     * target keeps its own entry there; its entry on the duplicate is closed, so no council counts twice.
     */
    async moveSharers(fromId: number, toId: number, now: Date): Promise<{ moved: number; alreadySharing: number }> {
      const moved = await db
        .updateTable('challenge_sharers')
        .set({ challenge_id: toId })
        .where('challenge_id', '=', fromId)
        .where('left_at', 'is', null)
        .where(
          'organisation_id',
          'not in',
          db.selectFrom('challenge_sharers').select('organisation_id').where('challenge_id', '=', toId).where('left_at', 'is', null),
        )
        .returning('id')
        .execute();
      const closed = await db
        .updateTable('challenge_sharers')
        .set({ left_at: now })
        .where('challenge_id', '=', fromId)
        .where('left_at', 'is', null)
        .returning('id')
        .execute();
      return { moved: moved.length, alreadySharing: closed.length };
    },

    /** Moves the supplier responses of a duplicate to the challenge it is merged into. */
    moveResponses: (fromId: number, toId: number) =>
      db.updateTable('challenge_responses').set({ challenge_id: toId }).where('challenge_id', '=', fromId).execute(),

    /** Adds a supplier's response, pending moderation. */
    insertResponse: (values: Omit<ResponseRow, 'id' | 'created_at' | 'status' | 'moderated_by' | 'moderated_at' | 'moderation_note'>) =>
      db.insertInto('challenge_responses').values(values).returningAll().executeTakeFirstOrThrow(),

    /** One supplier response. */
    findResponse: (id: number) => db.selectFrom('challenge_responses').selectAll().where('id', '=', id).executeTakeFirst(),

    /** Publishes or rejects a response. */
    moderateResponse: (id: number, values: { status: ResponseStatus; moderated_by: number; moderated_at: Date; moderation_note: string }) =>
      db.updateTable('challenge_responses').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),

    /** A challenge's supplier responses (optionally only published ones), oldest first, with the supplier's name. */
    listResponses: (challengeId: number, onlyPublished: boolean) =>
      db
        .selectFrom('challenge_responses')
        .innerJoin('organisation_directory', 'organisation_directory.id', 'challenge_responses.supplier_organisation_id')
        .selectAll('challenge_responses')
        .select('organisation_directory.name as supplier_name')
        .where('challenge_responses.challenge_id', '=', challengeId)
        .$if(onlyPublished, (query) => query.where('challenge_responses.status', '=', 'published'))
        .orderBy('challenge_responses.created_at')
        .orderBy('challenge_responses.id')
        .execute(),

    /** Links a component to a challenge, or changes how it is linked; returns the link before and after. */
    async upsertComponentLink(values: {
      challenge_id: number;
      component_slug: string;
      relation: ComponentRelation;
      note: string;
      added_by: number | null;
    }): Promise<{ before: ComponentLinkRow | undefined; after: ComponentLinkRow }> {
      const before = await db
        .selectFrom('challenge_components')
        .selectAll()
        .where('challenge_id', '=', values.challenge_id)
        .where('component_slug', '=', values.component_slug)
        .executeTakeFirst();
      const after = await db
        .insertInto('challenge_components')
        .values(values)
        .onConflict((oc) =>
          oc
            .columns(['challenge_id', 'component_slug'])
            .doUpdateSet({ relation: values.relation, note: values.note, added_by: values.added_by }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return { before, after };
    },

    /** The components linked to a challenge. */
    listComponentLinks: (challengeId: number) =>
      db
        .selectFrom('challenge_components')
        .selectAll()
        .where('challenge_id', '=', challengeId)
        .orderBy(sql`relation = 'solved-by' desc`)
        .orderBy('component_slug')
        .execute(),

    /** Public challenges linked to a component (for the catalogue's pages). */
    listChallengesByComponent: (componentSlug: string) =>
      db
        .selectFrom('challenge_components')
        .innerJoin('challenges', 'challenges.id', 'challenge_components.challenge_id')
        .select(['challenges.id', 'challenges.title', 'challenges.stage', 'challenge_components.relation'])
        .where('challenge_components.component_slug', '=', componentSlug)
        .where('challenges.visibility', '=', 'public')
        .where('challenges.merged_into_id', 'is', null)
        .orderBy('challenges.title')
        .execute(),

    /**
     * The challenges an organisation raised or shares (public ones, and its own drafts when the viewer is one of its
     * people), newest first, with the total: a small summary for the organisation's page.
     */
    listChallengesOfOrganisation: async (organisationId: number, includeDrafts: boolean, limit: number) => {
      const involved = db
        .selectFrom('challenges')
        .where('challenges.merged_into_id', 'is', null)
        .where((eb) =>
          eb.or([
            eb('challenges.owner_organisation_id', '=', organisationId),
            eb.exists(
              eb
                .selectFrom('challenge_sharers')
                .select('challenge_sharers.id')
                .whereRef('challenge_sharers.challenge_id', '=', 'challenges.id')
                .where('challenge_sharers.organisation_id', '=', organisationId)
                .where('challenge_sharers.left_at', 'is', null),
            ),
          ]),
        )
        .$if(!includeDrafts, (query) => query.where('challenges.visibility', '=', 'public'));
      const [rows, total] = await Promise.all([
        involved
          .select(['challenges.id', 'challenges.title', 'challenges.stage', 'challenges.owner_organisation_id', 'challenges.visibility'])
          .orderBy('challenges.created_at', 'desc')
          .orderBy('challenges.id', 'desc')
          .limit(limit)
          .execute(),
        involved.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: total.total };
    },

    /** Records a collaboration proposal. */
    insertCollaboration: (values: {
      challenge_id: number;
      lead_organisation_id: number;
      partner_organisation_ids: number[];
      approach: 'build-together' | 'buy-together' | 'reuse-component';
      component_slug: string | null;
      summary: string;
      created_by: number | null;
    }) => db.insertInto('challenge_collaborations').values(values).returningAll().executeTakeFirstOrThrow(),

    /** A challenge's collaboration proposal, if it has one. */
    findCollaboration: (challengeId: number) =>
      db.selectFrom('challenge_collaborations').selectAll().where('challenge_id', '=', challengeId).executeTakeFirst(),

    /** Open, public challenges not updated since the cut-off whose owner has not been reminded since the last update. */
    listChallengesNeedingReminder: (cutoff: Date) =>
      db
        .selectFrom('challenges')
        .select(['id', 'title', 'owner_organisation_id', 'contact_email', 'contact_name', 'updated_at', 'reminded_at'])
        .where('visibility', '=', 'public')
        .where('merged_into_id', 'is', null)
        .where('stage', 'not in', CLOSED_STAGES)
        .where('updated_at', '<', cutoff)
        .where((eb) => eb.or([eb('reminded_at', 'is', null), eb('reminded_at', '<', eb.ref('updated_at'))]))
        .orderBy('id')
        .execute(),

    /** One organisation's id, name, code, kind and end date. */
    findOrganisationById: (id: number) =>
      db
        .selectFrom('organisation_directory')
        .select(['id', 'name', 'kind', 'end_date', sql<string>`coalesce(gss_code, slug)`.as('code')])
        .where('id', '=', id)
        .executeTakeFirst(),

    /** Organisations by id (partners of a collaboration). */
    listOrganisationsByIds: (ids: readonly number[]) =>
      ids.length === 0
        ? Promise.resolve([])
        : db
            .selectFrom('organisation_directory')
            .select(['id', 'name', sql<string>`coalesce(gss_code, slug)`.as('code')])
            .where('id', 'in', ids)
            .orderBy('name')
            .execute(),

    /** Regions and council types of the councils that share any public challenge: the values the filters offer. */
    async listFacetValues(): Promise<{ regions: string[]; councilTypes: { code: string; name: string }[] }> {
      const sharing = db
        .selectFrom('challenge_sharers')
        .innerJoin('organisation_directory', 'organisation_directory.id', 'challenge_sharers.organisation_id')
        .where('challenge_sharers.left_at', 'is', null);
      const [regions, types] = await Promise.all([
        sharing
          .select('organisation_directory.region')
          .distinct()
          .where('organisation_directory.region', 'is not', null)
          .orderBy('organisation_directory.region')
          .execute(),
        sharing
          .select(['organisation_directory.council_type', 'organisation_directory.council_type_name'])
          .distinct()
          .where('organisation_directory.council_type', 'is not', null)
          .orderBy('organisation_directory.council_type_name')
          .execute(),
      ]);
      return {
        regions: regions.flatMap((row) => (row.region ? [row.region] : [])),
        councilTypes: types.flatMap((row) =>
          row.council_type && row.council_type_name ? [{ code: row.council_type, name: row.council_type_name }] : [],
        ),
      };
    },
  };
}

export type ChallengesRepository = ReturnType<typeof createChallengesRepository>;

/** Runs work in one transaction: the repository and the raw handle given to it are bound to that transaction. */
export type ChallengesTransaction = <T>(work: (repository: ChallengesRepository, trx: Kysely<ChallengeTables>) => Promise<T>) => Promise<T>;

/** The transaction runner for a database. */
export function createChallengesTransaction(db: Kysely<ChallengeTables>): ChallengesTransaction {
  return (work) => db.transaction().execute((trx) => work(createChallengesRepository(trx), trx));
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
