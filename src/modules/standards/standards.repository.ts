import { type Insertable, type Kysely, type Selectable, sql, type Updateable } from 'kysely';
import type {
  Basis,
  Outcome,
  Reviewer,
  StandardAssessmentActionsTable,
  StandardAssessmentRatingsTable,
  StandardAssessmentsTable,
  StandardPointsTable,
  StandardsTable,
  StandardsTables,
  StandardStatus,
  StandardVersionsTable,
  VersionStatus,
} from './standards.tables.js';

export type StandardRow = Selectable<StandardsTable>;
export type VersionRow = Selectable<StandardVersionsTable>;
export type PointRow = Selectable<StandardPointsTable>;
export type AssessmentRow = Selectable<StandardAssessmentsTable>;
export type RatingRow = Selectable<StandardAssessmentRatingsTable>;
export type ActionRow = Selectable<StandardAssessmentActionsTable>;
export type PointInsert = Omit<Insertable<StandardPointsTable>, 'version_id'>;

export interface AssessmentSummaryRow extends AssessmentRow {
  organisation_name: string;
  organisation_code: string;
  peer_organisation_name: string | null;
  standard_slug: string;
  standard_title: string;
  version_number: number;
  owner_name: string | null;
  signed_off_by_name: string | null;
}

export interface DecisionOnDate {
  organisation_id: number;
  outcome: Outcome;
  basis: Basis;
  decided_on: string;
}

/** Every query the standards module makes. Bound to a database or to a transaction. Over 80 lines as a list of queries, each its own short function. */
export function createStandardsRepository(db: Kysely<StandardsTables>) {
  const assessmentSummary = () =>
    db
      .selectFrom('standard_assessments')
      .innerJoin('organisation_directory', 'organisation_directory.id', 'standard_assessments.organisation_id')
      .leftJoin('organisation_directory as peer', 'peer.id', 'standard_assessments.peer_organisation_id')
      .innerJoin('standards', 'standards.id', 'standard_assessments.standard_id')
      .innerJoin('standard_versions', 'standard_versions.id', 'standard_assessments.version_id')
      .leftJoin('person_directory as owner', 'owner.id', 'standard_assessments.owner_user_id')
      .leftJoin('person_directory as signer', 'signer.id', 'standard_assessments.signed_off_by')
      .selectAll('standard_assessments')
      .select([
        'owner.name as owner_name',
        'signer.name as signed_off_by_name',
        'organisation_directory.name as organisation_name',
        sql<string>`organisation_directory.code`.as('organisation_code'),
        'peer.name as peer_organisation_name',
        'standards.slug as standard_slug',
        'standards.title as standard_title',
        'standard_versions.version_number',
      ]);

  return {
    /** Adds a standard. */
    insertStandard: (values: Insertable<StandardsTable>) =>
      db.insertInto('standards').values(values).returningAll().executeTakeFirstOrThrow(),

    /** A standard by its slug. */
    findStandardBySlug: (slug: string) => db.selectFrom('standards').selectAll().where('slug', '=', slug).executeTakeFirst(),

    /** A standard by id. */
    findStandardById: (id: number) => db.selectFrom('standards').selectAll().where('id', '=', id).executeTakeFirst(),

    /** Every standard that is not a draft (or every one, for owners), by title, with its owner's name. */
    listStandards: (includeDrafts: boolean) =>
      db
        .selectFrom('standards')
        .innerJoin('organisation_directory', 'organisation_directory.id', 'standards.owner_organisation_id')
        .selectAll('standards')
        .select('organisation_directory.name as owner_name')
        .$if(!includeDrafts, (query) => query.where('standards.status', '<>', 'draft'))
        .orderBy('standards.title')
        .execute(),

    /** Changes a standard's status. */
    updateStandardStatus: (id: number, status: StandardStatus) =>
      db.updateTable('standards').set({ status }).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),

    /** Adds a version of a standard. */
    insertVersion: (values: Insertable<StandardVersionsTable>) =>
      db.insertInto('standard_versions').values(values).returningAll().executeTakeFirstOrThrow(),

    /** A standard's versions, newest first. */
    listVersions: (standardId: number) =>
      db.selectFrom('standard_versions').selectAll().where('standard_id', '=', standardId).orderBy('version_number', 'desc').execute(),

    /** Every version of every standard (for the list of standards). */
    listAllVersions: () => db.selectFrom('standard_versions').selectAll().orderBy('version_number', 'desc').execute(),

    /** One version by id. */
    findVersionById: (id: number) => db.selectFrom('standard_versions').selectAll().where('id', '=', id).executeTakeFirst(),

    /** Changes a version's status (the database refuses once it is published). */
    updateVersion: (id: number, values: { status: VersionStatus; published_on?: string | null; changes_summary?: string }) =>
      db.updateTable('standard_versions').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),

    /** Adds the points of a version. */
    insertPoints: async (versionId: number, points: readonly PointInsert[]) => {
      if (points.length === 0) return;
      await db
        .insertInto('standard_points')
        .values(points.map((point) => ({ ...point, version_id: versionId })))
        .execute();
    },

    /** The points of versions, in order. */
    listPoints: async (versionIds: readonly number[]) =>
      versionIds.length === 0
        ? []
        : db
            .selectFrom('standard_points')
            .selectAll()
            .where('version_id', 'in', versionIds)
            .orderBy('version_id')
            .orderBy('point_number')
            .execute(),

    /** One point of a version by number. */
    findPoint: (versionId: number, pointNumber: number) =>
      db
        .selectFrom('standard_points')
        .selectAll()
        .where('version_id', '=', versionId)
        .where('point_number', '=', pointNumber)
        .executeTakeFirst(),

    /** Changes the wording of a point (the database refuses when its version is published). */
    updatePoint: (id: number, values: Updateable<StandardPointsTable>) =>
      db.updateTable('standard_points').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),

    /** Adds a comment on a point. */
    insertComment: (values: { point_id: number; author_user_id: number; author_organisation_id: number | null; body: string }) =>
      db.insertInto('standard_point_comments').values(values).returningAll().executeTakeFirstOrThrow(),

    /** One comment with its point's version and standard. */
    findComment: (id: number) =>
      db
        .selectFrom('standard_point_comments')
        .innerJoin('standard_points', 'standard_points.id', 'standard_point_comments.point_id')
        .innerJoin('standard_versions', 'standard_versions.id', 'standard_points.version_id')
        .selectAll('standard_point_comments')
        .select(['standard_versions.standard_id', 'standard_versions.version_number'])
        .where('standard_point_comments.id', '=', id)
        .executeTakeFirst(),

    /** Records the owner's answer to a comment. */
    answerComment: (id: number, values: { answer: string; answered_by: number; answered_at: Date }) =>
      db.updateTable('standard_point_comments').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),

    /** The comments on a version's points, oldest first, with who wrote them. */
    listCommentsForVersion: (versionId: number) =>
      db
        .selectFrom('standard_point_comments')
        .innerJoin('standard_points', 'standard_points.id', 'standard_point_comments.point_id')
        .innerJoin('person_directory', 'person_directory.id', 'standard_point_comments.author_user_id')
        .leftJoin('organisation_directory', 'organisation_directory.id', 'standard_point_comments.author_organisation_id')
        .selectAll('standard_point_comments')
        .select([
          'standard_points.point_number',
          'person_directory.name as author_name',
          'organisation_directory.name as author_organisation_name',
        ])
        .where('standard_points.version_id', '=', versionId)
        .orderBy('standard_point_comments.id')
        .execute(),

    /** Starts an assessment. */
    insertAssessment: (values: Insertable<StandardAssessmentsTable>) =>
      db.insertInto('standard_assessments').values(values).returningAll().executeTakeFirstOrThrow(),

    /** One assessment with the names it shows. */
    findAssessment: (id: number): Promise<AssessmentSummaryRow | undefined> =>
      assessmentSummary().where('standard_assessments.id', '=', id).executeTakeFirst(),

    /** An organisation's own assessments and the peer reviews asked of it, newest first. */
    listAssessmentsForOrganisation: (organisationId: number): Promise<AssessmentSummaryRow[]> =>
      assessmentSummary()
        .where((eb) =>
          eb.or([
            eb('standard_assessments.organisation_id', '=', organisationId),
            eb('standard_assessments.peer_organisation_id', '=', organisationId),
          ]),
        )
        .orderBy('standard_assessments.id', 'desc')
        .execute(),

    /** Assessments waiting for an audit (peer-reviewed, not yet audited), oldest first. */
    listAssessmentsAwaitingAudit: (): Promise<AssessmentSummaryRow[]> =>
      assessmentSummary().where('standard_assessments.stage', '=', 'peer-reviewed').orderBy('standard_assessments.id').execute(),

    /** Assessments waiting for a peer reviewer's decision (peer review asked), oldest first. */
    listAssessmentsAwaitingPeerReview: (): Promise<AssessmentSummaryRow[]> =>
      assessmentSummary().where('standard_assessments.stage', '=', 'peer-review').orderBy('standard_assessments.id').execute(),

    /** Moves an assessment on: stage, outcome, basis, peer reviewer. */
    updateAssessment: (id: number, values: Updateable<StandardAssessmentsTable>) =>
      db.updateTable('standard_assessments').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),

    /** Saves one reviewer's rating of a point (insert or replace). */
    upsertRating: (values: Insertable<StandardAssessmentRatingsTable>) =>
      db
        .insertInto('standard_assessment_ratings')
        .values(values)
        .onConflict((oc) =>
          oc.columns(['assessment_id', 'point_id', 'reviewer']).doUpdateSet((eb) => ({
            rating: eb.ref('excluded.rating'),
            commentary: eb.ref('excluded.commentary'),
            evidence_links: eb.ref('excluded.evidence_links'),
            component_slugs: eb.ref('excluded.component_slugs'),
            rated_by: eb.ref('excluded.rated_by'),
            updated_at: new Date(),
          })),
        )
        .returningAll()
        .executeTakeFirstOrThrow(),

    /** Every rating of an assessment. */
    listRatings: (assessmentId: number, reviewer?: Reviewer) =>
      db
        .selectFrom('standard_assessment_ratings')
        .selectAll()
        .where('assessment_id', '=', assessmentId)
        .$if(reviewer !== undefined, (query) => query.where('reviewer', '=', reviewer ?? 'self'))
        .orderBy('id')
        .execute(),

    /** Adds an action. */
    insertAction: (values: Insertable<StandardAssessmentActionsTable>) =>
      db.insertInto('standard_assessment_actions').values(values).returningAll().executeTakeFirstOrThrow(),

    /** One action. */
    findAction: (id: number) => db.selectFrom('standard_assessment_actions').selectAll().where('id', '=', id).executeTakeFirst(),

    /** An assessment's actions, soonest due first. */
    listActions: (assessmentId: number) =>
      db
        .selectFrom('standard_assessment_actions')
        .selectAll()
        .where('assessment_id', '=', assessmentId)
        .orderBy('due_on')
        .orderBy('id')
        .execute(),

    /** Open actions due before a date: for one organisation, or every organisation. */
    listOverdueActions: (onDate: string, organisationId: number | null) =>
      db
        .selectFrom('standard_assessment_actions')
        .innerJoin('standard_assessments', 'standard_assessments.id', 'standard_assessment_actions.assessment_id')
        .innerJoin('standards', 'standards.id', 'standard_assessments.standard_id')
        .innerJoin('organisation_directory', 'organisation_directory.id', 'standard_assessment_actions.organisation_id')
        .selectAll('standard_assessment_actions')
        .select([
          'standards.title as standard_title',
          'organisation_directory.name as organisation_name',
          'standard_assessments.service_name',
        ])
        .where('standard_assessment_actions.done_on', 'is', null)
        .where('standard_assessment_actions.due_on', '<', onDate)
        .$if(organisationId !== null, (query) => query.where('standard_assessment_actions.organisation_id', '=', organisationId ?? 0))
        .orderBy('standard_assessment_actions.due_on')
        .orderBy('standard_assessment_actions.id')
        .execute(),

    /** Marks an action done, or records that a reminder was sent. */
    updateAction: (id: number, values: { done_on?: string | null; last_reminded_on?: string }) =>
      db.updateTable('standard_assessment_actions').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),

    /** Records an outcome an assessment reached. */
    insertDecision: (values: {
      assessment_id: number;
      standard_id: number;
      organisation_id: number;
      outcome: Outcome;
      basis: Basis;
      decided_on: string;
      decided_by: number | null;
    }) => db.insertInto('standard_assessment_decisions').values(values).returningAll().executeTakeFirstOrThrow(),

    /**
     * Each organisation's most recent decision about a standard on a date, within the window before it
     * (decided after `windowStart`, on or before `onDate`): what measuring counts.
     */
    listLatestDecisions: async (standardId: number, onDate: string, windowStart: string): Promise<DecisionOnDate[]> => {
      const result = await sql<DecisionOnDate>`
        select distinct on (organisation_id) organisation_id, outcome, basis, decided_on
        from standard_assessment_decisions
        where standard_id = ${standardId} and decided_on <= ${onDate}::date and decided_on > ${windowStart}::date
        order by organisation_id, decided_on desc, id desc
      `.execute(db);
      return result.rows;
    },

    /** The earliest decision date for a standard, so the chart starts where the data does. */
    findFirstDecisionDate: async (standardId: number): Promise<string | null> => {
      const row = await db
        .selectFrom('standard_assessment_decisions')
        .select((eb) => eb.fn.min('decided_on').as('first'))
        .where('standard_id', '=', standardId)
        .executeTakeFirst();
      return row?.first ?? null;
    },

    /** How many active people each organisation has on the platform (peer reviewers must have someone to do the work). */
    countActiveMembersByOrganisation: async (): Promise<Map<number, number>> => {
      const rows = await db
        .selectFrom('person_directory')
        .select(['organisation_id', (eb) => eb.fn.countAll<number>().as('count')])
        .where('status', '=', 'active')
        .where('organisation_id', 'is not', null)
        .groupBy('organisation_id')
        .execute();
      return new Map(rows.flatMap((row) => (row.organisation_id === null ? [] : [[row.organisation_id, row.count] as const])));
    },

    /** How many submitted self-assessments of a standard wait for their organisation's sign-off. */
    countAssessmentsAwaitingSignOff: async (standardId: number): Promise<number> => {
      const row = await db
        .selectFrom('standard_assessments')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('standard_id', '=', standardId)
        .where('stage', '=', 'self-assessed')
        .where('signed_off_at', 'is', null)
        .executeTakeFirstOrThrow();
      return row.count;
    },

    /** The active people of an organisation (id and name), who may be named an assessment's owner. */
    listActivePeopleOfOrganisation: (organisationId: number) =>
      db
        .selectFrom('person_directory')
        .select(['id', 'name'])
        .where('organisation_id', '=', organisationId)
        .where('status', '=', 'active')
        .orderBy('name')
        .orderBy('id')
        .execute(),

    /** Declares that a component helps meet a point of a standard (replacing an earlier note). */
    upsertComponentPoint: (values: {
      component_slug: string;
      standard_id: number;
      point_number: number;
      note: string;
      declared_by: number | null;
    }) =>
      db
        .insertInto('standard_component_points')
        .values(values)
        .onConflict((oc) =>
          oc.columns(['component_slug', 'standard_id', 'point_number']).doUpdateSet((eb) => ({ note: eb.ref('excluded.note') })),
        )
        .returningAll()
        .executeTakeFirstOrThrow(),

    /** The components declared against a standard's points. */
    listComponentPoints: (standardId: number) =>
      db
        .selectFrom('standard_component_points')
        .selectAll()
        .where('standard_id', '=', standardId)
        .orderBy('point_number')
        .orderBy('component_slug')
        .execute(),
  };
}

export type StandardsRepository = ReturnType<typeof createStandardsRepository>;

/** Runs work in one transaction: the repository and the raw handle given to it are bound to that transaction. */
export type StandardsTransaction = <T>(work: (repository: StandardsRepository, trx: Kysely<StandardsTables>) => Promise<T>) => Promise<T>;

/** The transaction runner for a database. */
export function createStandardsTransaction(db: Kysely<StandardsTables>): StandardsTransaction {
  return (work) => db.transaction().execute((trx) => work(createStandardsRepository(trx), trx));
}
