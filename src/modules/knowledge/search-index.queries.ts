import { type Kysely, sql } from 'kysely';
import type { KnowledgeTables } from './knowledge.tables.js';
import type { IndexRow } from './search.repository.js';

/** The search index's writes: documents upserted and removed, and which types have been indexed in full and up to when. Over 80 lines as a list of queries, each its own short function. */
export function createSearchIndexQueries(db: Kysely<KnowledgeTables>) {
  return {
    /** Inserts or updates documents; returns those that were new or whose content changed. */
    async upsertDocuments(rows: readonly IndexRow[]): Promise<{ type: string; key: string }[]> {
      if (rows.length === 0) return [];
      const result = await db
        .insertInto('search_documents')
        .values(
          rows.map((row) => ({
            type: row.type,
            key: row.key,
            title: row.title,
            names: row.names,
            body: row.body,
            url: row.url,
            service_area: row.serviceArea,
            region: row.region,
            council_type: row.councilType,
            evidence_level: row.evidenceLevel,
            visibility: row.visibility,
            owner_organisation_id: row.ownerOrganisationId,
            topics: row.topics,
            content_hash: row.contentHash,
            updated_at: row.updatedAt,
          })),
        )
        .onConflict((conflict) =>
          conflict
            .columns(['type', 'key'])
            .doUpdateSet((eb) => ({
              title: eb.ref('excluded.title'),
              names: eb.ref('excluded.names'),
              body: eb.ref('excluded.body'),
              url: eb.ref('excluded.url'),
              service_area: eb.ref('excluded.service_area'),
              region: eb.ref('excluded.region'),
              council_type: eb.ref('excluded.council_type'),
              evidence_level: eb.ref('excluded.evidence_level'),
              visibility: eb.ref('excluded.visibility'),
              owner_organisation_id: eb.ref('excluded.owner_organisation_id'),
              topics: eb.ref('excluded.topics'),
              content_hash: eb.ref('excluded.content_hash'),
              updated_at: eb.ref('excluded.updated_at'),
              indexed_at: sql<Date>`now()`,
            }))
            .where('search_documents.content_hash', '<>', (eb) => eb.ref('excluded.content_hash')),
        )
        .returning(['type', 'key'])
        .execute();
      return result;
    },

    /** Removes the documents of a type whose keys are not in the list (records that no longer exist). */
    async deleteDocumentsNotIn(type: string, keys: readonly string[]): Promise<number> {
      const result = await db
        .deleteFrom('search_documents')
        .where('type', '=', type)
        .where(sql<boolean>`not (key = any(${sql.val(keys)}::text[]))`)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /** Removes one document. */
    async deleteDocument(type: string, key: string): Promise<void> {
      await db.deleteFrom('search_documents').where('type', '=', type).where('key', '=', key).execute();
    },

    /** The newest change instant indexed for a type: the next incremental refresh asks its source from there. */
    async latestUpdateOfType(type: string): Promise<Date | null> {
      const row = await db
        .selectFrom('search_documents')
        .select((eb) => eb.fn.max('updated_at').as('latest'))
        .where('type', '=', type)
        .executeTakeFirst();
      return row?.latest ?? null;
    },

    /** Whether a type has been indexed in full once (changes before that are not news). */
    async wasBuilt(type: string): Promise<boolean> {
      return (await db.selectFrom('search_index_state').select('type').where('type', '=', type).executeTakeFirst()) !== undefined;
    },

    /** Records that a type has been indexed in full. */
    async markBuilt(type: string, at: Date): Promise<void> {
      await db
        .insertInto('search_index_state')
        .values({ type, built_at: at })
        .onConflict((conflict) => conflict.column('type').doUpdateSet({ built_at: at }))
        .execute();
    },
  };
}
