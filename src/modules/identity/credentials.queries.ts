import { type Kysely, sql } from 'kysely';
import type { TokenScope } from '../../platform/actor.js';
import type { ActorRow } from './identity.repository.js';
import type { IdentityTables } from './identity.tables.js';

/** The queries on credentials: sign-in links, sessions and API tokens, and the person behind each. Over 80 lines as a list of queries, each its own short function. */
export function createCredentialsQueries(db: Kysely<IdentityTables>) {
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
  };
}
