import { type Kysely, sql } from 'kysely';

/**
 * A web upload that corrects an imported file: once the upload is imported, the file it names is withdrawn as
 * replaced by it (as `commons replace spend` does).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table spend_import_jobs add column replaces_file_id integer references spend_files (id) on delete set null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table spend_import_jobs drop column replaces_file_id`.execute(db);
}
