import type { Actor, Role } from '../../platform/actor.js';
import { InputError, NotFoundError } from '../../platform/errors.js';
import { type IdentityCore, type IdentityDependencies, normaliseEmail, publicUser } from './identity.core.js';
import { identityPolicy } from './identity.policy.js';
import type { UserRow } from './identity.repository.js';
import { describeUserAgent } from './user-agent.js';

/** A person's own account, people as other modules and the command line see them, and seeded people. Over 80 lines as a set of short methods sharing one set of dependencies. */
export function createAccountsService({ identityRepository, transaction, clock }: IdentityDependencies, { audit }: IdentityCore) {
  return {
    /** What the account page shows. */
    async getAccount(actor: Actor) {
      const now = clock();
      const [user, sessions, tokens, pendingRequest, organisation, invitations] = await Promise.all([
        identityRepository.findUserById(actor.userId),
        identityRepository.listOpenSessions(actor.userId, now),
        identityRepository.listApiTokens(actor.userId),
        identityRepository.findPendingJoinRequest(actor.userId),
        actor.organisationId === null ? Promise.resolve(undefined) : identityRepository.findOrganisationById(actor.organisationId),
        identityRepository.listOpenInvitations(actor.email),
      ]);
      if (!user) throw new NotFoundError('No such person');
      return {
        user,
        invitations,
        sessions: sessions.map((session) => ({ ...session, browser: describeUserAgent(session.user_agent) })),
        tokens,
        pendingRequest,
        organisation: organisation ?? null,
        currentSessionId: actor.via === 'session' ? actor.credentialId : null,
      };
    },

    /** The email addresses of an organisation's admins, for other modules' reminders. */
    listOrganisationAdminEmails: (organisationId: number) => identityRepository.listOrganisationAdminEmails(organisationId),

    /** An active person's email address and name (for mail other modules send them, such as digests), or null. */
    async findUserContact(userId: number): Promise<{ email: string; name: string | null } | null> {
      const user = await identityRepository.findUserById(userId);
      return user && user.status === 'active' ? { email: user.email, name: user.name } : null;
    },

    /** Changes the person's own name. */
    async updateName(actor: Actor, name: string): Promise<void> {
      const trimmed = name.trim();
      if (!trimmed || trimmed.length > 200)
        throw new InputError('Enter your name', [{ field: 'name', message: 'Enter your name, up to 200 characters' }]);
      await transaction(async (repository, trx) => {
        const before = await repository.findUserById(actor.userId);
        const after = await repository.updateUser(actor.userId, { name: trimmed });
        await audit(trx, actor, {
          action: 'user.update',
          subjectType: 'user',
          subjectId: actor.userId,
          organisationId: after.organisation_id,
          before: { name: before?.name ?? null },
          after: { name: after.name },
        });
      });
    },

    /**
     * Makes a person a platform admin from the server's own command line (`commons admin grant EMAIL`), creating them if
     * needed: the way back in when no platform admin is left to do it in the application. Audited as the system.
     */
    async grantPlatformAdmin(rawEmail: string): Promise<{ user: UserRow; changed: boolean }> {
      const email = normaliseEmail(rawEmail);
      return transaction(async (repository, trx) => {
        const existing = await repository.findUserByEmail(email);
        if (existing?.role === 'platform-admin' && existing.status === 'active') return { user: existing, changed: false };
        const granted = { role: 'platform-admin' as const, status: 'active' as const, role_authority: 'platform' as const };
        const user = existing
          ? await repository.updateUser(existing.id, { ...granted, role_granted_by: null })
          : await repository.insertUser({ email, name: null, organisation_id: null, ...granted });
        await audit(trx, null, {
          action: 'user.grant-platform-admin',
          subjectType: 'user',
          subjectId: user.id,
          organisationId: user.organisation_id,
          before: existing ? publicUser(existing) : null,
          after: publicUser(user),
        });
        return { user, changed: true };
      });
    },

    /** Seeds a person directly (demo content and tests), with one audit event. */
    async createUser(
      actor: Actor | null,
      input: { email: string; name: string; organisationId: number | null; role: Role },
    ): Promise<UserRow> {
      const email = normaliseEmail(input.email);
      return transaction(async (repository, trx) => {
        const existing = await repository.findUserByEmail(email);
        if (existing) return existing;
        const user = await repository.insertUser({
          email,
          name: input.name,
          organisation_id: input.organisationId,
          role: input.role,
          status: input.organisationId === null && input.role !== 'platform-admin' ? 'pending' : 'active',
          role_authority: identityPolicy.keepsRoleOnJoining(input.role) ? 'platform' : 'organisation',
        });
        await audit(trx, actor, {
          action: 'user.create',
          subjectType: 'user',
          subjectId: user.id,
          organisationId: user.organisation_id,
          before: null,
          after: publicUser(user),
        });
        return user;
      });
    },
  };
}
