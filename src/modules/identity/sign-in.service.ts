import type { Actor } from '../../platform/actor.js';
import { InputError, NotAllowedError, RateLimitedError, UnavailableError } from '../../platform/errors.js';
import type { Mailer } from '../../platform/mail.js';
import { hashSecret, type IdentityCore, type IdentityDependencies, newSecret, normaliseEmail, publicUser } from './identity.core.js';
import type { IdentityRepository, UserRow } from './identity.repository.js';

export const SIGN_IN_LINK_MINUTES = 15;
/** At most this many links for one address, and from one IP, in the link's lifetime. */
export const SIGN_IN_LIMIT_PER_ADDRESS = 10;
export const SIGN_IN_LIMIT_PER_IP = 50;

export interface SignInResult {
  sessionToken: string;
  sessionMaxAgeSeconds: number;
  user: UserRow;
  /** True when the person has no organisation yet and must ask to join one. */
  needsOrganisation: boolean;
  /** True the first time this person signs in: they are shown what they can do next. */
  firstSignIn: boolean;
}

/**
 * The person a sign-in link is for, created on first use: they join the organisation that invited them, or the one
 * that owns their email domain, or wait to ask to join one.
 */
async function findOrCreateUser(repository: IdentityRepository, email: string, now: Date): Promise<{ user: UserRow; created: boolean }> {
  const existing = await repository.findUserByEmail(email);
  if (existing) return { user: existing, created: false };
  const domain = email.split('@')[1] ?? '';
  const invitation = await repository.findOpenInvitation(email);
  const domainOrganisation = await repository.findOrganisationIdByEmailDomain(domain);
  const organisationId = invitation?.organisation_id ?? domainOrganisation ?? null;
  const user = await repository.insertUser({
    email,
    name: null,
    organisation_id: organisationId,
    role: invitation?.role ?? 'member',
    status: organisationId === null ? 'pending' : 'active',
  });
  if (invitation) await repository.acceptInvitation(invitation.id, now);
  return { user, created: true };
}

/** Sign-in by email link: asking for a link, and using it to start a session. Over 80 lines as a set of short methods sharing one set of dependencies. */
export function createSignInService(
  { identityRepository, transaction, mailer, clock, settings }: IdentityDependencies,
  { audit }: IdentityCore,
) {
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
        const found = await findOrCreateUser(repository, link.email, now);
        const created = found.created;
        let user = found.user;
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
  };
}
