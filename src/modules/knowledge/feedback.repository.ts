import type { Insertable, Kysely, Selectable } from 'kysely';
import type { KnowledgeTables, ServiceFeedbackTable } from './knowledge.tables.js';

export type FeedbackRow = Selectable<ServiceFeedbackTable>;

/** The SQL of feedback about the service: one named query per purpose. */
export function createFeedbackRepository(db: Kysely<KnowledgeTables>) {
  return {
    /** Keeps one piece of feedback. */
    insertFeedback: (values: Insertable<ServiceFeedbackTable>) =>
      db.insertInto('service_feedback').values(values).returning('id').executeTakeFirstOrThrow(),

    /** A page of feedback, newest first. */
    listFeedback: (limit: number, offset: number): Promise<FeedbackRow[]> =>
      db
        .selectFrom('service_feedback')
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .offset(offset)
        .execute(),

    /** How much feedback there is. */
    countFeedback: async (): Promise<number> => {
      const row = await db
        .selectFrom('service_feedback')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      return row.count;
    },
  };
}

export type FeedbackRepository = ReturnType<typeof createFeedbackRepository>;
