import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { InputError } from '../../platform/errors.js';
import { safeNextPath } from '../../platform/http/redirects.js';
import { requireSignedIn } from './identity.guards.js';
import { formErrors, fieldErrors } from '../../platform/http/forms.js';
import { type IdentityRouteDependencies, renderAccount } from './identity.http.js';
import { nameBody, nextQuery } from './identity.schemas.js';

/** The account page, the welcome page after a first sign-in, and changing one’s name. */
export function registerAccountRoutes(app: FastifyInstance, dependencies: IdentityRouteDependencies): void {
  const { identityService } = dependencies;
  const api = app.withTypeProvider<ZodTypeProvider>();

  app.get('/account', { schema: { hide: true } }, async (request, reply) => renderAccount(identityService, request, reply));

  api.get('/account/welcome', { schema: { hide: true, querystring: nextQuery } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const account = await identityService.getAccount(actor);
    const next = request.query.next ? safeNextPath(request.query.next) : null;
    return reply.header('Cache-Control', 'no-store').render('identity/views/welcome.njk', {
      title: 'Welcome to Local Digital Commons',
      account,
      organisationCode: account.organisation ? (account.organisation.gss_code ?? account.organisation.slug) : null,
      next: next === '/' || next === '/account' ? null : next,
    });
  });

  api.post('/account/name', { schema: { hide: true, body: nameBody } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    try {
      await identityService.updateName(actor, request.body.name);
      return reply.flash({ heading: 'Your name is saved' }).redirect('/account', 303);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return await renderAccount(identityService, request, reply.status(400), {
        errorSummary: formErrors(error),
        nameError: fieldErrors(error)['name'],
      });
    }
  });
}
