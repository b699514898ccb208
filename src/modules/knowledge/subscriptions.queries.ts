import type { Kysely } from 'kysely';
import type { DigestFrequency, KnowledgeTables } from './knowledge.tables.js';

/** The queries on subscriptions: digests and the changes they send. Over 80 lines as a list of queries, each its own short function. */
export function createSubscriptionsQueries(db: Kysely<KnowledgeTables>) {
  return {
    async findDigest(userId: number, frequency: DigestFrequency) {
      return db
        .selectFrom('knowledge_digests')
        .selectAll()
        .where('user_id', '=', userId)
        .where('frequency', '=', frequency)
        .executeTakeFirst();
    },

    async insertDigest(values: { user_id: number; frequency: DigestFrequency; unsubscribe_token: string; last_change_id: number }) {
      return db.insertInto('knowledge_digests').values(values).returningAll().executeTakeFirstOrThrow();
    },

    async addSubscription(digestId: number, topic: string): Promise<void> {
      await db
        .insertInto('knowledge_subscriptions')
        .values({ digest_id: digestId, topic })
        .onConflict((conflict) => conflict.columns(['digest_id', 'topic']).doNothing())
        .execute();
    },

    async listSubscriptionsOfUser(userId: number) {
      return db
        .selectFrom('knowledge_subscriptions')
        .innerJoin('knowledge_digests', 'knowledge_digests.id', 'knowledge_subscriptions.digest_id')
        .select([
          'knowledge_subscriptions.id',
          'knowledge_subscriptions.topic',
          'knowledge_digests.frequency',
          'knowledge_subscriptions.created_at',
        ])
        .where('knowledge_digests.user_id', '=', userId)
        .orderBy('knowledge_subscriptions.topic')
        .execute();
    },

    async deleteSubscription(userId: number, subscriptionId: number): Promise<boolean> {
      const result = await db
        .deleteFrom('knowledge_subscriptions')
        .where('id', '=', subscriptionId)
        .where('digest_id', 'in', db.selectFrom('knowledge_digests').select('id').where('user_id', '=', userId))
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async findDigestByToken(token: string) {
      return db.selectFrom('knowledge_digests').selectAll().where('unsubscribe_token', '=', token).executeTakeFirst();
    },

    /** Ends a digest and every subscription in it (one-click unsubscribe). */
    async deleteDigest(id: number): Promise<void> {
      await db.deleteFrom('knowledge_digests').where('id', '=', id).execute();
    },

    /** Digests of a frequency. */
    async listDigests(frequency: DigestFrequency) {
      return db.selectFrom('knowledge_digests').selectAll().where('frequency', '=', frequency).orderBy('id').execute();
    },

    async listTopicsOfDigest(digestId: number): Promise<string[]> {
      const rows = await db
        .selectFrom('knowledge_subscriptions')
        .select('topic')
        .where('digest_id', '=', digestId)
        .orderBy('topic')
        .execute();
      return rows.map((row) => row.topic);
    },

    /** Moves a digest's cursor from one change to another; false when someone else moved it first (that batch is theirs). */
    async advanceDigest(id: number, fromChangeId: number, toChangeId: number, at: Date): Promise<boolean> {
      const result = await db
        .updateTable('knowledge_digests')
        .set({ last_change_id: toChangeId, last_sent_at: at })
        .where('id', '=', id)
        .where('last_change_id', '=', fromChangeId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
