import { type Kysely, type Selectable, sql } from 'kysely';
import type { AuditEventRow } from '../../platform/audit.js';
import type { Role, TokenScope } from '../../platform/actor.js';
import type { IdentityTables, UsersTable } from './identity.tables.js';

export type UserRow = Selectable<UsersTable>;

export interface ActorRow {
  user_id: number;
  email: string;
  name: string | null;
  organisation_id: number | null;
  organisation_name: string | null;
  organisation_kind: string | null;
  organisation_code: string | null;
  role: Role;
  credential_id: number;
  scopes: TokenScope[] | null;
  last_seen_at: Date | null;
}

export interface MemberRow extends UserRow {
  organisation_name: string | null;
}

/** Every query the identity module makes. Bound to a database or to a transaction. */
export function createIdentityRepository(db: Kysely<IdentityTables>) {
  const actorColumns = [
    'users.id as user_id',
    'users.email',
    'users.name',
    'users.organisation_id',
    'organisation_directory.name as organisation_name',
    'organisation_directory.kind as organisation_kind',
    'organisation_directory.code as organisation_code',
    'users.role',
  ] as const;

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

    /** How many sign-in links were asked for, for an address or from an IP, since a time (the rate limit). */
    async countSignInLinksSince(by: { email: string } | { ip: string }, since: Date): Promise<number> {
      const row = await db
        .selectFrom('sign_in_links')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('created_at', '>', since)
        .$if('email' in by, (query) => query.where('email', '=', 'email' in by ? by.email : ''))
        .$if('ip' in by, (query) => query.where('requested_ip', '=', 'ip' in by ? by.ip : ''))
        .executeTakeFirstOrThrow();
      return row.count;
    },

    /** Stores a sign-in link (its hash only). */
    insertSignInLink: (values: { token_hash: string; email: string; requested_ip: string; created_at: Date; expires_at: Date }) =>
      db.insertInto('sign_in_links').values(values).returning(['id']).executeTakeFirstOrThrow(),

    /** Removes a sign-in link whose email could not be sent, so it neither works nor counts against a limit. */
    deleteSignInLink: (id: number) => db.deleteFrom('sign_in_links').where('id', '=', id).execute(),

    /** Uses a sign-in link once: marks it used if it is unused and unexpired, and returns it; otherwise nothing. */
    consumeSignInLink: (tokenHash: string, now: Date) =>
      db
        .updateTable('sign_in_links')
        .set({ used_at: now })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returning(['id', 'email'])
        .executeTakeFirst(),

    /** Starts a session (its hash only). */
    insertSession: (values: {
      token_hash: string;
      user_id: number;
      expires_at: Date;
      last_seen_at: Date;
      user_agent: string | null;
      ip: string | null;
    }) => db.insertInto('sessions').values(values).returning(['id']).executeTakeFirstOrThrow(),

    /** The person behind a live session: not ended, not past its absolute expiry, seen since the idle cut-off. */
    findSessionActor: (tokenHash: string, now: Date, idleCutoff: Date): Promise<ActorRow | undefined> =>
      db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .leftJoin('organisation_directory', 'organisation_directory.id', 'users.organisation_id')
        .select([...actorColumns, 'sessions.id as credential_id', 'sessions.last_seen_at'])
        .select(sql<null>`null`.as('scopes'))
        .where('sessions.token_hash', '=', tokenHash)
        .where('sessions.ended_at', 'is', null)
        .where('sessions.expires_at', '>', now)
        .where('sessions.last_seen_at', '>', idleCutoff)
        .where('users.status', '!=', 'disabled')
        .executeTakeFirst(),

    /** Notes that a session was used now (keeps it from idling out). */
    touchSession: (id: number, now: Date) => db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute(),

    /** Ends one session. */
    endSession: (id: number, now: Date) =>
      db
        .updateTable('sessions')
        .set({ ended_at: now })
        .where('id', '=', id)
        .where('ended_at', 'is', null)
        .returning(['id', 'user_id'])
        .executeTakeFirst(),

    /** Ends every open session of a person; returns how many. */
    async endUserSessions(userId: number, now: Date): Promise<number> {
      const rows = await db
        .updateTable('sessions')
        .set({ ended_at: now })
        .where('user_id', '=', userId)
        .where('ended_at', 'is', null)
        .returning('id')
        .execute();
      return rows.length;
    },

    /** Revokes every active API token of a person; returns how many. */
    async revokeUserApiTokens(userId: number, now: Date): Promise<number> {
      const rows = await db
        .updateTable('api_tokens')
        .set({ revoked_at: now })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .returning('id')
        .execute();
      return rows.length;
    },

    /** A person's open sessions, newest first. */
    listOpenSessions: (userId: number, now: Date) =>
      db
        .selectFrom('sessions')
        .select(['id', 'created_at', 'last_seen_at', 'user_agent', 'ip', 'expires_at'])
        .where('user_id', '=', userId)
        .where('ended_at', 'is', null)
        .where('expires_at', '>', now)
        .orderBy('last_seen_at', 'desc')
        .execute(),

    /** Stores an API token (its hash only). */
    insertApiToken: (values: { user_id: number; name: string; token_hash: string; scopes: TokenScope[] }) =>
      db.insertInto('api_tokens').values(values).returning(['id', 'name', 'scopes', 'created_at']).executeTakeFirstOrThrow(),

    /** The person behind an unrevoked API token. */
    findApiTokenActor: (tokenHash: string): Promise<ActorRow | undefined> =>
      db
        .selectFrom('api_tokens')
        .innerJoin('users', 'users.id', 'api_tokens.user_id')
        .leftJoin('organisation_directory', 'organisation_directory.id', 'users.organisation_id')
        .select([...actorColumns, 'api_tokens.id as credential_id', 'api_tokens.scopes', 'api_tokens.last_used_at as last_seen_at'])
        .where('api_tokens.token_hash', '=', tokenHash)
        .where('api_tokens.revoked_at', 'is', null)
        .where('users.status', '!=', 'disabled')
        .executeTakeFirst(),

    /** Notes that a token was used now. */
    touchApiToken: (id: number, now: Date) => db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute(),

    /** A person's API tokens (never their values). */
    listApiTokens: (userId: number) =>
      db
        .selectFrom('api_tokens')
        .select(['id', 'name', 'scopes', 'created_at', 'last_used_at', 'revoked_at'])
        .where('user_id', '=', userId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute(),

    /** Revokes one of a person's tokens; returns it as it was, or nothing if it was not theirs or already revoked. */
    revokeApiToken: (id: number, userId: number, now: Date) =>
      db
        .updateTable('api_tokens')
        .set({ revoked_at: now })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .returning(['id', 'name', 'scopes', 'revoked_at'])
        .executeTakeFirst(),

    /** Records a request to join an organisation. */
    insertJoinRequest: (values: { user_id: number; organisation_id: number; message: string | null }) =>
      db.insertInto('join_requests').values(values).returningAll().executeTakeFirstOrThrow(),

    /** A person's pending request to join, if any, with the organisation's name. */
    findPendingJoinRequest: (userId: number) =>
      db
        .selectFrom('join_requests')
        .innerJoin('organisation_directory', 'organisation_directory.id', 'join_requests.organisation_id')
        .selectAll('join_requests')
        .select('organisation_directory.name as organisation_name')
        .where('user_id', '=', userId)
        .where('status', '=', 'pending')
        .executeTakeFirst(),

    /** One join request. */
    findJoinRequest: (id: number) => db.selectFrom('join_requests').selectAll().where('id', '=', id).executeTakeFirst(),

    /** Pending requests to join one organisation. */
    listPendingJoinRequests: (organisationId: number) =>
      db
        .selectFrom('join_requests')
        .innerJoin('users', 'users.id', 'join_requests.user_id')
        .select([
          'join_requests.id',
          'join_requests.message',
          'join_requests.created_at',
          'users.email',
          'users.name',
          'users.id as user_id',
        ])
        .where('join_requests.organisation_id', '=', organisationId)
        .where('join_requests.status', '=', 'pending')
        .orderBy('join_requests.created_at')
        .execute(),

    /** Approves or refuses a pending join request; nothing if it was no longer pending. */
    decideJoinRequest: (id: number, status: 'approved' | 'refused', decidedBy: number, now: Date) =>
      db
        .updateTable('join_requests')
        .set({ status, decided_by: decidedBy, decided_at: now })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .returningAll()
        .executeTakeFirst(),

    /** Records an invitation to join an organisation. */
    insertInvitation: (values: { organisation_id: number; email: string; role: 'member' | 'organisation-admin'; invited_by: number }) =>
      db.insertInto('invitations').values(values).returningAll().executeTakeFirstOrThrow(),

    /** The newest unaccepted invitation for an address. */
    findOpenInvitation: (email: string) =>
      db
        .selectFrom('invitations')
        .selectAll()
        .where('email', '=', email)
        .where('accepted_at', 'is', null)
        .where('declined_at', 'is', null)
        .orderBy('id', 'desc')
        .executeTakeFirst(),

    /** A person's unanswered invitations, with the inviting organisation's name, newest first. */
    listOpenInvitations: (email: string) =>
      db
        .selectFrom('invitations')
        .innerJoin('organisation_directory', 'organisation_directory.id', 'invitations.organisation_id')
        .selectAll('invitations')
        .select('organisation_directory.name as organisation_name')
        .where('invitations.email', '=', email)
        .where('invitations.accepted_at', 'is', null)
        .where('invitations.declined_at', 'is', null)
        .orderBy('invitations.id', 'desc')
        .execute(),

    /** Removes an invitation whose email could not be sent. */
    deleteInvitation: (id: number) => db.deleteFrom('invitations').where('id', '=', id).execute(),

    /** One invitation. */
    findInvitation: (id: number) => db.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirst(),

    /** Records that an invitation was declined; nothing if it was already answered. */
    declineInvitation: (id: number, now: Date) =>
      db
        .updateTable('invitations')
        .set({ declined_at: now })
        .where('id', '=', id)
        .where('accepted_at', 'is', null)
        .where('declined_at', 'is', null)
        .returningAll()
        .executeTakeFirst(),

    /** Withdraws a person's pending request to join, when they join another organisation instead. */
    withdrawPendingJoinRequest: (userId: number, now: Date) =>
      db
        .updateTable('join_requests')
        .set({ status: 'withdrawn', decided_at: now })
        .where('user_id', '=', userId)
        .where('status', '=', 'pending')
        .returning(['id', 'organisation_id'])
        .executeTakeFirst(),

    /** Marks an invitation accepted. */
    acceptInvitation: (id: number, now: Date) =>
      db
        .updateTable('invitations')
        .set({ accepted_at: now })
        .where('id', '=', id)
        .where('accepted_at', 'is', null)
        .where('declined_at', 'is', null)
        .returningAll()
        .executeTakeFirst(),

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

    /**
     * Every pending request to join, oldest first, with the organisation and whether it has an admin of its own
     * (the platform admins' queue: requests to organisations with no admin wait for them).
     */
    listAllPendingJoinRequests: (limit: number) =>
      db
        .selectFrom('join_requests')
        .innerJoin('users', 'users.id', 'join_requests.user_id')
        .innerJoin('organisation_directory', 'organisation_directory.id', 'join_requests.organisation_id')
        .select((eb) => [
          'join_requests.id',
          'join_requests.message',
          'join_requests.created_at',
          'join_requests.organisation_id',
          'users.email',
          'users.name',
          'organisation_directory.name as organisation_name',
          'organisation_directory.code as organisation_code',
          eb
            .exists(
              eb
                .selectFrom('users as admins')
                .select('admins.id')
                .whereRef('admins.organisation_id', '=', 'join_requests.organisation_id')
                .where('admins.role', '=', 'organisation-admin')
                .where('admins.status', '=', 'active'),
            )
            .as('has_admin'),
        ])
        .where('join_requests.status', '=', 'pending')
        .orderBy('join_requests.created_at')
        .orderBy('join_requests.id')
        .limit(limit)
        .execute(),

    /** The people of one organisation. */
    listMembers: (organisationId: number) =>
      db
        .selectFrom('users')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('status', '!=', 'disabled')
        .orderBy('email')
        .execute(),

    /** A page of audit events, newest first, for one organisation or (null) for all. */
    async listAuditEvents(
      organisationId: number | null,
      page: { offset: number; limit: number },
    ): Promise<{ total: number; rows: (AuditEventRow & { actor_email: string | null })[] }> {
      const base = db
        .selectFrom('audit_events')
        .$if(organisationId !== null, (query) => query.where('audit_events.organisation_id', '=', organisationId));
      const [count, rows] = await Promise.all([
        base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
        base
          .leftJoin('users', 'users.id', 'audit_events.actor_user_id')
          .selectAll('audit_events')
          .select('users.email as actor_email')
          .orderBy('audit_events.id', 'desc')
          .offset(page.offset)
          .limit(page.limit)
          .execute(),
      ]);
      return { total: count.count, rows };
    },

    /** One organisation's id, name and kind by its id. */
    findOrganisationById: (id: number) =>
      db.selectFrom('organisation_directory').select(['id', 'name', 'gss_code', 'slug', 'kind']).where('id', '=', id).executeTakeFirst(),
  };
}

export type IdentityRepository = ReturnType<typeof createIdentityRepository>;

/** Runs work in one transaction: the repository and the raw handle given to it are bound to that transaction. */
export type IdentityTransaction = <T>(work: (repository: IdentityRepository, trx: Kysely<IdentityTables>) => Promise<T>) => Promise<T>;

/** The transaction runner for a database. */
export function createIdentityTransaction(db: Kysely<IdentityTables>): IdentityTransaction {
  return (work) => db.transaction().execute((trx) => work(createIdentityRepository(trx), trx));
}
