import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor, Role, TokenScope } from '../../platform/actor.js';
import { type AuditEvent, recordAuditEvent } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError, RateLimitedError, UnavailableError } from '../../platform/errors.js';
import type { Mailer } from '../../platform/mail.js';
import type { OrganisationsService } from '../organisations/index.js';
import { identityPolicy } from './identity.policy.js';
import type { ActorRow, IdentityRepository, IdentityTransaction, UserRow } from './identity.repository.js';
import type { IdentityTables } from './identity.tables.js';
import { describeUserAgent } from './user-agent.js';

export const SIGN_IN_LINK_MINUTES = 15;
/** At most this many links for one address, and from one IP, in the link's lifetime. */
export const SIGN_IN_LIMIT_PER_ADDRESS = 10;
export const SIGN_IN_LIMIT_PER_IP = 50;
const TOUCH_INTERVAL_MS = 60_000;

export interface IdentitySettings {
  publicBaseUrl: string;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
}

export interface SignInResult {
  sessionToken: string;
  sessionMaxAgeSeconds: number;
  user: UserRow;
  /** True when the person has no organisation yet and must ask to join one. */
  needsOrganisation: boolean;
  /** True the first time this person signs in: they are shown what they can do next. */
  firstSignIn: boolean;
}

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

/** A secret's SHA-256, the only form in which links, sessions and tokens are stored. */
export function hashSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex');
}

function newSecret(): string {
  return crypto.randomBytes(32).toString('base64url');
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Lower-cased, trimmed email address, or an input error saying what is wrong. */
export function normaliseEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (!email) throw new InputError('Enter your email address', [{ field: 'email', message: 'Enter your email address' }]);
  if (!EMAIL.test(email) || email.length > 254) {
    throw new InputError('Enter an email address in the correct format, like name@council.gov.uk', [
      { field: 'email', message: 'Enter an email address in the correct format, like name@council.gov.uk' },
    ]);
  }
  return email;
}

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

function publicUser(user: UserRow) {
  return { id: user.id, email: user.email, name: user.name, organisationId: user.organisation_id, role: user.role, status: user.status };
}

/** Sign-in by email link, sessions, API tokens, membership of organisations, and the audit trail's reading side. */
export function createIdentityService({
  identityRepository,
  transaction,
  organisationsService,
  mailer,
  clock,
  settings,
}: {
  identityRepository: IdentityRepository;
  transaction: IdentityTransaction;
  organisationsService: OrganisationsService;
  mailer: Mailer;
  clock: Clock;
  settings: IdentitySettings;
}) {
  const audit = (trx: Kysely<IdentityTables>, actor: Actor | null, event: AuditEvent) => recordAuditEvent(trx, actor, event);

  async function requireOrganisationAdmin(actor: Actor, organisationId: number): Promise<void> {
    if (!identityPolicy.canManageMembers(actor, organisationId))
      throw new NotAllowedError('Only an admin of this organisation can manage its members');
    if (!(await identityRepository.findOrganisationById(organisationId))) throw new NotFoundError('No such organisation');
  }

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

  /**
   * Sends a sign-in link's email; when the mail server fails, the link is withdrawn (so it neither works nor counts
   * against the person's limit), the failure is audited, and the person is told that nothing was sent.
   */
  async function sendOrWithdraw(linkId: number, email: string, message: Parameters<Mailer['send']>[0]): Promise<void> {
    try {
      await mailer.send(message);
    } catch (error) {
      await transaction(async (repository, trx) => {
        await repository.deleteSignInLink(linkId);
        await audit(trx, null, {
          action: 'sign-in-link.send-failed',
          subjectType: 'sign-in-link',
          subjectId: linkId,
          organisationId: null,
          before: { email },
          after: null,
        });
      });
      throw new UnavailableError(
        'We could not send your sign-in link because the email service is not answering. No link was sent or kept, and this attempt does not count against your limit: try again in a few minutes.',
        { cause: error },
      );
    }
  }

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

  async function recordEmailDomain(actor: Actor | null, organisationId: number, domain: string): Promise<void> {
    await transaction(async (repository, trx) => {
      const row = await repository.insertEmailDomain(organisationId, domain);
      await audit(trx, actor, {
        action: 'email-domain.create',
        subjectType: 'email-domain',
        subjectId: row.id,
        organisationId,
        before: null,
        after: { domain },
      });
    });
  }

  return {
    /**
     * Sends a single-use sign-in link. The answer is the same whether or not the address is known, so nobody can
     * learn who has an account; the limit per address and per IP stops guessing and mail bombing.
     */
    async requestSignInLink(input: { email: string; ip: string; next?: string | undefined }): Promise<void> {
      const email = normaliseEmail(input.email);
      const now = clock();
      const windowStart = new Date(now.getTime() - SIGN_IN_LINK_MINUTES * 60_000);
      if ((await identityRepository.countSignInLinksSince({ email }, windowStart)) >= SIGN_IN_LIMIT_PER_ADDRESS) {
        throw new RateLimitedError(
          `Too many sign-in links have been asked for this email address. Wait ${SIGN_IN_LINK_MINUTES} minutes, then try again.`,
        );
      }
      if ((await identityRepository.countSignInLinksSince({ ip: input.ip }, windowStart)) >= SIGN_IN_LIMIT_PER_IP) {
        throw new RateLimitedError(
          `Too many sign-in links have been asked for from your network. Wait ${SIGN_IN_LINK_MINUTES} minutes, then try again.`,
        );
      }
      const token = newSecret();
      const linkId = await transaction(async (repository, trx) => {
        const link = await repository.insertSignInLink({
          token_hash: hashSecret(token),
          email,
          requested_ip: input.ip,
          created_at: now,
          expires_at: new Date(now.getTime() + SIGN_IN_LINK_MINUTES * 60_000),
        });
        await audit(trx, null, {
          action: 'sign-in-link.request',
          subjectType: 'sign-in-link',
          subjectId: link.id,
          organisationId: null,
          before: null,
          after: { email },
        });
        return link.id;
      });
      const next = input.next && input.next !== '/' ? `&next=${encodeURIComponent(input.next)}` : '';
      await sendOrWithdraw(linkId, email, {
        to: email,
        subject: 'Your Local Digital Commons sign-in link',
        text: [
          'Use this link to sign in to Local Digital Commons:',
          '',
          `${settings.publicBaseUrl}/sign-in/link?token=${token}${next}`,
          '',
          `The link works once, for ${SIGN_IN_LINK_MINUTES} minutes. If you did not ask for it, you can ignore this email: nobody can sign in without it.`,
        ].join('\n'),
      });
    },

    /**
     * Uses a sign-in link: the person is found or created (joining the organisation that owns their email domain,
     * or one that invited them), and a session starts. Refuses used, expired or unknown links.
     */
    async completeSignIn(input: { token: string; userAgent: string | null; ip: string | null }): Promise<SignInResult> {
      const now = clock();
      return transaction(async (repository, trx) => {
        const link = await repository.consumeSignInLink(hashSecret(input.token), now);
        if (!link) throw new InputError('This sign-in link has expired or has already been used. Ask for a new one.');
        let user = await repository.findUserByEmail(link.email);
        const created = !user;
        if (!user) {
          const domain = link.email.split('@')[1] ?? '';
          const invitation = await repository.findOpenInvitation(link.email);
          const domainOrganisation = await repository.findOrganisationIdByEmailDomain(domain);
          const organisationId = invitation?.organisation_id ?? domainOrganisation ?? null;
          user = await repository.insertUser({
            email: link.email,
            name: null,
            organisation_id: organisationId,
            role: invitation?.role ?? 'member',
            status: organisationId === null ? 'pending' : 'active',
          });
          if (invitation) await repository.acceptInvitation(invitation.id, now);
        }
        if (user.status === 'disabled') throw new NotAllowedError('This account has been closed. Ask your organisation admin.');
        const firstSignIn = user.last_signed_in_at === null;
        user = await repository.updateUser(user.id, { last_signed_in_at: now });
        const sessionToken = newSecret();
        const session = await repository.insertSession({
          token_hash: hashSecret(sessionToken),
          user_id: user.id,
          expires_at: new Date(now.getTime() + settings.sessionAbsoluteHours * 3_600_000),
          last_seen_at: now,
          user_agent: input.userAgent?.slice(0, 300) ?? null,
          ip: input.ip,
        });
        const actor: Actor = {
          userId: user.id,
          email: user.email,
          name: user.name,
          organisationId: user.organisation_id,
          organisationName: null,
          role: user.role,
          via: 'session',
          credentialId: session.id,
          scopes: ['read', 'write'],
        };
        await audit(
          trx,
          actor,
          created
            ? {
                action: 'user.create',
                subjectType: 'user',
                subjectId: user.id,
                organisationId: user.organisation_id,
                before: null,
                after: publicUser(user),
              }
            : {
                action: 'session.start',
                subjectType: 'session',
                subjectId: session.id,
                organisationId: user.organisation_id,
                before: null,
                after: { userId: user.id },
              },
        );
        return {
          sessionToken,
          sessionMaxAgeSeconds: settings.sessionAbsoluteHours * 3600,
          user,
          needsOrganisation: user.organisation_id === null,
          firstSignIn,
        };
      });
    },

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

    /** Creates an API token; its value is returned once and only its hash is kept. */
    async createApiToken(actor: Actor, input: { name: string; scopes: readonly TokenScope[] }): Promise<{ id: number; token: string }> {
      if (actor.via !== 'session') throw new NotAllowedError('API tokens are made from the account page, not with another token');
      const name = input.name.trim();
      const problems = [];
      if (!name || name.length > 100) problems.push({ field: 'name', message: 'Enter a name for the token, up to 100 characters' });
      if (input.scopes.length === 0) problems.push({ field: 'scopes', message: 'Choose what the token may do' });
      if (problems.length > 0) throw new InputError(problems.map((problem) => problem.message).join('. '), problems);
      const token = `ldc_${newSecret()}`;
      const scopes = [...new Set(input.scopes)];
      const created = await transaction(async (repository, trx) => {
        const row = await repository.insertApiToken({ user_id: actor.userId, name, token_hash: hashSecret(token), scopes });
        await audit(trx, actor, {
          action: 'api-token.create',
          subjectType: 'api-token',
          subjectId: row.id,
          organisationId: actor.organisationId,
          before: null,
          after: { name, scopes },
        });
        return row;
      });
      return { id: created.id, token };
    },

    /** Revokes one of the person's own API tokens. */
    async revokeApiToken(actor: Actor, tokenId: number): Promise<void> {
      await transaction(async (repository, trx) => {
        const revoked = await repository.revokeApiToken(tokenId, actor.userId, clock());
        if (!revoked) throw new NotFoundError('You have no such active token');
        await audit(trx, actor, {
          action: 'api-token.revoke',
          subjectType: 'api-token',
          subjectId: tokenId,
          organisationId: actor.organisationId,
          before: { name: revoked.name, revoked: false },
          after: { name: revoked.name, revoked: true },
        });
      });
    },

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

    /** Records that an organisation owns an email domain (platform admins only), so its people join it on sign-in. */
    async addEmailDomain(actor: Actor, organisationId: number, rawDomain: string): Promise<void> {
      if (!identityPolicy.canManageDomains(actor)) throw new NotAllowedError('Only platform admins can verify email domains');
      const domain = rawDomain.trim().toLowerCase().replace(/^@/, '');
      if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain))
        throw new InputError('Enter a domain like oxford.gov.uk', [{ field: 'domain', message: 'Enter a domain like oxford.gov.uk' }]);
      if (await identityRepository.findEmailDomain(domain)) throw new ConflictError(`${domain} is already verified for an organisation`);
      await recordEmailDomain(actor, organisationId, domain);
    },

    /** Removes a verified email domain (platform admins only). */
    async removeEmailDomain(actor: Actor, domainId: number): Promise<void> {
      if (!identityPolicy.canManageDomains(actor)) throw new NotAllowedError('Only platform admins can remove email domains');
      await transaction(async (repository, trx) => {
        const removed = await repository.deleteEmailDomain(domainId);
        if (!removed) throw new NotFoundError('No such domain');
        await audit(trx, actor, {
          action: 'email-domain.delete',
          subjectType: 'email-domain',
          subjectId: domainId,
          organisationId: removed.organisation_id,
          before: { domain: removed.domain },
          after: null,
        });
      });
    },

    /** A page of the audit trail: an organisation admin's own organisation, or everything for platform admins. */
    async listAuditEvents(actor: Actor, query: { organisationId: number | null; page: number; pageSize: number }) {
      if (!identityPolicy.canReadAudit(actor, query.organisationId)) throw new NotAllowedError('You cannot read this audit trail');
      return identityRepository.listAuditEvents(query.organisationId, { offset: (query.page - 1) * query.pageSize, limit: query.pageSize });
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

    /** Seeds a verified domain directly (demo content), unless present. */
    async ensureEmailDomain(organisationId: number, domain: string): Promise<void> {
      if (await identityRepository.findEmailDomain(domain)) return;
      await recordEmailDomain(null, organisationId, domain);
    },
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
