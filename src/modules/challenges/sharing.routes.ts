import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InputError, NotAllowedError } from '../../platform/errors.js';
import { challengesPolicy } from './challenges.policy.js';
import { requireSignedIn } from '../identity/index.js';
import type { ChallengesService } from './challenges.service.js';
import { formErrors, fieldErrors } from '../../platform/http/forms.js';
import { csrfField, idParams, text } from './challenges.schemas.js';
import { formOptions } from './challenges.presenters.js';
import { refusalFor, renderAccessNeeded } from './challenges.http.js';

/** Sharing a challenge: a council joins (with its scale, budget and timing) or leaves. Over 80 lines as a list of route declarations, each a few lines. */
export function registerSharingRoutes(app: FastifyInstance, { challengesService }: { challengesService: ChallengesService }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  const shareBodySchema = z.object({
    scale: text(20),
    scaleUnit: text(20),
    budgetBand: text(50),
    timing: text(300),
    comment: text(3000),
    ...csrfField,
  });

  const renderJoin = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    values: Partial<Record<string, string>>,
    error?: InputError,
    refusal?: unknown,
  ) => {
    const challenge = await challengesService.getChallenge(id, request.actor);
    return reply.header('Cache-Control', 'no-store').render('challenges/views/join.njk', {
      title: `We have this too: ${challenge.title}`,
      challenge,
      values,
      accessRefusal: refusal,
      errorSummary: error ? formErrors(error) : undefined,
      errors: fieldErrors(error),
      ...formOptions(values),
      breadcrumbs: [
        { text: 'Challenges', href: '/challenges' },
        { text: challenge.title, href: challenge.url },
      ],
    });
  };

  api.get('/challenges/:id/join', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    if (!challengesPolicy.canSpeakForCouncil(actor)) {
      const challenge = await challengesService.getChallenge(request.params.id, actor);
      return renderAccessNeeded(reply, request, 'council', 'say your council has this challenge too', {
        title: `We have this too: ${challenge.title}`,
        back: { href: challenge.url, text: 'Back to the challenge' },
      });
    }
    return renderJoin(request, reply, request.params.id, {});
  });

  api.post('/challenges/:id/join', { schema: { hide: true, params: idParams, body: shareBodySchema } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const { _csrf: _token, ...values } = request.body;
    try {
      await challengesService.joinChallenge(actor, request.params.id, values);
      return reply
        .flash({
          heading: `${actor.organisationName ?? 'Your council'} now shares this challenge`,
          text: 'Your council now counts in its demand. You can leave it at any time from this page.',
          next: { href: '/challenges', text: 'Find other challenges your council has' },
        })
        .redirect(`/challenges/${request.params.id}`, 303);
    } catch (error) {
      if (error instanceof NotAllowedError)
        return renderJoin(
          request,
          reply.status(403),
          request.params.id,
          values,
          undefined,
          refusalFor(request, 'council', 'say your council has this challenge too'),
        );
      if (!(error instanceof InputError)) throw error;
      return renderJoin(request, reply.status(400), request.params.id, values, error);
    }
  });

  api.post('/challenges/:id/leave', { schema: { hide: true, params: idParams, body: z.object(csrfField) } }, async (request, reply) => {
    await challengesService.leaveChallenge(requireSignedIn(request), request.params.id);
    return reply
      .flash({ heading: 'Your council no longer shares this challenge', text: 'It no longer counts in the challenge’s demand.' })
      .redirect(`/challenges/${request.params.id}`, 303);
  });
}
