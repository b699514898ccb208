import type { Kysely } from 'kysely';
import type { Role } from '../../platform/actor.js';
import type { UserRow } from './identity.repository.js';
import type { IdentityTables } from './identity.tables.js';

/** The queries on people, the organisations they belong to (read model organisation_directory) and verified email domains. Over 80 lines as a list of queries, each its own short function. */
export function createPeopleQueries(db: Kysely<IdentityTables>) {
  return {
    /** A person by email address (stored in lower case). */
    findUserByEmail: (email: string) => db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst(),

    /** A person by id. */
    findUserById: (id: number) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst(),

    /** Adds a person. */
    insertUser: (values: {
      email: string;
      name: string | null;
      organisation_id: number | null;
      role: Role;
      status: UserRow['status'];
      role_authority?: UserRow['role_authority'];
    }) => db.insertInto('users').values(values).returningAll().executeTakeFirstOrThrow(),

    /** Changes a person's organisation, role, status, name or last sign-in. */
    updateUser: (
      id: number,
      values: Partial<
        Pick<UserRow, 'name' | 'organisation_id' | 'role' | 'status' | 'last_signed_in_at' | 'role_authority' | 'role_granted_by'>
      >,
    ) => db.updateTable('users').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),

    /**
     * The active platform admins' ids, locked until the transaction ends, so two demotions at once cannot both see
     * another admin left and leave none.
     */
    lockActivePlatformAdmins: async (): Promise<number[]> =>
      (
        await db
          .selectFrom('users')
          .select('id')
          .where('role', '=', 'platform-admin')
          .where('status', '=', 'active')
          .orderBy('id')
          .forUpdate()
          .execute()
      ).map((row) => row.id),

    /** The organisation that has verified an email domain, if any. */
    findOrganisationIdByEmailDomain: async (domain: string) =>
      (await db.selectFrom('organisation_email_domains').select('organisation_id').where('domain', '=', domain).executeTakeFirst())
        ?.organisation_id,

    /** An organisation's verified email domains. */
    listEmailDomains: (organisationId: number) =>
      db.selectFrom('organisation_email_domains').selectAll().where('organisation_id', '=', organisationId).orderBy('domain').execute(),

    /** Records a verified email domain for an organisation. */
    insertEmailDomain: (organisationId: number, domain: string) =>
      db
        .insertInto('organisation_email_domains')
        .values({ organisation_id: organisationId, domain })
        .returningAll()
        .executeTakeFirstOrThrow(),

    /** A verified email domain by its name. */
    findEmailDomain: (domain: string) =>
      db.selectFrom('organisation_email_domains').selectAll().where('domain', '=', domain).executeTakeFirst(),

    /** Removes a verified email domain. */
    deleteEmailDomain: (id: number) => db.deleteFrom('organisation_email_domains').where('id', '=', id).returningAll().executeTakeFirst(),

    /** The email addresses of an organisation's active admins, who hear about its records when no one else can. */
    listOrganisationAdminEmails: async (organisationId: number): Promise<string[]> =>
      (
        await db
          .selectFrom('users')
          .select('email')
          .where('organisation_id', '=', organisationId)
          .where('role', '=', 'organisation-admin')
          .where('status', '=', 'active')
          .orderBy('email')
          .execute()
      ).map((row) => row.email),

    /** The email addresses of the platform's admins (who answer requests to join an organisation with no admin). */
    listPlatformAdminEmails: async (): Promise<string[]> =>
      (
        await db
          .selectFrom('users')
          .select('email')
          .where('role', '=', 'platform-admin')
          .where('status', '=', 'active')
          .orderBy('email')
          .execute()
      ).map((row) => row.email),

    /** The people of one organisation. */
    listMembers: (organisationId: number) =>
      db
        .selectFrom('users')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('status', '!=', 'disabled')
        .orderBy('email')
        .execute(),

    /** One organisation's id, name and kind by its id. */
    findOrganisationById: (id: number) =>
      db.selectFrom('organisation_directory').select(['id', 'name', 'gss_code', 'slug', 'kind']).where('id', '=', id).executeTakeFirst(),
  };
}
