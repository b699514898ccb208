import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireSignedIn } from './identity.guards.js';
import { readCookie } from '../../platform/http/cookies.js';
import { SESSION_COOKIE, type IdentityRouteDependencies, sessionCookieFor } from './identity.http.js';
import { csrfOnlyBody, signOutEverywhereBody } from './identity.schemas.js';

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

/** Signing out of this browser, or of every browser and device. */
export function registerSessionRoutes(app: FastifyInstance, dependencies: IdentityRouteDependencies): void {
  const { identityService } = dependencies;
  const api = app.withTypeProvider<ZodTypeProvider>();

  const sessionCookie = sessionCookieFor(dependencies);

  api.post('/sign-out', { schema: { hide: true, body: csrfOnlyBody } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    await identityService.signOut(actor);
    reply.renewCsrfCookie();
    return reply.header('Set-Cookie', sessionCookie('', 0)).redirect('/', 303);
  });

  api.post('/account/sign-out-everywhere', { schema: { hide: true, body: signOutEverywhereBody } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    await identityService.signOutEverywhere(actor, { revokeTokens: request.body.revokeTokens === 'yes' });
    reply.renewCsrfCookie();
    return reply.header('Set-Cookie', sessionCookie('', 0)).redirect('/', 303);
  });
}
