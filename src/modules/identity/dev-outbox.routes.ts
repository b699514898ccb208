import type { FastifyInstance } from 'fastify';
import { listOutbox } from '../../platform/mail.js';
import type { IdentityRouteDependencies } from './identity.http.js';
import { presentOutboxMessage } from './identity.presenters.js';

/** Development only: the outbox the mailer writes to when there is no mail server. */
export function registerDevOutboxRoutes(app: FastifyInstance, { outbox }: Pick<IdentityRouteDependencies, 'outbox'>): void {
  if (!outbox) return;
  app.get('/dev/outbox', { schema: { hide: true } }, async (_request, reply) =>
    reply.header('Cache-Control', 'no-store').render('identity/views/outbox.njk', {
      title: 'Development outbox',
      // Links are shown as paths, so they work whichever address this development server is reached at.
      messages: (await listOutbox(outbox)).map(presentOutboxMessage),
    }),
  );
}
