import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InputError, NotAllowedError } from '../../platform/errors.js';
import { challengesPolicy } from './challenges.policy.js';
import { requireSignedIn } from '../identity/index.js';
import type { ChallengesService } from './challenges.service.js';
import { formErrors, fieldErrors } from '../../platform/http/forms.js';
import { idSchema } from '../../platform/http/ids.js';
import { csrfField, idParams, text } from './challenges.schemas.js';
import { refusalFor, renderAccessNeeded } from './challenges.http.js';

/** Responses to a challenge: offering one, and its owners publishing or rejecting them. Over 80 lines as a list of route declarations, each a few lines. */
export function registerResponseRoutes(app: FastifyInstance, { challengesService }: { challengesService: ChallengesService }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  const responseBodySchema = z.object({ offer: text(6000), evidence: text(6000), priceModel: text(1200), ...csrfField });

  const renderRespond = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    values: Partial<Record<string, string>>,
    error?: InputError,
    refusal?: unknown,
  ) => {
    const challenge = await challengesService.getChallenge(id, request.actor);
    return reply.header('Cache-Control', 'no-store').render('challenges/views/respond.njk', {
      title: `Respond to: ${challenge.title}`,
      challenge,
      values,
      accessRefusal: refusal,
      errorSummary: error ? formErrors(error) : undefined,
      errors: fieldErrors(error),
      breadcrumbs: [
        { text: 'Challenges', href: '/challenges' },
        { text: challenge.title, href: challenge.url },
      ],
    });
  };

  api.get('/challenges/:id/respond', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    if (!challengesPolicy.canRespond(actor)) {
      const challenge = await challengesService.getChallenge(request.params.id, actor);
      return renderAccessNeeded(reply, request, 'supplier', 'respond to a challenge', {
        title: `Respond to: ${challenge.title}`,
        back: { href: challenge.url, text: 'Back to the challenge' },
      });
    }
    return renderRespond(request, reply, request.params.id, {});
  });

  api.post('/challenges/:id/responses', { schema: { hide: true, params: idParams, body: responseBodySchema } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const { _csrf: _token, ...values } = request.body;
    try {
      await challengesService.respondToChallenge(actor, request.params.id, values);
      return reply
        .flash({
          heading: 'Your response is sent',
          text: 'The council that raised the challenge checks each response before it is shown on this page.',
          next: { href: '/challenges', text: 'Find other challenges to respond to' },
        })
        .redirect(`/challenges/${request.params.id}#responses`, 303);
    } catch (error) {
      if (error instanceof NotAllowedError)
        return renderRespond(
          request,
          reply.status(403),
          request.params.id,
          values,
          undefined,
          refusalFor(request, 'supplier', 'respond to a challenge'),
        );
      if (!(error instanceof InputError)) throw error;
      return renderRespond(request, reply.status(400), request.params.id, values, error);
    }
  });

  api.post(
    '/challenges/:id/responses/:responseId/moderate',
    {
      schema: {
        hide: true,
        params: idParams.extend({ responseId: idSchema }),
        body: z.object({ decision: z.enum(['publish', 'reject']), note: text(1000), ...csrfField }),
      },
    },
    async (request, reply) => {
      await challengesService.moderateResponse(
        requireSignedIn(request),
        request.params.id,
        request.params.responseId,
        request.body.decision,
        request.body.note,
      );
      return reply.redirect(`/challenges/${request.params.id}#responses`, 303);
    },
  );
}
