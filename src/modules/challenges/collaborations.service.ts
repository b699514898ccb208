import type { Actor } from '../../platform/actor.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import { APPROACH_LABELS, BUDGET_BAND_LABELS } from './challenges.labels.js';
import { challengesPolicy } from './challenges.policy.js';
import { APPROACHES, type Approach, BUDGET_BANDS } from './challenges.tables.js';
import { COLLABORATION_MINIMUM, summariseDemand } from './challenges.records.js';
import { createChallengesCore, type ChallengesCore, type ChallengesDependencies } from './challenges.core.js';

/** Collaborations: a challenge shared by enough councils becomes a proposal to work on together. Over 80 lines as a set of short methods sharing one set of dependencies. */
export function createCollaborationsService(deps: ChallengesDependencies, core: ChallengesCore = createChallengesCore(deps)) {
  const { challengesRepository, transaction } = deps;
  const { audit, summary, sharer, visibleChallenge, componentReference } = core;

  return {
    /** Turns a challenge shared by three or more councils into a collaboration proposal. */
    async proposeCollaboration(
      actor: Actor,
      id: number,
      input: {
        leadOrganisationId: number;
        partnerOrganisationIds: readonly number[];
        approach: string;
        componentSlug?: string;
        summary?: string;
      },
    ): Promise<void> {
      const challenge = await visibleChallenge(id, actor);
      const sharers = await challengesRepository.listSharers(id, challenge.owner_organisation_id);
      const sharing = sharers.map((entry) => entry.organisation_id);
      if (!challengesPolicy.canPropose(actor, sharing))
        throw new NotAllowedError('Only a council that shares this challenge can propose a collaboration');
      if (sharing.length < COLLABORATION_MINIMUM)
        throw new ConflictError(`A collaboration needs at least ${COLLABORATION_MINIMUM} councils sharing the challenge`);
      const problems: { field: string; message: string }[] = [];
      if (!sharing.includes(input.leadOrganisationId))
        problems.push({ field: 'lead', message: 'Choose the lead council from those sharing' });
      const partners = [...new Set(input.partnerOrganisationIds)].filter((partner) => partner !== input.leadOrganisationId);
      if (partners.some((partner) => !sharing.includes(partner)))
        problems.push({ field: 'partners', message: 'Partners must be councils that share this challenge' });
      if (partners.length + 1 < COLLABORATION_MINIMUM)
        problems.push({ field: 'partners', message: `Choose at least ${COLLABORATION_MINIMUM - 1} partner councils besides the lead` });
      if (!APPROACHES.includes(input.approach as Approach))
        problems.push({ field: 'approach', message: 'Choose how you will work together' });
      const componentSlug = input.componentSlug?.trim().toLowerCase() || null;
      if (input.approach === 'reuse-component' && !componentSlug)
        problems.push({ field: 'componentSlug', message: 'Enter the component you will reuse' });
      if (problems.length > 0) throw new InputError(problems[0]?.message ?? 'Check the proposal', problems);
      await transaction(async (repository, trx) => {
        if (await repository.findCollaboration(id)) throw new ConflictError('This challenge already has a collaboration proposal');
        const row = await repository.insertCollaboration({
          challenge_id: id,
          lead_organisation_id: input.leadOrganisationId,
          partner_organisation_ids: partners,
          approach: input.approach as Approach,
          component_slug: componentSlug,
          summary: (input.summary ?? '').trim().slice(0, 5000),
          created_by: actor.userId,
        });
        await audit(trx, actor, {
          action: 'challenge.propose-collaboration',
          subjectType: 'challenge-collaboration',
          subjectId: row.id,
          organisationId: input.leadOrganisationId,
          before: null,
          after: row,
        });
      });
    },

    /** A collaboration proposal with its lead, partners and their combined demand. */
    async getCollaboration(id: number, actor: Actor | null = null) {
      const challenge = await visibleChallenge(id, actor);
      const proposal = await challengesRepository.findCollaboration(id);
      if (!proposal) throw new NotFoundError('This challenge has no collaboration proposal yet');
      const members = [proposal.lead_organisation_id, ...proposal.partner_organisation_ids];
      const sharers = (await challengesRepository.listSharers(id, challenge.owner_organisation_id))
        .filter((row) => members.includes(row.organisation_id))
        .map((row) => ({ ...sharer(row, challenge.owner_organisation_id), lead: row.organisation_id === proposal.lead_organisation_id }))
        .sort((a, b) => Number(b.lead) - Number(a.lead) || a.name.localeCompare(b.name));
      const component = proposal.component_slug ? await componentReference(proposal.component_slug) : null;
      return {
        challenge: summary(challenge),
        approach: proposal.approach,
        approachLabel: APPROACH_LABELS[proposal.approach],
        summary: proposal.summary,
        component,
        lead: sharers.find((entry) => entry.lead) ?? null,
        partners: sharers,
        demand: summariseDemand(sharers),
        budgetBands: BUDGET_BANDS.map((band) => ({
          band,
          label: BUDGET_BAND_LABELS[band],
          count: sharers.filter((entry) => entry.budgetBand === band).length,
        })).filter((entry) => entry.count > 0),
        createdAt: proposal.created_at.toISOString(),
      };
    },
  };
}
