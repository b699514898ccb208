import { type Kysely, sql } from 'kysely';

/**
 * Read models that other modules may query instead of joining the owners' tables: the organisations module's
 * directory (names, codes, kind, region and tier of every organisation) and the identity module's directory of
 * people (a name and an organisation, nothing private). The owners can change their tables behind them freely.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create view organisation_directory as
      select id, kind, slug, gss_code, coalesce(gss_code, slug) as code, name, official_name, council_type,
             council_type_name, nation, region, start_date, end_date
      from organisations
  `.execute(db);
  await sql`
    create view person_directory as
      select id, name, organisation_id, status from users
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop view person_directory`.execute(db);
  await sql`drop view organisation_directory`.execute(db);
}
