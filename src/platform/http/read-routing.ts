import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type ReadPreference, runWithReadPreference } from '../database/read-routing.js';
import { readCookie, serialiseCookie } from './cookies.js';

declare module 'fastify' {
  interface FastifyRequest {
    readPreference: ReadPreference | null;
  }
}

/** Set on every response to a request that could have changed something; while present, that browser reads the primary. */
export const PRIMARY_PIN_COOKIE = 'commons_primary';
/** Far longer than a healthy streaming replica lags (well under a second), short enough to keep the primary's load small. */
export const READ_YOUR_WRITES_SECONDS = 30;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Chooses, per request, whether its reads may come from the read replica (see `database/read-routing.ts`):
 * only GET and HEAD requests of anonymous readers (public pages and API reads) who have changed nothing in the last
 * READ_YOUR_WRITES_SECONDS. People signed in, API clients with a token and anyone who just wrote read the primary,
 * so everyone sees their own changes at once. A request that writes (any POST, or a GET that wrote) sets the cookie.
 */
export function registerReadRouting(
  app: FastifyInstance,
  options: { secureCookies: boolean; identified: (request: FastifyRequest) => boolean },
): void {
  app.decorateRequest('readPreference', null);
  app.addHook('onRequest', (request, _reply, done) => {
    const replica = SAFE_METHODS.has(request.method) && !options.identified(request) && !readCookie(request, PRIMARY_PIN_COOKIE);
    const preference: ReadPreference = { readFrom: replica ? 'replica' : 'primary', wrote: false };
    request.readPreference = preference;
    runWithReadPreference(preference, done);
  });
  // Body parsing can leave the request's async context; the handler runs in it again.
  app.addHook('preHandler', (request, _reply, done) => {
    if (request.readPreference) runWithReadPreference(request.readPreference, done);
    else done();
  });
  app.addHook('onSend', async (request, reply) => {
    if (!SAFE_METHODS.has(request.method) || request.readPreference?.wrote) {
      reply.header(
        'set-cookie',
        serialiseCookie(PRIMARY_PIN_COOKIE, '1', { secure: options.secureCookies, maxAgeSeconds: READ_YOUR_WRITES_SECONDS }),
      );
    }
  });
}
