import type { Actor } from '../../platform/actor.js';
import { hashSecret, type IdentityCore, type IdentityDependencies } from './identity.core.js';
import type { ActorRow } from './identity.repository.js';

const TOUCH_INTERVAL_MS = 60_000;

function toActor(row: ActorRow, via: Actor['via']): Actor {
  return {
    userId: row.user_id,
    email: row.email,
    name: row.name,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    organisationKind: row.organisation_kind,
    organisationCode: row.organisation_code,
    role: row.role,
    via,
    credentialId: row.credential_id,
    scopes: via === 'token' ? (row.scopes ?? []) : ['read', 'write'],
  };
}

/** Who is asking (a session cookie or an API token), and signing out of one browser or all. */
export function createSessionsService({ identityRepository, transaction, clock, settings }: IdentityDependencies, { audit }: IdentityCore) {
  return {
    /** The person behind a session cookie, or null when it is unknown, ended, idle too long or past its limit. */
    async resolveSession(token: string): Promise<Actor | null> {
      const now = clock();
      const row = await identityRepository.findSessionActor(
        hashSecret(token),
        now,
        new Date(now.getTime() - settings.sessionIdleMinutes * 60_000),
      );
      if (!row) return null;
      // Recording every request would be a write per page; once a minute keeps the idle timeout honest.
      if (!row.last_seen_at || now.getTime() - row.last_seen_at.getTime() > TOUCH_INTERVAL_MS)
        await identityRepository.touchSession(row.credential_id, now);
      return toActor(row, 'session');
    },

    /** The person behind an API bearer token, or null. */
    async resolveApiToken(token: string): Promise<Actor | null> {
      const row = await identityRepository.findApiTokenActor(hashSecret(token));
      if (!row) return null;
      const now = clock();
      if (!row.last_seen_at || now.getTime() - row.last_seen_at.getTime() > TOUCH_INTERVAL_MS)
        await identityRepository.touchApiToken(row.credential_id, now);
      return toActor(row, 'token');
    },

    /** Signs out of this browser. */
    async signOut(actor: Actor): Promise<void> {
      await transaction(async (repository, trx) => {
        const ended = await repository.endSession(actor.credentialId, clock());
        if (ended)
          await audit(trx, actor, {
            action: 'session.end',
            subjectType: 'session',
            subjectId: ended.id,
            organisationId: actor.organisationId,
            before: { open: true },
            after: { open: false },
          });
      });
    },

    /** Signs out of every browser and device; with `revokeTokens`, every API token stops working too. */
    async signOutEverywhere(actor: Actor, options: { revokeTokens: boolean } = { revokeTokens: false }): Promise<number> {
      return transaction(async (repository, trx) => {
        const count = await repository.endUserSessions(actor.userId, clock());
        const revoked = options.revokeTokens ? await repository.revokeUserApiTokens(actor.userId, clock()) : 0;
        await audit(trx, actor, {
          action: 'session.end-all',
          subjectType: 'user',
          subjectId: actor.userId,
          organisationId: actor.organisationId,
          before: { openSessions: count, ...(options.revokeTokens ? { activeApiTokens: revoked } : {}) },
          after: { openSessions: 0, ...(options.revokeTokens ? { activeApiTokens: 0 } : {}) },
        });
        return count;
      });
    },
  };
}
