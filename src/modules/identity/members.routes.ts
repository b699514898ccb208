import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ROLE_LABELS, ROLES } from '../../platform/actor.js';
import { requireSignedIn } from './identity.guards.js';
import { identityPolicy } from './identity.policy.js';
import { backFromDecision, type IdentityRouteDependencies, organisationIdOf } from './identity.http.js';
import { codeParams, csrfOnlyBody, domainBody, idParams, invitationBody, roleBody } from './identity.schemas.js';

/** An organisation’s people for its admins: members, roles, invitations and verified email domains. */
export function registerMemberRoutes(app: FastifyInstance, dependencies: IdentityRouteDependencies): void {
  const { identityService, organisationsService } = dependencies;
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/manage/organisations/:code/members', { schema: { hide: true, params: codeParams } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const membership = await identityService.getMembership(actor, await organisationIdOf(organisationsService, request.params.code));
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

  api.post('/manage/members/:id/role', { schema: { hide: true, params: idParams, body: roleBody } }, async (request, reply) => {
    await identityService.changeRole(requireSignedIn(request), request.params.id, request.body.role);
    return reply
      .flash({ heading: `Their role is now ${ROLE_LABELS[request.body.role].toLowerCase()}` })
      .redirect(backFromDecision(request), 303);
  });

  api.post('/manage/members/:id/remove', { schema: { hide: true, params: idParams, body: csrfOnlyBody } }, async (request, reply) => {
    await identityService.removeMember(requireSignedIn(request), request.params.id);
    return reply.flash({ heading: 'They are no longer a member of the organisation' }).redirect(backFromDecision(request), 303);
  });

  api.post(
    '/manage/organisations/:code/invitations',
    {
      schema: {
        hide: true,
        params: codeParams,
        body: invitationBody,
      },
    },
    async (request, reply) => {
      await identityService.invite(requireSignedIn(request), await organisationIdOf(organisationsService, request.params.code), {
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
    { schema: { hide: true, params: codeParams, body: domainBody } },
    async (request, reply) => {
      await identityService.addEmailDomain(
        requireSignedIn(request),
        await organisationIdOf(organisationsService, request.params.code),
        request.body.domain,
      );
      return reply
        .flash({
          heading: `${request.body.domain.trim()} is now a verified domain`,
          text: 'People signing in with it join the organisation at once.',
        })
        .redirect(`/manage/organisations/${encodeURIComponent(request.params.code)}/members`, 303);
    },
  );

  api.post('/manage/domains/:id/remove', { schema: { hide: true, params: idParams, body: csrfOnlyBody } }, async (request, reply) => {
    await identityService.removeEmailDomain(requireSignedIn(request), request.params.id);
    return reply.flash({ heading: 'The domain is no longer verified' }).redirect(backFromDecision(request), 303);
  });
}
