import { type Kysely, sql } from 'kysely';

/**
 * Misspellings are looked up in the indexed words by a GiST trigram index instead of a GIN one. A short word shares
 * its common trigrams ("ing", "ng ") with thousands of words, and GIN hands every one of them to the likeness check
 * (tens of milliseconds over twenty thousand words); GiST keeps signatures of whole words and reaches the few alike.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index search_words_trgm_gist_idx on search_words using gist (word gist_trgm_ops)`.execute(db);
  await sql`drop index search_words_trgm_idx`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create index search_words_trgm_idx on search_words using gin (word gin_trgm_ops)`.execute(db);
  await sql`drop index search_words_trgm_gist_idx`.execute(db);
}
