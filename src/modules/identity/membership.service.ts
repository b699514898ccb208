import type { Actor, Role } from '../../platform/actor.js';
import { ConflictError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import { type IdentityCore, type IdentityDependencies, publicUser } from './identity.core.js';
import { identityPolicy } from './identity.policy.js';
import type { IdentityRepository, UserRow } from './identity.repository.js';

/** An organisation's people as its admins manage them: who is in it, their roles, and removing them. Over 80 lines as a set of short methods sharing one set of dependencies. */
export function createMembershipService(
  { identityRepository, transaction, clock }: IdentityDependencies,
  { audit, requireOrganisationAdmin }: IdentityCore,
) {
  /** Refuses to change or take away a role that only a platform admin may. */
  function requireRoleChangeAllowed(actor: Actor, user: UserRow): void {
    if (!identityPolicy.canChangeRoleOf(actor, user))
      throw new NotAllowedError(
        `${user.name ?? user.email}’s role was given by a platform admin, so only a platform admin can change it or remove them`,
      );
  }

  /** Inside the change's transaction: refuses when no other active platform admin would be left. */
  async function requireAnotherPlatformAdmin(userId: number, repository: IdentityRepository): Promise<void> {
    const others = (await repository.lockActivePlatformAdmins()).filter((id) => id !== userId);
    if (others.length === 0)
      throw new ConflictError(
        'This is the last platform admin: make someone else a platform admin first (commons admin grant EMAIL on the server)',
      );
  }

  return {
    /** An organisation's members, pending join requests and verified domains, for its admins. */
    async getMembership(actor: Actor, organisationId: number) {
      await requireOrganisationAdmin(actor, organisationId);
      const [organisation, members, requests, domains] = await Promise.all([
        identityRepository.findOrganisationById(organisationId),
        identityRepository.listMembers(organisationId),
        identityRepository.listPendingJoinRequests(organisationId),
        identityRepository.listEmailDomains(organisationId),
      ]);
      return {
        organisation,
        members: members.map((member) => ({ ...member, canChange: identityPolicy.canChangeRoleOf(actor, member) })),
        requests,
        domains,
      };
    },

    /** Changes a member's role within the organisation (member or organisation admin). */
    async changeRole(actor: Actor, userId: number, role: Role): Promise<void> {
      const user = await identityRepository.findUserById(userId);
      if (!user || user.organisation_id === null) throw new NotFoundError('No such member');
      await requireOrganisationAdmin(actor, user.organisation_id);
      if (!identityPolicy.canGrantRole(actor, role)) throw new NotAllowedError(`You cannot make someone ${role}`);
      if (user.id === actor.userId && role !== user.role) throw new ConflictError('You cannot change your own role; ask another admin');
      requireRoleChangeAllowed(actor, user);
      await transaction(async (repository, trx) => {
        if (user.role === 'platform-admin' && role !== 'platform-admin') await requireAnotherPlatformAdmin(user.id, repository);
        const after = await repository.updateUser(userId, {
          role,
          role_authority: identityPolicy.authorityOf(actor),
          role_granted_by: actor.userId,
        });
        await audit(trx, actor, {
          action: 'user.change-role',
          subjectType: 'user',
          subjectId: userId,
          organisationId: user.organisation_id,
          before: { role: user.role },
          after: { role: after.role },
        });
      });
    },

    /** Removes a member from the organisation: their sessions end and they must ask to join again. */
    async removeMember(actor: Actor, userId: number): Promise<void> {
      const user = await identityRepository.findUserById(userId);
      if (!user || user.organisation_id === null) throw new NotFoundError('No such member');
      await requireOrganisationAdmin(actor, user.organisation_id);
      if (user.id === actor.userId) throw new ConflictError('You cannot remove yourself; ask another admin');
      requireRoleChangeAllowed(actor, user);
      await transaction(async (repository, trx) => {
        if (user.role === 'platform-admin') await requireAnotherPlatformAdmin(user.id, repository);
        const after = await repository.updateUser(userId, {
          organisation_id: null,
          status: 'pending',
          role: 'member',
          role_authority: 'organisation',
          role_granted_by: null,
        });
        await repository.endUserSessions(userId, clock());
        await audit(trx, actor, {
          action: 'user.remove-from-organisation',
          subjectType: 'user',
          subjectId: userId,
          organisationId: user.organisation_id,
          before: publicUser(user),
          after: publicUser(after),
        });
      });
    },
  };
}
