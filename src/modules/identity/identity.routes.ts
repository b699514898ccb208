import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLE_LABELS, ROLES } from '../../platform/actor.js';
import { InputError, RateLimitedError, UnavailableError } from '../../platform/errors.js';
import { safeNextPath } from '../../platform/http/redirects.js';
import { readCookie, serialiseCookie } from '../../platform/http/cookies.js';
import { idParamsSchema } from '../../platform/http/ids.js';
import { buildPagination, type CsvColumn, sendCsv } from '../../platform/http/lists.js';
import { listOutbox, type MailTables } from '../../platform/mail.js';
import type { Kysely } from 'kysely';
import type { OrganisationsService } from '../organisations/index.js';
import { requireSignedIn } from './identity.guards.js';
import { identityPolicy } from './identity.policy.js';
import type { IdentityService } from './identity.service.js';
import { formErrors, fieldErrors } from '../../platform/http/forms.js';

export const SESSION_COOKIE = 'commons_session';

export interface IdentityRouteDependencies {
  identityService: IdentityService;
  organisationsService: OrganisationsService;
  /** Development only: the outbox the mailer writes to when there is no mail server. */
  outbox: Kysely<MailTables> | null;
  secureCookies: boolean;
}

const idParams = idParamsSchema;
const codeParams = z.object({ code: z.string().min(1).max(100) });
const csrfField = { _csrf: z.string().optional() };

/** Resolves who is asking (session cookie for pages, bearer token for the API) before any route runs. */
export function registerIdentityResolution(
  app: FastifyInstance,
  { identityService }: Pick<IdentityRouteDependencies, 'identityService'>,
): void {
  app.addHook('onRequest', async (request, reply) => {
    const isApi = request.url.startsWith('/api/');
    const authorization = request.headers.authorization;
    if (isApi && authorization) {
      const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
      request.actor = token ? await identityService.resolveApiToken(token) : null;
      if (!request.actor) {
        return reply.status(401).header('WWW-Authenticate', 'Bearer').type('application/problem+json').send({
          type: 'about:blank',
          status: 401,
          title: 'Sign in required',
          detail: 'The API token is not valid, or has been revoked.',
        });
      }
      return;
    }
    // The API accepts bearer tokens only, so a page's cookie never authorises an API write (no CSRF there).
    const session = isApi ? undefined : readCookie(request, SESSION_COOKIE);
    if (session) request.actor = await identityService.resolveSession(session);
  });
}

/** Sign-in, the account page, API tokens, organisation membership, the audit trail and the development outbox. */
export function registerIdentityRoutes(app: FastifyInstance, dependencies: IdentityRouteDependencies): void {
  const { identityService, organisationsService } = dependencies;
  const api = app.withTypeProvider<ZodTypeProvider>();
  const sessionCookie = (value: string, maxAgeSeconds: number) =>
    serialiseCookie(SESSION_COOKIE, value, { secure: dependencies.secureCookies, maxAgeSeconds });

  const renderSignIn = (reply: FastifyReply, values: { email?: string; next?: string }, error?: InputError) =>
    reply.render('identity/views/sign-in.njk', {
      title: 'Sign in',
      breadcrumbs: [{ text: 'Home', href: '/' }],
      values,
      errorSummary: error ? formErrors(error) : undefined,
      emailError: fieldErrors(error)['email'] ?? (error && error.problems.length === 0 ? { text: error.message } : undefined),
    });

  api.get(
    '/sign-in',
    { schema: { hide: true, querystring: z.object({ next: z.string().max(500).optional() }) } },
    async (request, reply) => {
      if (request.actor) return reply.redirect(safeNextPath(request.query.next ?? '/account'), 303);
      return renderSignIn(reply, { next: request.query.next ?? '' });
    },
  );

  api.post(
    '/sign-in',
    {
      schema: {
        hide: true,
        body: z.object({ email: z.string().max(320).default(''), next: z.string().max(500).optional(), ...csrfField }),
      },
    },
    async (request, reply) => {
      const { email, next } = request.body;
      try {
        await identityService.requestSignInLink({ email, ip: request.ip, next: next ? safeNextPath(next) : undefined });
      } catch (error) {
        if (error instanceof RateLimitedError)
          return renderSignIn(
            reply.status(429),
            { email, next: next ?? '' },
            new InputError(error.message, [{ field: 'email', message: error.message }]),
          );
        if (error instanceof InputError) return renderSignIn(reply.status(400), { email, next: next ?? '' }, error);
        if (error instanceof UnavailableError)
          return renderSignIn(
            reply.status(503),
            { email, next: next ?? '' },
            new InputError(error.message, [{ field: 'email', message: error.message }]),
          );
        throw error;
      }
      return reply.redirect('/sign-in/check-your-email', 303);
    },
  );

  app.get('/sign-in/check-your-email', { schema: { hide: true } }, async (_request, reply) =>
    reply.render('identity/views/check-email.njk', { title: 'Check your email', minutes: 15, showOutbox: dependencies.outbox !== null }),
  );

  api.get(
    '/sign-in/link',
    { schema: { hide: true, querystring: z.object({ token: z.string().max(200).default(''), next: z.string().max(500).optional() }) } },
    async (request, reply) =>
      // A link in an email is opened by mail scanners too: a GET only shows a button, so only a person's click uses the link.
      reply
        .header('Cache-Control', 'no-store')
        .header('Referrer-Policy', 'no-referrer')
        .render('identity/views/sign-in-link.njk', {
          title: 'Sign in to Local Digital Commons',
          token: request.query.token,
          next: request.query.next ?? '',
        }),
  );

  api.post(
    '/sign-in/link',
    {
      schema: {
        hide: true,
        body: z.object({ token: z.string().max(200).default(''), next: z.string().max(500).optional(), ...csrfField }),
      },
    },
    async (request, reply) => {
      try {
        const result = await identityService.completeSignIn({
          token: request.body.token,
          userAgent: request.headers['user-agent'] ?? null,
          ip: request.ip,
        });
        reply.header('Set-Cookie', sessionCookie(result.sessionToken, result.sessionMaxAgeSeconds));
        // A CSRF cookie from before sign-in (perhaps planted) never carries over into the session.
        reply.renewCsrfCookie();
        // The first time, a page of what to do next (joining their council first, when they have none), which leads on.
        if (result.firstSignIn) {
          const next = request.body.next ? safeNextPath(request.body.next) : '/';
          return reply.redirect(`/account/welcome${next === '/' ? '' : `?next=${encodeURIComponent(next)}`}`, 303);
        }
        if (result.needsOrganisation) return reply.redirect('/account/join', 303);
        return reply.redirect(safeNextPath(request.body.next || '/account'), 303);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return reply.status(400).render('error.njk', {
          title: 'That sign-in link has expired',
          paragraphs: [error.message],
          links: [{ href: '/sign-in', text: 'Ask for a new sign-in link' }],
        });
      }
    },
  );

  api.post('/sign-out', { schema: { hide: true, body: z.object(csrfField) } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    await identityService.signOut(actor);
    reply.renewCsrfCookie();
    return reply.header('Set-Cookie', sessionCookie('', 0)).redirect('/', 303);
  });

  api.post(
    '/account/sign-out-everywhere',
    { schema: { hide: true, body: z.object({ revokeTokens: z.literal('yes').optional(), ...csrfField }) } },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      await identityService.signOutEverywhere(actor, { revokeTokens: request.body.revokeTokens === 'yes' });
      reply.renewCsrfCookie();
      return reply.header('Set-Cookie', sessionCookie('', 0)).redirect('/', 303);
    },
  );

  const renderAccount = async (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
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
  };

  app.get('/account', { schema: { hide: true } }, async (request, reply) => renderAccount(request, reply));

  api.get(
    '/account/welcome',
    { schema: { hide: true, querystring: z.object({ next: z.string().max(500).optional() }) } },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      const account = await identityService.getAccount(actor);
      const next = request.query.next ? safeNextPath(request.query.next) : null;
      return reply.header('Cache-Control', 'no-store').render('identity/views/welcome.njk', {
        title: 'Welcome to Local Digital Commons',
        account,
        organisationCode: account.organisation ? (account.organisation.gss_code ?? account.organisation.slug) : null,
        next: next === '/' || next === '/account' ? null : next,
      });
    },
  );

  api.post(
    '/account/name',
    { schema: { hide: true, body: z.object({ name: z.string().max(300).default(''), ...csrfField }) } },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      try {
        await identityService.updateName(actor, request.body.name);
        return reply.flash({ heading: 'Your name is saved' }).redirect('/account', 303);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return await renderAccount(request, reply.status(400), { errorSummary: formErrors(error), nameError: fieldErrors(error)['name'] });
      }
    },
  );

  api.post(
    '/account/tokens',
    {
      schema: {
        hide: true,
        body: z.object({
          name: z.string().max(300).default(''),
          scopes: z.union([z.enum(['read', 'write']), z.array(z.enum(['read', 'write']))]).optional(),
          ...csrfField,
        }),
      },
    },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      const scopes =
        request.body.scopes === undefined ? [] : Array.isArray(request.body.scopes) ? request.body.scopes : [request.body.scopes];
      try {
        const created = await identityService.createApiToken(actor, { name: request.body.name, scopes });
        return reply.header('Cache-Control', 'no-store').render('identity/views/token-created.njk', {
          title: 'Your new API token',
          token: created.token,
          name: request.body.name.trim(),
          scopes,
        });
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderAccount(request, reply.status(400), {
          errorSummary: formErrors(error),
          tokenNameError: fieldErrors(error)['name'],
          tokenScopesError: fieldErrors(error)['scopes'],
        });
      }
    },
  );

  api.post(
    '/account/tokens/:id/revoke',
    { schema: { hide: true, params: idParams, body: z.object(csrfField) } },
    async (request, reply) => {
      await identityService.revokeApiToken(requireSignedIn(request), request.params.id);
      return reply
        .flash({ heading: 'The API token is revoked', text: 'Programs using it can no longer read or write.' })
        .redirect('/account', 303);
    },
  );

  api.post(
    '/account/invitations/:id',
    { schema: { hide: true, params: idParams, body: z.object({ decision: z.enum(['accept', 'decline']), ...csrfField }) } },
    async (request, reply) => {
      await identityService.respondToInvitation(requireSignedIn(request), request.params.id, request.body.decision === 'accept');
      return reply
        .flash({ heading: request.body.decision === 'accept' ? 'You have joined the organisation' : 'You declined the invitation' })
        .redirect('/account', 303);
    },
  );

  api.get(
    '/account/join',
    { schema: { hide: true, querystring: z.object({ q: z.string().max(200).optional() }) } },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      const account = await identityService.getAccount(actor);
      const q = request.query.q?.trim();
      const matches = q ? (await organisationsService.listOrganisations({ q, status: 'current', page: 1, pageSize: 20 })).items : [];
      return reply.render('identity/views/join.njk', { title: 'Join your organisation', account, q: q ?? '', matches });
    },
  );

  api.post(
    '/account/join',
    {
      schema: {
        hide: true,
        body: z.object({ organisation: z.string().max(100).default(''), message: z.string().max(2000).default(''), ...csrfField }),
      },
    },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      if (!request.body.organisation) {
        const account = await identityService.getAccount(actor);
        return reply.status(400).render('identity/views/join.njk', {
          title: 'Join your organisation',
          account,
          q: '',
          matches: [],
          errorSummary: [{ text: 'Choose the organisation you work for', href: '#q' }],
        });
      }
      const routing = await identityService.requestToJoin(actor, {
        organisationCode: request.body.organisation,
        message: request.body.message,
      });
      return reply
        .flash({
          heading: `You have asked to join ${routing.organisationName}`,
          text:
            routing.answeredBy === 'organisation-admins'
              ? 'Its admins have been emailed. We will email you when one of them decides.'
              : `${routing.organisationName} has no admin here yet, so the platform’s admins have been emailed: they will check that you work there and answer. We will email you when they decide.`,
          next: {
            href: `/organisations/${encodeURIComponent(routing.organisationCode)}`,
            text: `See ${routing.organisationName}’s page meanwhile`,
          },
        })
        .redirect('/account', 303);
    },
  );

  const organisationIdOf = async (code: string) => (await organisationsService.getOrganisation(code)).id;

  api.get('/manage/organisations/:code/members', { schema: { hide: true, params: codeParams } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const membership = await identityService.getMembership(actor, await organisationIdOf(request.params.code));
    return reply.header('Cache-Control', 'no-store').render('identity/views/members.njk', {
      title: `People at ${membership.organisation?.name ?? 'this organisation'}`,
      code: request.params.code,
      breadcrumbs: [
        { text: 'Home', href: '/' },
        { text: membership.organisation?.name ?? 'Organisation', href: `/organisations/${encodeURIComponent(request.params.code)}` },
      ],
      membership,
      actor,
      roleLabels: ROLE_LABELS,
      grantableRoles: ROLES.filter((role) => identityPolicy.canGrantRole(actor, role)).map((role) => ({
        value: role,
        text: ROLE_LABELS[role],
      })),
      canManageDomains: identityPolicy.canManageDomains(actor),
    });
  });

  api.get('/manage/join-requests', { schema: { hide: true } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const requests = await identityService.listJoinRequestQueue(actor);
    return reply.header('Cache-Control', 'no-store').render('identity/views/join-requests.njk', {
      title: 'Requests to join',
      requests,
      breadcrumbs: [
        { text: 'Home', href: '/' },
        { text: 'Your account', href: '/account' },
      ],
    });
  });

  /** Where a decision leaves the decider: back where they decided (their organisation's people, or the queue). */
  const backFromDecision = (request: FastifyRequest) => safeNextPath(pathOf(request.headers.referer) ?? '/account');

  api.post(
    '/manage/join-requests/:id/approve',
    {
      schema: {
        hide: true,
        params: idParams,
        body: z.object({ role: z.enum(['member', 'organisation-admin']).optional(), ...csrfField }),
      },
    },
    async (request, reply) => {
      const decision = await identityService.decideJoinRequest(requireSignedIn(request), request.params.id, true, {
        role: request.body.role ?? 'member',
      });
      return reply
        .flash({
          heading:
            decision.role === 'organisation-admin'
              ? `${decision.applicantName} is now an admin of ${decision.organisationName}`
              : `${decision.applicantName} is now a member of ${decision.organisationName}`,
          text:
            decision.role === 'organisation-admin'
              ? 'We have emailed them. From now on, they answer requests to join their organisation.'
              : 'We have emailed them to say so.',
        })
        .redirect(backFromDecision(request), 303);
    },
  );

  api.post(
    '/manage/join-requests/:id/refuse',
    { schema: { hide: true, params: idParams, body: z.object(csrfField) } },
    async (request, reply) => {
      const decision = await identityService.decideJoinRequest(requireSignedIn(request), request.params.id, false);
      return reply
        .flash({
          heading: `You refused ${decision.applicantName}’s request to join ${decision.organisationName}`,
          text: 'We have emailed them to say so.',
        })
        .redirect(backFromDecision(request), 303);
    },
  );

  api.post(
    '/manage/members/:id/role',
    { schema: { hide: true, params: idParams, body: z.object({ role: z.enum(ROLES), ...csrfField }) } },
    async (request, reply) => {
      await identityService.changeRole(requireSignedIn(request), request.params.id, request.body.role);
      return reply
        .flash({ heading: `Their role is now ${ROLE_LABELS[request.body.role].toLowerCase()}` })
        .redirect(backFromDecision(request), 303);
    },
  );

  api.post(
    '/manage/members/:id/remove',
    { schema: { hide: true, params: idParams, body: z.object(csrfField) } },
    async (request, reply) => {
      await identityService.removeMember(requireSignedIn(request), request.params.id);
      return reply.flash({ heading: 'They are no longer a member of the organisation' }).redirect(backFromDecision(request), 303);
    },
  );

  api.post(
    '/manage/organisations/:code/invitations',
    {
      schema: {
        hide: true,
        params: codeParams,
        body: z.object({
          email: z.string().max(320).default(''),
          role: z.enum(['member', 'organisation-admin']).default('member'),
          ...csrfField,
        }),
      },
    },
    async (request, reply) => {
      await identityService.invite(requireSignedIn(request), await organisationIdOf(request.params.code), {
        email: request.body.email,
        role: request.body.role,
      });
      return reply
        .flash({ heading: `Invitation sent to ${request.body.email.trim()}`, text: 'They join once they sign in and accept it.' })
        .redirect(`/manage/organisations/${encodeURIComponent(request.params.code)}/members`, 303);
    },
  );

  api.post(
    '/manage/organisations/:code/domains',
    { schema: { hide: true, params: codeParams, body: z.object({ domain: z.string().max(253).default(''), ...csrfField }) } },
    async (request, reply) => {
      await identityService.addEmailDomain(requireSignedIn(request), await organisationIdOf(request.params.code), request.body.domain);
      return reply
        .flash({
          heading: `${request.body.domain.trim()} is now a verified domain`,
          text: 'People signing in with it join the organisation at once.',
        })
        .redirect(`/manage/organisations/${encodeURIComponent(request.params.code)}/members`, 303);
    },
  );

  api.post(
    '/manage/domains/:id/remove',
    { schema: { hide: true, params: idParams, body: z.object(csrfField) } },
    async (request, reply) => {
      await identityService.removeEmailDomain(requireSignedIn(request), request.params.id);
      return reply.flash({ heading: 'The domain is no longer verified' }).redirect(backFromDecision(request), 303);
    },
  );

  const auditColumns: CsvColumn<{
    id: number;
    occurred_at: Date;
    actor_email: string | null;
    channel: string;
    action: string;
    subject_type: string;
    subject_id: string;
    organisation_id: number | null;
    before: unknown;
    after: unknown;
  }>[] = [
    { header: 'id', value: (event) => event.id },
    { header: 'occurred_at', value: (event) => event.occurred_at.toISOString() },
    { header: 'actor', value: (event) => event.actor_email },
    { header: 'channel', value: (event) => event.channel },
    { header: 'action', value: (event) => event.action },
    { header: 'subject_type', value: (event) => event.subject_type },
    { header: 'subject_id', value: (event) => event.subject_id },
    { header: 'organisation_id', value: (event) => event.organisation_id },
    { header: 'before', value: (event) => (event.before === null ? null : JSON.stringify(event.before)) },
    { header: 'after', value: (event) => (event.after === null ? null : JSON.stringify(event.after)) },
  ];

  api.get(
    '/manage/audit',
    {
      schema: {
        hide: true,
        querystring: z.object({
          organisation: z.string().max(100).optional(),
          page: z.coerce.number().int().min(1).default(1),
          format: z.enum(['csv']).optional(),
        }),
      },
    },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      const organisationId = request.query.organisation
        ? await organisationIdOf(request.query.organisation)
        : actor.role === 'platform-admin'
          ? null
          : actor.organisationId;
      const csv = request.query.format === 'csv';
      const pageSize = csv ? 100_000 : 50;
      const { total, rows } = await identityService.listAuditEvents(actor, {
        organisationId,
        page: csv ? 1 : request.query.page,
        pageSize,
      });
      if (csv) return sendCsv(reply.header('Cache-Control', 'no-store'), 'audit-events.csv', auditColumns, rows);
      const scopeQuery: Record<string, string> = request.query.organisation ? { organisation: request.query.organisation } : {};
      return reply.header('Cache-Control', 'no-store').render('identity/views/audit.njk', {
        title: 'Audit trail',
        total,
        events: rows.map((row) => ({
          ...row,
          beforeText: row.before === null ? '' : JSON.stringify(row.before),
          afterText: row.after === null ? '' : JSON.stringify(row.after),
        })),
        pagination: buildPagination('/manage/audit', scopeQuery, request.query.page, pageSize, total),
        csvHref: `/manage/audit?${new URLSearchParams({ ...scopeQuery, format: 'csv' }).toString()}`,
        scope: organisationId === null ? 'every organisation' : 'your organisation',
      });
    },
  );

  if (dependencies.outbox) {
    const outbox = dependencies.outbox;
    app.get('/dev/outbox', { schema: { hide: true } }, async (_request, reply) =>
      reply.header('Cache-Control', 'no-store').render('identity/views/outbox.njk', {
        title: 'Development outbox',
        // Links are shown as paths, so they work whichever address this development server is reached at.
        messages: (await listOutbox(outbox)).map((message) => ({
          ...message,
          link: /\/sign-in\/link\?\S+/.exec(message.body)?.[0] ?? null,
        })),
      }),
    );
  }
}

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
