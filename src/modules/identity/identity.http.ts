import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { ROLE_LABELS } from '../../platform/actor.js';
import { serialiseCookie } from '../../platform/http/cookies.js';
import { safeNextPath } from '../../platform/http/redirects.js';
import type { MailTables } from '../../platform/mail.js';
import type { OrganisationsService } from '../organisations/index.js';
import { requireSignedIn } from './identity.guards.js';
import { identityPolicy } from './identity.policy.js';
import type { IdentityService } from './identity.service.js';

export const SESSION_COOKIE = 'commons_session';

/** What the identity module's routes are given, wired in src/app/app.ts. */
export interface IdentityRouteDependencies {
  identityService: IdentityService;
  organisationsService: OrganisationsService;
  /** Development only: the outbox the mailer writes to when there is no mail server. */
  outbox: Kysely<MailTables> | null;
  secureCookies: boolean;
}

/** The Set-Cookie value of the session cookie (an empty value with no age ends it). */
export const sessionCookieFor =
  ({ secureCookies }: Pick<IdentityRouteDependencies, 'secureCookies'>) =>
  (value: string, maxAgeSeconds: number) =>
    serialiseCookie(SESSION_COOKIE, value, { secure: secureCookies, maxAgeSeconds });

/** Renders the account page (with any form problems given in `extra`). */
export async function renderAccount(
  identityService: IdentityService,
  request: FastifyRequest,
  reply: FastifyReply,
  extra: Record<string, unknown> = {},
) {
  const actor = requireSignedIn(request);
  const account = await identityService.getAccount(actor);
  return reply.header('Cache-Control', 'no-store').render('identity/views/account.njk', {
    title: 'Your account',
    account,
    roleLabel: ROLE_LABELS[account.user.role],
    canManageMembers: actor.organisationId !== null && identityPolicy.canManageMembers(actor, actor.organisationId),
    canReadAllAudit: identityPolicy.canReadAudit(actor, null),
    ...extra,
  });
}

/** An organisation's id from its code in an address. */
export const organisationIdOf = async (organisationsService: OrganisationsService, code: string) =>
  (await organisationsService.getOrganisation(code)).id;

/** Where a decision leaves the decider: back where they decided (their organisation's people, or the queue). */
export const backFromDecision = (request: FastifyRequest) => safeNextPath(pathOf(request.headers.referer) ?? '/account');

/** The path and query of a same-site address (a Referer), or undefined. */
function pathOf(address: string | undefined): string | undefined {
  if (!address) return undefined;
  try {
    const url = new URL(address, 'http://commons.invalid');
    return `${url.pathname}${url.search}`;
  } catch {
    return undefined;
  }
}
