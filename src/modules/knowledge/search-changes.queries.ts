import { type Kysely, sql } from 'kysely';
import type { KnowledgeTables } from './knowledge.tables.js';

/** The change log of the search index, which digests, feeds and webhooks read. Over 80 lines as a list of queries, each its own short function. */
export function createSearchChangesQueries(db: Kysely<KnowledgeTables>) {
  return {
    /** Public documents by keys, to log their changes. */
    async listPublicDocuments(type: string, keys: readonly string[]) {
      if (keys.length === 0) return [];
      return db
        .selectFrom('search_documents')
        .select(['type', 'key', 'title', 'url', 'topics', 'body'])
        .where('type', '=', type)
        .where('key', 'in', keys)
        .where('visibility', '=', 'public')
        .execute();
    },

    /** Which of these documents have had a change logged before (the rest are news to the public: "added"). */
    async listKeysWithChanges(type: string, keys: readonly string[]): Promise<Set<string>> {
      if (keys.length === 0) return new Set();
      const rows = await db
        .selectFrom('search_changes')
        .select('document_key')
        .distinct()
        .where('document_type', '=', type)
        .where('document_key', 'in', keys)
        .execute();
      return new Set(rows.map((row) => row.document_key));
    },

    /** Appends changes to the log; returns their ids. */
    async insertChanges(
      changes: readonly {
        type: string;
        key: string;
        change: 'added' | 'updated';
        title: string;
        url: string;
        summary: string;
        topics: string[];
      }[],
    ) {
      if (changes.length === 0) return [];
      return db
        .insertInto('search_changes')
        .values(
          changes.map((change) => ({
            document_type: change.type,
            document_key: change.key,
            change: change.change,
            title: change.title,
            url: change.url,
            summary: change.summary,
            topics: change.topics,
          })),
        )
        .returning(['id', 'document_type', 'document_key', 'change', 'title', 'url', 'summary', 'topics', 'occurred_at'])
        .execute();
    },

    /** Changes after an id that concern any of the topics, oldest first. */
    async listChangesForTopics(afterId: number, upToId: number, topics: readonly string[]) {
      if (topics.length === 0) return [];
      return db
        .selectFrom('search_changes')
        .selectAll()
        .where('id', '>', afterId)
        .where('id', '<=', upToId)
        .where(sql<boolean>`topics && ${sql.val(topics)}::text[]`)
        .orderBy('id')
        .execute();
    },

    /** The newest changes about one topic, newest first (Atom feeds). */
    async listRecentChangesForTopic(topic: string, limit: number) {
      return db
        .selectFrom('search_changes')
        .selectAll()
        .where(sql<boolean>`topics @> ${sql.val([topic])}::text[]`)
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
    },

    /** The id of the newest change (0 when none). */
    async latestChangeId(): Promise<number> {
      const row = await db
        .selectFrom('search_changes')
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirst();
      return row?.id ?? 0;
    },
  };
}
