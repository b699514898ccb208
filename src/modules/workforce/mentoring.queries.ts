import { type Kysely, sql } from 'kysely';
import type { WorkforceTables } from './workforce.tables.js';
import type { CheckInRow, PairingRow, ParticipantRow } from './workforce.repository.js';

/** The queries on mentoring: rounds, participants, pairings and check-ins. Over 80 lines as a list of queries, each its own short function. */
export function createMentoringQueries(db: Kysely<WorkforceTables>) {
  return {
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
