import type { Actor } from '../../platform/actor.js';
import { ConflictError, NotFoundError, UnavailableError } from '../../platform/errors.js';
import { type IdentityCore, type IdentityDependencies, normaliseEmail, publicUser } from './identity.core.js';
import { identityPolicy } from './identity.policy.js';

/** Invitations: an organisation's admin invites someone by email, and the person accepts or declines. Over 80 lines as a set of short methods sharing one set of dependencies. */
export function createInvitationsService(
  { identityRepository, transaction, mailer, clock, settings }: IdentityDependencies,
  { audit, requireOrganisationAdmin }: IdentityCore,
) {
  return {
    /** Invites someone by email to join the organisation; they sign in with the link in the message. */
    async invite(actor: Actor, organisationId: number, input: { email: string; role: 'member' | 'organisation-admin' }): Promise<void> {
      await requireOrganisationAdmin(actor, organisationId);
      const email = normaliseEmail(input.email);
      const existing = await identityRepository.findUserByEmail(email);
      if (existing?.organisation_id !== null && existing !== undefined)
        throw new ConflictError(`${email} already belongs to an organisation`);
      const organisation = await identityRepository.findOrganisationById(organisationId);
      const invitation = await transaction(async (repository, trx) => {
        const invitation = await repository.insertInvitation({
          organisation_id: organisationId,
          email,
          role: input.role,
          invited_by: actor.userId,
        });
        // Someone who already has an account (perhaps waiting on a request to join elsewhere) accepts on their account page.
        await audit(trx, actor, {
          action: 'invitation.create',
          subjectType: 'invitation',
          subjectId: invitation.id,
          organisationId,
          before: null,
          after: { email, role: input.role, awaitsAcceptance: existing !== undefined },
        });
        return invitation;
      });
      const how = existing
        ? `Sign in with this email address at ${settings.publicBaseUrl}/sign-in, then accept or decline the invitation on your account page.`
        : `Sign in with this email address at ${settings.publicBaseUrl}/sign-in to accept.`;
      try {
        await mailer.send({
          to: email,
          subject: `You are invited to join ${organisation?.name ?? 'an organisation'} on Local Digital Commons`,
          text: `${actor.name ?? actor.email} has invited you to join ${organisation?.name ?? 'their organisation'} on Local Digital Commons.\n\n${how}`,
        });
      } catch (error) {
        await transaction(async (repository, trx) => {
          await repository.deleteInvitation(invitation.id);
          await audit(trx, actor, {
            action: 'invitation.send-failed',
            subjectType: 'invitation',
            subjectId: invitation.id,
            organisationId,
            before: { email, role: input.role },
            after: null,
          });
        });
        throw new UnavailableError(
          `The invitation to ${email} could not be emailed because the email service is not answering, so it was not kept. Try again in a few minutes.`,
          { cause: error },
        );
      }
    },

    /**
     * Accepts or declines an invitation addressed to the person. Accepting moves them into the organisation, withdraws
     * any request they had made to join another, and records both in one audit event.
     */
    async respondToInvitation(actor: Actor, invitationId: number, accept: boolean): Promise<void> {
      const invitation = await identityRepository.findInvitation(invitationId);
      if (!invitation || invitation.email !== actor.email || invitation.accepted_at !== null || invitation.declined_at !== null)
        throw new NotFoundError('You have no such open invitation');
      if (accept && actor.organisationId !== null)
        throw new ConflictError('You already belong to an organisation; ask its admin to remove you before you join another');
      const now = clock();
      await transaction(async (repository, trx) => {
        if (!accept) {
          if (!(await repository.declineInvitation(invitationId, now)))
            throw new ConflictError('This invitation has already been answered');
          await audit(trx, actor, {
            action: 'invitation.decline',
            subjectType: 'invitation',
            subjectId: invitationId,
            organisationId: invitation.organisation_id,
            before: { open: true },
            after: { declined: true },
          });
          return;
        }
        if (!(await repository.acceptInvitation(invitationId, now))) throw new ConflictError('This invitation has already been answered');
        const before = await repository.findUserById(actor.userId);
        if (!before) throw new NotFoundError('No such person');
        const inviter = await repository.findUserById(invitation.invited_by);
        const withdrawn = await repository.withdrawPendingJoinRequest(actor.userId, now);
        const keep = identityPolicy.keepsRoleOnJoining(before.role);
        const after = await repository.updateUser(actor.userId, {
          organisation_id: invitation.organisation_id,
          status: 'active',
          ...(keep
            ? {}
            : {
                role: invitation.role,
                role_authority: inviter?.role === 'platform-admin' ? ('platform' as const) : ('organisation' as const),
                role_granted_by: invitation.invited_by,
              }),
        });
        await audit(trx, actor, {
          action: 'invitation.accept',
          subjectType: 'user',
          subjectId: actor.userId,
          organisationId: invitation.organisation_id,
          before: { ...publicUser(before), pendingJoinRequest: withdrawn ?? null },
          after: { ...publicUser(after), invitationId, withdrawnJoinRequest: withdrawn?.id ?? null },
        });
      });
    },
  };
}
