import { type Kysely, sql } from 'kysely';

/**
 * The two name indexes of published suppliers (0175) take new entries into their pending lists (fastupdate),
 * and an import moves the list into the index in bulk once it has published its suppliers (publishStagedFile).
 *
 * Publishing a council's first file makes thousands of suppliers everyone's at once: clearing staged_file_id puts
 * every one of them into both indexes. Entry by entry (fastupdate off), 20,000 suppliers took 5.5 s, three fifths of
 * it in the word-pieces index; through the pending list, 1.5 s (measured on PostgreSQL 15 with 20,000 generated
 * names). A search reads the whole pending list, so the import empties it before it commits.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter index suppliers_published_name_grams_idx set (fastupdate = on)`.execute(db);
  await sql`alter index suppliers_published_name_trgm_idx set (fastupdate = on)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter index suppliers_published_name_trgm_idx set (fastupdate = off)`.execute(db);
  await sql`alter index suppliers_published_name_grams_idx set (fastupdate = off)`.execute(db);
}
