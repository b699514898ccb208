import type { Actor } from '../../platform/actor.js';
import { InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import { challengesPolicy } from './challenges.policy.js';
import { createChallengesCore, type ChallengesCore, type ChallengesDependencies } from './challenges.core.js';

/** Responses: suppliers and others answer a challenge, and its owners moderate what they say. */
export function createResponsesService(deps: ChallengesDependencies, core: ChallengesCore = createChallengesCore(deps)) {
  const { challengesRepository, transaction, clock } = deps;
  const { audit, visibleChallenge, managedChallenge } = core;

  return {
    /** A supplier publishes a response (offer, case evidence, price model), which the owning council moderates. */
    async respondToChallenge(actor: Actor, id: number, input: { offer: string; evidence?: string; priceModel?: string }): Promise<number> {
      const challenge = await visibleChallenge(id, actor);
      if (!challengesPolicy.canRespond(actor) || actor.organisationId === null)
        throw new NotAllowedError('Only supplier accounts can respond to challenges');
      const offer = input.offer.trim();
      if (!offer) throw new InputError('Enter what you offer', [{ field: 'offer', message: 'Enter what you offer for this challenge' }]);
      if (offer.length > 5000)
        throw new InputError('What you offer must be 5,000 characters or fewer', [
          { field: 'offer', message: 'What you offer must be 5,000 characters or fewer' },
        ]);
      const supplierOrganisationId = actor.organisationId;
      const id_ = await transaction(async (repository, trx) => {
        const row = await repository.insertResponse({
          challenge_id: id,
          supplier_organisation_id: supplierOrganisationId,
          author_id: actor.userId,
          offer,
          evidence: (input.evidence ?? '').trim().slice(0, 5000),
          price_model: (input.priceModel ?? '').trim().slice(0, 1000),
        });
        await audit(trx, actor, {
          action: 'challenge-response.create',
          subjectType: 'challenge-response',
          subjectId: row.id,
          organisationId: challenge.owner_organisation_id,
          before: null,
          after: row,
        });
        return row.id;
      });
      return id_;
    },

    /** The owning council publishes or rejects a supplier's response. */
    async moderateResponse(
      actor: Actor,
      challengeId: number,
      responseId: number,
      decision: 'publish' | 'reject',
      note = '',
    ): Promise<void> {
      const challenge = await managedChallenge(challengeId, actor);
      const response = await challengesRepository.findResponse(responseId);
      if (!response || response.challenge_id !== challengeId) throw new NotFoundError('No such response to this challenge');
      await transaction(async (repository, trx) => {
        const after = await repository.moderateResponse(responseId, {
          status: decision === 'publish' ? 'published' : 'rejected',
          moderated_by: actor.userId,
          moderated_at: clock(),
          moderation_note: note.trim().slice(0, 1000),
        });
        await audit(trx, actor, {
          action: `challenge-response.${decision}`,
          subjectType: 'challenge-response',
          subjectId: responseId,
          organisationId: challenge.owner_organisation_id,
          before: { status: response.status },
          after: { status: after.status, note: after.moderation_note },
        });
      });
    },
  };
}
