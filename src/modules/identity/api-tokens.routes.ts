import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { InputError } from '../../platform/errors.js';
import { requireSignedIn } from './identity.guards.js';
import { formErrors, fieldErrors } from '../../platform/http/forms.js';
import { type IdentityRouteDependencies, renderAccount } from './identity.http.js';
import { apiTokenBody, csrfOnlyBody, idParams } from './identity.schemas.js';

/** Making and revoking API tokens from the account page. */
export function registerApiTokenRoutes(app: FastifyInstance, dependencies: IdentityRouteDependencies): void {
  const { identityService } = dependencies;
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/account/tokens',
    {
      schema: {
        hide: true,
        body: apiTokenBody,
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
        return renderAccount(identityService, request, reply.status(400), {
          errorSummary: formErrors(error),
          tokenNameError: fieldErrors(error)['name'],
          tokenScopesError: fieldErrors(error)['scopes'],
        });
      }
    },
  );

  api.post('/account/tokens/:id/revoke', { schema: { hide: true, params: idParams, body: csrfOnlyBody } }, async (request, reply) => {
    await identityService.revokeApiToken(requireSignedIn(request), request.params.id);
    return reply
      .flash({ heading: 'The API token is revoked', text: 'Programs using it can no longer read or write.' })
      .redirect('/account', 303);
  });
}
