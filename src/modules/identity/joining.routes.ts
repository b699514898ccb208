import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireSignedIn } from './identity.guards.js';
import { backFromDecision, type IdentityRouteDependencies } from './identity.http.js';
import { approveJoinBody, csrfOnlyBody, idParams, invitationAnswerBody, joinBody, joinSearchQuery } from './identity.schemas.js';

/** Joining an organisation: answering an invitation, asking to join, and deciding on requests. Over 80 lines as a list of route declarations, each a few lines. */
export function registerJoiningRoutes(app: FastifyInstance, dependencies: IdentityRouteDependencies): void {
  const { identityService, organisationsService } = dependencies;
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post('/account/invitations/:id', { schema: { hide: true, params: idParams, body: invitationAnswerBody } }, async (request, reply) => {
    await identityService.respondToInvitation(requireSignedIn(request), request.params.id, request.body.decision === 'accept');
    return reply
      .flash({ heading: request.body.decision === 'accept' ? 'You have joined the organisation' : 'You declined the invitation' })
      .redirect('/account', 303);
  });

  api.get('/account/join', { schema: { hide: true, querystring: joinSearchQuery } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const account = await identityService.getAccount(actor);
    const q = request.query.q?.trim();
    const matches = q ? (await organisationsService.listOrganisations({ q, status: 'current', page: 1, pageSize: 20 })).items : [];
    return reply.render('identity/views/join.njk', { title: 'Join your organisation', account, q: q ?? '', matches });
  });

  api.post(
    '/account/join',
    {
      schema: {
        hide: true,
        body: joinBody,
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

  api.post(
    '/manage/join-requests/:id/approve',
    {
      schema: {
        hide: true,
        params: idParams,
        body: approveJoinBody,
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

  api.post('/manage/join-requests/:id/refuse', { schema: { hide: true, params: idParams, body: csrfOnlyBody } }, async (request, reply) => {
    const decision = await identityService.decideJoinRequest(requireSignedIn(request), request.params.id, false);
    return reply
      .flash({
        heading: `You refused ${decision.applicantName}’s request to join ${decision.organisationName}`,
        text: 'We have emailed them to say so.',
      })
      .redirect(backFromDecision(request), 303);
  });
}
