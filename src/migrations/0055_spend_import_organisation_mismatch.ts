import { type Kysely, sql } from 'kysely';

/** A web import whose person confirmed the file is the organisation's own although it names another body. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table spend_import_jobs add column organisation_mismatch text check (organisation_mismatch in ('accept'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table spend_import_jobs drop column organisation_mismatch`.execute(db);
}
