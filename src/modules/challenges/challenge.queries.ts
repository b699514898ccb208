import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { ChallengeTables, Stage } from './challenges.tables.js';
import type { ChallengeChanges, ChallengeFilter, ChallengeInsert, ChallengeListRow, ChallengeSort, Page } from './challenges.repository.js';

const CLOSED_STAGES: readonly Stage[] = ['solved', 'closed'];

/** The queries on challenges themselves: writing them, lists, filters, similar ones, facts and facets. Over 80 lines as a list of queries, each its own short function. */
export function createChallengeQueries(db: Kysely<ChallengeTables>) {
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

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
