import { type Kysely, sql } from 'kysely';

/**
 * Each person's role records who may change it. `role_authority` is `platform` when the role was given by a platform
 * admin (or from the server's command line), so an organisation admin cannot demote or remove that person;
 * `organisation` when an organisation admin gave it. `role_granted_by` is the person who gave it, when known.
 * Roles only a platform admin can give (assessor, supplier, platform admin) start as `platform`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table users
      add column role_authority text not null default 'organisation' check (role_authority in ('organisation', 'platform')),
      add column role_granted_by integer references users (id)
  `.execute(db);
  await sql`update users set role_authority = 'platform' where role in ('assessor', 'supplier', 'platform-admin')`.execute(db);
}
