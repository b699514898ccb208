import type { Actor } from '../../platform/actor.js';
import { ConflictError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import type { Mailer } from '../../platform/mail.js';
import type { IdentityCore, IdentityDependencies } from './identity.core.js';
import { identityPolicy } from './identity.policy.js';

/** Who answers a request to join: the organisation's own admins, or the platform's when it has none. */
export interface JoinRequestRouting {
  organisationName: string;
  organisationCode: string;
  answeredBy: 'organisation-admins' | 'platform-admins';
}

/** What a decision on a request to join did, for the page that confirms it. */
export interface JoinDecision {
  approved: boolean;
  role: 'member' | 'organisation-admin';
  applicantName: string;
  organisationName: string;
}

/** Requests to join an organisation: asking, the platform admins' queue, and deciding. Over 80 lines as a set of short methods sharing one set of dependencies. */
export function createJoinRequestsService(
  { identityRepository, transaction, organisationsService, mailer, clock, settings }: IdentityDependencies,
  { audit, requireOrganisationAdmin }: IdentityCore,
) {
  /** Sends notices that must not undo the change they tell of: a mail failure leaves the change made. */
  async function sendQuietly(messages: Parameters<Mailer['send']>[0][]): Promise<boolean> {
    let allSent = true;
    for (const message of messages) {
      try {
        await mailer.send(message);
      } catch {
        allSent = false;
      }
    }
    return allSent;
  }

  return {
    /**
     * Asks to join an organisation whose email domain the person does not share, and emails who will answer: the
     * organisation's admins, or the platform's admins when it has none (they check, and can make the person its first
     * admin). Says who was asked, so the page can tell the person what happens next.
     */
    async requestToJoin(actor: Actor, input: { organisationCode: string; message: string }): Promise<JoinRequestRouting> {
      if (actor.organisationId !== null) throw new ConflictError('You already belong to an organisation');
      const organisation = await organisationsService.getOrganisation(input.organisationCode);
      const code = organisation.gssCode ?? organisation.slug;
      await transaction(async (repository, trx) => {
        if (await repository.findPendingJoinRequest(actor.userId))
          throw new ConflictError('You have already asked to join an organisation; wait for its answer');
        const request = await repository.insertJoinRequest({
          user_id: actor.userId,
          organisation_id: organisation.id,
          message: input.message.trim().slice(0, 1000) || null,
        });
        await audit(trx, actor, {
          action: 'join-request.create',
          subjectType: 'join-request',
          subjectId: request.id,
          organisationId: organisation.id,
          before: null,
          after: { organisationId: organisation.id, message: request.message },
        });
      });
      const organisationAdmins = await identityRepository.listOrganisationAdminEmails(organisation.id);
      const answeredBy = organisationAdmins.length > 0 ? 'organisation-admins' : 'platform-admins';
      const recipients = organisationAdmins.length > 0 ? organisationAdmins : await identityRepository.listPlatformAdminEmails();
      const decideAt =
        answeredBy === 'organisation-admins'
          ? `${settings.publicBaseUrl}/manage/organisations/${encodeURIComponent(code)}/members`
          : `${settings.publicBaseUrl}/manage/join-requests`;
      const who = actor.name ? `${actor.name} (${actor.email})` : actor.email;
      const note = input.message.trim() ? `\n\nTheir message: ${input.message.trim().slice(0, 1000)}` : '';
      const check =
        answeredBy === 'platform-admins'
          ? `${organisation.name} has no admin on Local Digital Commons yet, so the platform's admins answer. Check that this person works there before you approve; you can make them its first admin.`
          : 'Approve the request if they work there; refuse it if not.';
      // A request is kept even if no email could be sent: it waits in the admins' lists, which are checked on their own.
      await sendQuietly(
        recipients.map((to) => ({
          to,
          subject: `${who} asks to join ${organisation.name} on Local Digital Commons`,
          text: `${who} asks to join ${organisation.name}.${note}\n\n${check}\n\nDecide here: ${decideAt}`,
        })),
      );
      return { organisationName: organisation.name, organisationCode: code, answeredBy };
    },

    /** The platform admins' queue: every pending request to join, flagging organisations with no admin of their own. */
    async listJoinRequestQueue(actor: Actor) {
      if (actor.role !== 'platform-admin') throw new NotAllowedError('Only the platform’s admins see every request to join');
      const rows = await identityRepository.listAllPendingJoinRequests(200);
      return rows.map((row) => ({ ...row, has_admin: Boolean(row.has_admin) }));
    },

    /**
     * Approves or refuses a request to join; approval makes the person a member, or the organisation's admin when the
     * decider may give that role (a platform admin appointing a council's first admin after checking). The applicant
     * is emailed the decision.
     */
    async decideJoinRequest(
      actor: Actor,
      requestId: number,
      approve: boolean,
      options: { role?: 'member' | 'organisation-admin' } = {},
    ): Promise<JoinDecision> {
      const request = await identityRepository.findJoinRequest(requestId);
      if (!request) throw new NotFoundError('No such request');
      await requireOrganisationAdmin(actor, request.organisation_id);
      const role = options.role ?? 'member';
      if (approve && !identityPolicy.canGrantRole(actor, role)) throw new NotAllowedError('You cannot give that role');
      const organisation = await identityRepository.findOrganisationById(request.organisation_id);
      const applicant = await identityRepository.findUserById(request.user_id);
      await transaction(async (repository, trx) => {
        const decided = await repository.decideJoinRequest(requestId, approve ? 'approved' : 'refused', actor.userId, clock());
        if (!decided) throw new ConflictError('This request has already been answered');
        if (approve) {
          const applicant = await repository.findUserById(request.user_id);
          const keep = applicant !== undefined && identityPolicy.keepsRoleOnJoining(applicant.role);
          await repository.updateUser(request.user_id, {
            organisation_id: request.organisation_id,
            status: 'active',
            ...(keep ? {} : { role, role_authority: identityPolicy.authorityOf(actor), role_granted_by: actor.userId }),
          });
        }
        await audit(trx, actor, {
          action: approve ? 'join-request.approve' : 'join-request.refuse',
          subjectType: 'join-request',
          subjectId: requestId,
          organisationId: request.organisation_id,
          before: { status: 'pending' },
          after: { status: decided.status, userId: request.user_id, ...(approve ? { role } : {}) },
        });
      });
      const organisationName = organisation?.name ?? 'the organisation';
      const applicantName = applicant?.name ?? applicant?.email ?? 'The person';
      if (applicant) {
        const roleText = role === 'organisation-admin' ? 'its admin' : 'a member';
        await sendQuietly([
          approve
            ? {
                to: applicant.email,
                subject: `You have joined ${organisationName} on Local Digital Commons`,
                text: `Your request to join ${organisationName} was approved: you are now ${roleText}.\n\nSign in to start: ${settings.publicBaseUrl}/sign-in`,
              }
            : {
                to: applicant.email,
                subject: `Your request to join ${organisationName} was not approved`,
                text: `Your request to join ${organisationName} on Local Digital Commons was not approved. If you work there, ask a colleague who is already a member to invite you, or ask to join again from your account: ${settings.publicBaseUrl}/account/join`,
              },
        ]);
      }
      return { approved: approve, role, applicantName, organisationName };
    },
  };
}
