import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InputError } from '../../platform/errors.js';
import { requireSignedIn } from '../identity/index.js';
import { APPROACH_LABELS } from './challenges.labels.js';
import type { ChallengesService } from './challenges.service.js';
import { APPROACHES } from './challenges.tables.js';
import { formErrors, fieldErrors } from '../../platform/http/forms.js';
import { idSchema } from '../../platform/http/ids.js';
import { csrfField, idParams, list, text } from './challenges.schemas.js';

/** Collaborations: proposing to work together on a shared challenge, and the proposal’s page. Over 80 lines as a list of route declarations, each a few lines. */
export function registerCollaborationRoutes(app: FastifyInstance, { challengesService }: { challengesService: ChallengesService }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  const collaborationBodySchema = z.object({
    lead: idSchema.optional(),
    partners: z.union([idSchema, z.array(idSchema)]).optional(),
    approach: text(50),
    componentSlug: text(200),
    summary: text(6000),
    ...csrfField,
  });

  const renderPropose = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    values: z.infer<typeof collaborationBodySchema>,
    error?: InputError,
  ) => {
    const challenge = await challengesService.getChallenge(id, request.actor);
    const partners = list(values.partners);
    return reply.header('Cache-Control', 'no-store').render('challenges/views/collaboration-new.njk', {
      title: `Propose a collaboration: ${challenge.title}`,
      challenge,
      values,
      leadOptions: challenge.sharers.map((sharer) => ({
        value: String(sharer.organisationId),
        text: sharer.name,
        checked: values.lead === sharer.organisationId,
      })),
      partnerOptions: challenge.sharers.map((sharer) => ({
        value: String(sharer.organisationId),
        text: sharer.name,
        checked: values.lead === undefined ? true : partners.includes(sharer.organisationId),
      })),
      approachOptions: APPROACHES.map((approach) => ({
        value: approach,
        text: APPROACH_LABELS[approach],
        checked: values.approach === approach,
      })),
      errorSummary: error ? formErrors(error) : undefined,
      errors: fieldErrors(error),
      breadcrumbs: [
        { text: 'Challenges', href: '/challenges' },
        { text: challenge.title, href: challenge.url },
      ],
    });
  };

  api.get('/challenges/:id/collaboration/new', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    requireSignedIn(request);
    return renderPropose(request, reply, request.params.id, { approach: '', componentSlug: '', summary: '' });
  });

  api.post(
    '/challenges/:id/collaboration',
    { schema: { hide: true, params: idParams, body: collaborationBodySchema } },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      try {
        await challengesService.proposeCollaboration(actor, request.params.id, {
          leadOrganisationId: request.body.lead ?? 0,
          partnerOrganisationIds: list(request.body.partners),
          approach: request.body.approach,
          componentSlug: request.body.componentSlug,
          summary: request.body.summary,
        });
        return reply.redirect(`/challenges/${request.params.id}/collaboration`, 303);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderPropose(request, reply.status(400), request.params.id, request.body, error);
      }
    },
  );

  api.get(
    '/challenges/:id/collaboration',
    { config: { publicCache: true }, schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const { id } = request.params;
      const collaboration = await challengesService.getCollaboration(id, request.actor);
      return reply.render('challenges/views/collaboration.njk', {
        title: `Collaboration: ${collaboration.challenge.title}`,
        collaboration,
        breadcrumbs: [
          { text: 'Challenges', href: '/challenges' },
          { text: collaboration.challenge.title, href: collaboration.challenge.url },
        ],
      });
    },
  );
}
