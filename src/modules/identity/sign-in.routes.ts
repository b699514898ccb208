import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { InputError, RateLimitedError, UnavailableError } from '../../platform/errors.js';
import { safeNextPath } from '../../platform/http/redirects.js';
import { formErrors, fieldErrors } from '../../platform/http/forms.js';
import { type IdentityRouteDependencies, sessionCookieFor } from './identity.http.js';
import { nextQuery, signInBody, signInLinkBody, signInLinkQuery } from './identity.schemas.js';

/** Signing in by email link: asking for a link, the page it opens, and using it. Over 80 lines as a list of route declarations, each a few lines. */
export function registerSignInRoutes(app: FastifyInstance, dependencies: IdentityRouteDependencies): void {
  const { identityService } = dependencies;
  const api = app.withTypeProvider<ZodTypeProvider>();

  const sessionCookie = sessionCookieFor(dependencies);

  const renderSignIn = (reply: FastifyReply, values: { email?: string; next?: string }, error?: InputError) =>
    reply.render('identity/views/sign-in.njk', {
      title: 'Sign in',
      breadcrumbs: [{ text: 'Home', href: '/' }],
      values,
      errorSummary: error ? formErrors(error) : undefined,
      emailError: fieldErrors(error)['email'] ?? (error && error.problems.length === 0 ? { text: error.message } : undefined),
    });

  api.get('/sign-in', { schema: { hide: true, querystring: nextQuery } }, async (request, reply) => {
    if (request.actor) return reply.redirect(safeNextPath(request.query.next ?? '/account'), 303);
    return renderSignIn(reply, { next: request.query.next ?? '' });
  });

  api.post(
    '/sign-in',
    {
      schema: {
        hide: true,
        body: signInBody,
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

  api.get('/sign-in/link', { schema: { hide: true, querystring: signInLinkQuery } }, async (request, reply) =>
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
        body: signInLinkBody,
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
}
