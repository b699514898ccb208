import { type Kysely, type Selectable, sql } from 'kysely';
import type { ReturnCounts } from './workforce.categories.js';
import type {
  MentoringCheckInsTable,
  MentoringPairingsTable,
  MentoringParticipantsTable,
  OpportunityKind,
  StoredContribution,
  WorkforceOpportunitiesTable,
  WorkforcePublicationsTable,
  WorkforceTables,
  WorkPlace,
} from './workforce.tables.js';

export type OpportunityRow = Selectable<WorkforceOpportunitiesTable>;
export type PublicationRow = Selectable<WorkforcePublicationsTable>;
export type ParticipantRow = Selectable<MentoringParticipantsTable>;
export type PairingRow = Selectable<MentoringPairingsTable>;
export type CheckInRow = Selectable<MentoringCheckInsTable>;

export interface OpportunityFilter {
  kind?: OpportunityKind | undefined;
  remote?: WorkPlace | undefined;
  organisationIds?: readonly number[] | undefined;
  /** Only those still open on this date (closing on or after it). */
  openOn?: string | undefined;
  q?: string | undefined;
}

/** Every query the workforce module makes. Bound to a database or to a transaction. */
export function createWorkforceRepository(db: Kysely<WorkforceTables>) {
  return {
    // ---- Workforce leads ----
    isWorkforceLead: async (organisationId: number, userId: number) =>
      (await db
        .selectFrom('workforce_leads')
        .select('user_id')
        .where('organisation_id', '=', organisationId)
        .where('user_id', '=', userId)
        .executeTakeFirst()) !== undefined,

    listLeadUserIds: async (organisationId: number) =>
      (await db.selectFrom('workforce_leads').select('user_id').where('organisation_id', '=', organisationId).execute()).map(
        (row) => row.user_id,
      ),

    addLead: (organisationId: number, userId: number, designatedBy: number | null) =>
      db
        .insertInto('workforce_leads')
        .values({ organisation_id: organisationId, user_id: userId, designated_by: designatedBy })
        .onConflict((conflict) => conflict.columns(['organisation_id', 'user_id']).doNothing())
        .execute(),

    removeLead: (organisationId: number, userId: number) =>
      db.deleteFrom('workforce_leads').where('organisation_id', '=', organisationId).where('user_id', '=', userId).execute(),

    // ---- Returns ----
    findReturn: (organisationId: number, year: number) =>
      db
        .selectFrom('workforce_returns')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('year', '=', year)
        .executeTakeFirst(),

    listReturnVersions: (returnId: number) =>
      db.selectFrom('workforce_return_versions').selectAll().where('return_id', '=', returnId).orderBy('version', 'desc').execute(),

    listOrganisationReturns: (organisationId: number) =>
      db.selectFrom('workforce_returns').selectAll().where('organisation_id', '=', organisationId).orderBy('year', 'desc').execute(),

    insertReturn: async (values: { organisation_id: number; year: number; synthetic: boolean }) =>
      (
        await db
          .insertInto('workforce_returns')
          .values({ ...values, current_version: 1 })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,

    setCurrentVersion: (returnId: number, version: number, updatedAt: Date) =>
      db.updateTable('workforce_returns').set({ current_version: version, updated_at: updatedAt }).where('id', '=', returnId).execute(),

    insertReturnVersion: (values: {
      return_id: number;
      version: number;
      counts: ReturnCounts;
      source: 'form' | 'csv' | 'api' | 'synthetic';
      correction_reason: string;
      submitted_by: number | null;
    }) =>
      db
        .insertInto('workforce_return_versions')
        .values({ ...values, counts: JSON.stringify(values.counts) })
        .execute(),

    /** The current version of every return of a year: what a publication is made from. */
    listCurrentReturns: (year: number) =>
      db
        .selectFrom('workforce_returns as r')
        .innerJoin('workforce_return_versions as v', (join) =>
          join.onRef('v.return_id', '=', 'r.id').onRef('v.version', '=', 'r.current_version'),
        )
        .select(['r.organisation_id', 'r.current_version', 'r.synthetic', 'v.id as version_id', 'v.counts'])
        .where('r.year', '=', year)
        .orderBy('r.organisation_id')
        .execute(),

    listReturnYears: async () =>
      (await db.selectFrom('workforce_returns').select('year').distinct().orderBy('year', 'desc').execute()).map((row) => row.year),

    countReturns: async (year: number) =>
      (
        await db
          .selectFrom('workforce_returns')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('year', '=', year)
          .executeTakeFirstOrThrow()
      ).count,

    // ---- Publications ----
    insertPublication: async (values: {
      year: number;
      contributions: StoredContribution[];
      figures: Record<string, Record<string, number | null>>;
      notes: Record<string, { primary: number; secondary: number }>;
    }) =>
      (
        await db
          .insertInto('workforce_publications')
          .values({
            year: values.year,
            contributions: JSON.stringify(values.contributions),
            figures: JSON.stringify(values.figures),
            notes: JSON.stringify(values.notes),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,

    listPublications: (year: number) =>
      db.selectFrom('workforce_publications').selectAll().where('year', '=', year).orderBy('id').execute(),

    findLatestPublication: (year: number) =>
      db.selectFrom('workforce_publications').selectAll().where('year', '=', year).orderBy('id', 'desc').limit(1).executeTakeFirst(),

    listPublishedYears: async () =>
      (await db.selectFrom('workforce_publications').select('year').distinct().orderBy('year').execute()).map((row) => row.year),

    // ---- Opportunities ----
    listOpportunities: async (filter: OpportunityFilter, page: { offset: number; limit: number }, sort: 'closing' | 'newest') => {
      let query = db.selectFrom('workforce_opportunities');
      if (filter.kind) query = query.where('kind', '=', filter.kind);
      if (filter.remote) query = query.where('remote', '=', filter.remote);
      if (filter.openOn) query = query.where('closing_date', '>=', filter.openOn);
      if (filter.organisationIds)
        query = query.where('organisation_id', 'in', filter.organisationIds.length > 0 ? [...filter.organisationIds] : [-1]);
      if (filter.q)
        query = query.where(sql<boolean>`(role || ' ' || summary || ' ' || place) ilike ${`%${filter.q.replace(/[%_\\]/g, '\\$&')}%`}`);
      const [{ total }, rows] = await Promise.all([
        query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
        query
          .selectAll()
          .orderBy(sort === 'closing' ? 'closing_date' : 'created_at', sort === 'closing' ? 'asc' : 'desc')
          .orderBy('id', 'desc')
          .offset(page.offset)
          .limit(page.limit)
          .execute(),
      ]);
      return { total, rows };
    },

    findOpportunity: (id: number) => db.selectFrom('workforce_opportunities').selectAll().where('id', '=', id).executeTakeFirst(),

    insertOpportunity: async (values: Omit<OpportunityRow, 'id' | 'created_at'>) =>
      (await db.insertInto('workforce_opportunities').values(values).returning('id').executeTakeFirstOrThrow()).id,

    countOpportunities: async () =>
      (
        await db
          .selectFrom('workforce_opportunities')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .executeTakeFirstOrThrow()
      ).count,

    // ---- Mentoring ----
    insertRound: async (name: string) =>
      (await db.insertInto('mentoring_rounds').values({ name, status: 'open' }).returning('id').executeTakeFirstOrThrow()).id,

    findRound: (id: number) => db.selectFrom('mentoring_rounds').selectAll().where('id', '=', id).executeTakeFirst(),

    /** Pairings that ended on or before an instant after running at least a number of days (completed), and those still active. */
    countPairingOutcomes: async (minimumDays: number) => {
      const row = await db
        .selectFrom('mentoring_pairings')
        .select([
          sql<number>`count(*) filter (where status = 'ended' and ended_at >= started_at + make_interval(days => ${minimumDays}))::int`.as(
            'completed',
          ),
          sql<number>`count(*) filter (where status = 'active')::int`.as('active'),
        ])
        .executeTakeFirstOrThrow();
      return { completed: row.completed, active: row.active };
    },

    listRounds: () => db.selectFrom('mentoring_rounds').selectAll().orderBy('id', 'desc').execute(),

    findOpenRound: () =>
      db.selectFrom('mentoring_rounds').selectAll().where('status', '=', 'open').orderBy('id', 'desc').limit(1).executeTakeFirst(),

    markRoundMatched: (id: number, at: Date) =>
      db.updateTable('mentoring_rounds').set({ status: 'matched', matched_at: at }).where('id', '=', id).execute(),

    insertParticipant: async (values: Omit<ParticipantRow, 'id' | 'created_at'>) =>
      (await db.insertInto('mentoring_participants').values(values).returning('id').executeTakeFirstOrThrow()).id,

    setParticipantChoices: (id: number, choices: number[]) =>
      db.updateTable('mentoring_participants').set({ choices }).where('id', '=', id).execute(),

    listParticipants: (roundId: number) =>
      db.selectFrom('mentoring_participants').selectAll().where('round_id', '=', roundId).orderBy('id').execute(),

    findParticipant: (id: number) => db.selectFrom('mentoring_participants').selectAll().where('id', '=', id).executeTakeFirst(),

    listParticipationsOfUser: (userId: number) =>
      db.selectFrom('mentoring_participants').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').execute(),

    insertPairings: async (rows: { round_id: number; mentor_id: number; mentee_id: number; explanation: string }[]) => {
      for (let start = 0; start < rows.length; start += 500)
        await db
          .insertInto('mentoring_pairings')
          .values(rows.slice(start, start + 500).map((row) => ({ ...row, status: 'active' as const, end_reason: '' })))
          .execute();
    },

    listPairings: (roundId: number) =>
      db.selectFrom('mentoring_pairings').selectAll().where('round_id', '=', roundId).orderBy('id').execute(),

    listPairingsOfParticipants: (participantIds: readonly number[]) =>
      participantIds.length === 0
        ? Promise.resolve([] as PairingRow[])
        : db
            .selectFrom('mentoring_pairings')
            .selectAll()
            .where((eb) => eb.or([eb('mentor_id', 'in', [...participantIds]), eb('mentee_id', 'in', [...participantIds])]))
            .orderBy('id', 'desc')
            .execute(),

    findPairing: (id: number) => db.selectFrom('mentoring_pairings').selectAll().where('id', '=', id).executeTakeFirst(),

    updatePairing: (
      id: number,
      changes: Partial<Pick<PairingRow, 'status' | 'ended_at' | 'end_reason' | 'first_check_in_sent_at' | 'third_check_in_sent_at'>>,
    ) => db.updateTable('mentoring_pairings').set(changes).where('id', '=', id).execute(),

    /** Active pairings whose one-month or three-month check-in is due and not yet sent. */
    listPairingsDueCheckIn: (oneMonthAgo: Date, threeMonthsAgo: Date) =>
      db
        .selectFrom('mentoring_pairings')
        .selectAll()
        .where('status', '=', 'active')
        .where((eb) =>
          eb.or([
            eb.and([eb('first_check_in_sent_at', 'is', null), eb('started_at', '<=', oneMonthAgo)]),
            eb.and([eb('third_check_in_sent_at', 'is', null), eb('started_at', '<=', threeMonthsAgo)]),
          ]),
        )
        .orderBy('id')
        .execute(),

    insertCheckIn: (values: Omit<CheckInRow, 'id' | 'created_at'>) => db.insertInto('mentoring_check_ins').values(values).execute(),

    listCheckIns: (pairingId: number) =>
      db.selectFrom('mentoring_check_ins').selectAll().where('pairing_id', '=', pairingId).orderBy('id').execute(),
  };
}

export type WorkforceRepository = ReturnType<typeof createWorkforceRepository>;

/** Runs work in one transaction, with the repository bound to it. */
export type WorkforceTransaction = <T>(work: (repository: WorkforceRepository, trx: Kysely<WorkforceTables>) => Promise<T>) => Promise<T>;

/** The transaction runner for a database. */
export function createWorkforceTransaction(db: Kysely<WorkforceTables>): WorkforceTransaction {
  return (work) => db.transaction().execute((trx) => work(createWorkforceRepository(trx), trx));
}
