import type { Actor } from '../../platform/actor.js';
import { ConflictError, InputError, NotAllowedError } from '../../platform/errors.js';
import { challengesPolicy } from './challenges.policy.js';
import { type ComponentRelation, STAGES, type Stage } from './challenges.tables.js';
import type { ChallengeInput } from './challenges.types.js';
import { pickEditable } from './challenges.records.js';
import { validateChallenge, validateShare } from './challenges.validation.js';
import { createChallengesCore, type ChallengesCore, type ChallengesDependencies } from './challenges.core.js';

/** Posting and managing challenges: create, edit, move through stages, confirm, link components and merge duplicates. Over 80 lines as a set of short methods sharing one set of dependencies. */
export function createAuthoringService(deps: ChallengesDependencies, core: ChallengesCore = createChallengesCore(deps)) {
  const { challengesRepository, transaction, clock, findComponent = null } = deps;
  const { audit, managedChallenge, visibleChallenge, requireCouncil } = core;

  return {
    /** Posts a challenge for the actor's council, with the council as its first sharer; returns its number. */
    async createChallenge(actor: Actor, input: ChallengeInput): Promise<number> {
      const organisation = await requireCouncil(actor);
      const values = validateChallenge(input);
      const share = validateShare({ scale: input.scale, scaleUnit: input.scaleUnit, budgetBand: input.budgetBand });
      return transaction(async (repository, trx) => {
        const row = await repository.insertChallenge({
          ...values,
          stage: 'identified',
          owner_organisation_id: organisation.id,
          created_by: actor.userId,
          contact_name: values.contact_name || (actor.name ?? ''),
          contact_email: values.contact_email || actor.email,
        });
        await repository.insertStageHistory({ challenge_id: row.id, stage: 'identified', note: 'Posted', changed_by: actor.userId });
        await repository.insertSharer({ challenge_id: row.id, organisation_id: organisation.id, joined_by: actor.userId, ...share });
        await audit(trx, actor, {
          action: 'challenge.create',
          subjectType: 'challenge',
          subjectId: row.id,
          organisationId: organisation.id,
          before: null,
          after: { ...row, share },
        });
        return row.id;
      });
    },

    /** Changes what a challenge says, or publishes a draft. */
    async updateChallenge(actor: Actor, id: number, input: ChallengeInput): Promise<void> {
      const current = await managedChallenge(id, actor);
      const values = validateChallenge(input);
      await transaction(async (repository, trx) => {
        const after = await repository.updateChallenge(id, { ...values, updated_at: clock() });
        await audit(trx, actor, {
          action: 'challenge.update',
          subjectType: 'challenge',
          subjectId: id,
          organisationId: current.owner_organisation_id,
          before: pickEditable(current),
          after: pickEditable(after),
        });
      });
    },

    /** Moves a challenge to a new stage, recorded with the date and a note. */
    async changeStage(actor: Actor, id: number, stage: Stage, note: string): Promise<void> {
      const current = await managedChallenge(id, actor);
      if (!STAGES.includes(stage)) throw new InputError('Choose a stage', [{ field: 'stage', message: 'Choose a stage' }]);
      await transaction(async (repository, trx) => {
        await repository.updateChallenge(id, { stage, updated_at: clock() });
        await repository.insertStageHistory({ challenge_id: id, stage, note: note.trim().slice(0, 1000), changed_by: actor.userId });
        await audit(trx, actor, {
          action: 'challenge.change-stage',
          subjectType: 'challenge',
          subjectId: id,
          organisationId: current.owner_organisation_id,
          before: { stage: current.stage },
          after: { stage, note: note.trim() },
        });
      });
    },

    /** The owner confirms the challenge is still live: it stops being stale. */
    async confirmChallenge(actor: Actor, id: number): Promise<void> {
      const current = await managedChallenge(id, actor);
      await transaction(async (repository, trx) => {
        const after = await repository.updateChallenge(id, { updated_at: clock() });
        await audit(trx, actor, {
          action: 'challenge.confirm',
          subjectType: 'challenge',
          subjectId: id,
          organisationId: current.owner_organisation_id,
          before: { updatedAt: current.updated_at.toISOString() },
          after: { updatedAt: after.updated_at.toISOString() },
        });
      });
    },

    /** Links a catalogue component that might solve a challenge, or marks the challenge solved by it. */
    async linkComponent(
      actor: Actor,
      id: number,
      input: { componentSlug: string; relation: ComponentRelation; note?: string },
    ): Promise<void> {
      const challenge = await managedChallenge(id, actor);
      const slug = input.componentSlug.trim().toLowerCase();
      if (!/^[a-z0-9][a-z0-9-]{0,150}$/.test(slug))
        throw new InputError('Enter the component’s short name', [
          { field: 'componentSlug', message: 'Enter the component’s short name from its address, like open-referral-uk' },
        ]);
      if (findComponent && !(await findComponent(slug)))
        throw new InputError('There is no such component', [
          { field: 'componentSlug', message: `There is no component called ${slug} in the catalogue` },
        ]);
      await transaction(async (repository, trx) => {
        const { before, after } = await repository.upsertComponentLink({
          challenge_id: id,
          component_slug: slug,
          relation: input.relation,
          note: (input.note ?? '').trim().slice(0, 1000),
          added_by: actor.userId,
        });
        if (input.relation === 'solved-by' && challenge.stage !== 'solved') {
          await repository.updateChallenge(id, { stage: 'solved', updated_at: clock() });
          await repository.insertStageHistory({ challenge_id: id, stage: 'solved', note: `Solved by ${slug}`, changed_by: actor.userId });
        } else {
          await repository.updateChallenge(id, { updated_at: clock() });
        }
        await audit(trx, actor, {
          action: 'challenge.link-component',
          subjectType: 'challenge',
          subjectId: id,
          organisationId: challenge.owner_organisation_id,
          before: before
            ? { componentSlug: before.component_slug, relation: before.relation, stage: challenge.stage }
            : { stage: challenge.stage },
          after: {
            componentSlug: after.component_slug,
            relation: after.relation,
            stage: input.relation === 'solved-by' ? 'solved' : challenge.stage,
          },
        });
      });
    },

    /** Merges a duplicate into another challenge, keeping every supporter (each council once) and every response. */
    async mergeChallenge(actor: Actor, duplicateId: number, intoId: number): Promise<{ moved: number; alreadySharing: number }> {
      if (!challengesPolicy.canMerge(actor)) throw new NotAllowedError('Only platform admins can merge challenges');
      if (duplicateId === intoId)
        throw new InputError('A challenge cannot be merged into itself', [{ field: 'into', message: 'Choose a different challenge' }]);
      const duplicate = await visibleChallenge(duplicateId, actor);
      const target = await challengesRepository.findChallenge(intoId);
      if (!target || target.merged_into_id !== null)
        throw new InputError('Choose a challenge to merge into', [
          { field: 'into', message: `There is no open challenge number ${intoId}` },
        ]);
      if (duplicate.merged_into_id !== null) throw new ConflictError('This challenge has already been merged');
      return transaction(async (repository, trx) => {
        const result = await repository.moveSharers(duplicateId, intoId, clock());
        await repository.moveResponses(duplicateId, intoId);
        await repository.updateChallenge(duplicateId, { merged_into_id: intoId, stage: 'closed', updated_at: clock() });
        await repository.insertStageHistory({
          challenge_id: duplicateId,
          stage: 'closed',
          note: `Merged into challenge ${intoId}`,
          changed_by: actor.userId,
        });
        await audit(trx, actor, {
          action: 'challenge.merge',
          subjectType: 'challenge',
          subjectId: duplicateId,
          organisationId: duplicate.owner_organisation_id,
          before: { mergedInto: null, stage: duplicate.stage },
          after: { mergedInto: intoId, stage: 'closed', ...result },
        });
        return result;
      });
    },
  };
}
