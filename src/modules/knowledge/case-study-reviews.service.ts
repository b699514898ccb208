import type { Actor } from '../../platform/actor.js';
import { recordAuditEvent } from '../../platform/audit.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import type { CaseStudiesCore, CaseStudiesDependencies } from './case-studies.core.js';
import { parseReplicationInput, type ReplicationInput } from './case-studies.input.js';
import { knowledgePolicy } from './knowledge.policy.js';

/** The review that confirms a case study’s evidence level (or returns it), and replications by other councils. Over 80 lines as a set of short methods sharing one set of dependencies. */
export function createCaseStudyReviewsService(
  { knowledgeRepository, transaction, clock, onChanged = () => Promise.resolve() }: CaseStudiesDependencies,
  { requireCaseStudy }: CaseStudiesCore,
) {
  return {
    /**
     * A reviewer from another organisation or the institute confirms a level (at most the claimed one) and publishes,
     * or returns the case study with what to change.
     */
    async reviewCaseStudy(
      actor: Actor,
      slug: string,
      decision: { outcome: 'confirm' | 'return'; confirmedLevel?: number; note: string },
    ): Promise<void> {
      const row = await requireCaseStudy(slug);
      if (!knowledgePolicy.canReviewCaseStudy(actor, row.organisation_id))
        throw new NotAllowedError('A case study is reviewed by someone from another council or the institute');
      if (row.status !== 'submitted') throw new ConflictError('This case study is not waiting for a review');
      const note = decision.note.trim();
      if (decision.outcome === 'return' && note === '')
        throw new InputError('Say what the authors should change', [
          { field: 'note', message: 'Say what the authors should change before it can be published' },
        ]);
      const level = decision.confirmedLevel;
      if (decision.outcome === 'confirm' && (level === undefined || !Number.isInteger(level) || level < 1 || level > row.claimed_level))
        throw new InputError('Choose the level the evidence supports', [
          { field: 'confirmedLevel', message: `Choose a level from 1 to ${row.claimed_level} (the level the authors claimed)` },
        ]);
      if (decision.outcome === 'confirm' && level !== undefined && level < row.claimed_level && note === '')
        throw new InputError('Say why the level is lower than claimed', [
          { field: 'note', message: 'Say why the evidence supports a lower level than claimed' },
        ]);
      const now = clock();
      await transaction(async (repository, trx) => {
        await repository.updateCaseStudy(row.id, {
          status: decision.outcome === 'confirm' ? 'published' : 'returned',
          confirmed_level: decision.outcome === 'confirm' ? (level ?? null) : null,
          reviewer_id: actor.userId,
          reviewer_organisation_id: actor.organisationId,
          review_note: note,
          reviewed_at: now,
          published_at: decision.outcome === 'confirm' ? now : null,
          updated_at: now,
        });
        await recordAuditEvent(trx, actor, {
          action: decision.outcome === 'confirm' ? 'case-study.published' : 'case-study.returned',
          subjectType: 'case-study',
          subjectId: row.slug,
          organisationId: row.organisation_id,
          before: { status: row.status },
          after: { status: decision.outcome === 'confirm' ? 'published' : 'returned', confirmedLevel: level ?? null, note },
        });
      });
      await onChanged();
    },

    /** Another council records "we did this too" with its own outcomes; the evidence rules decide whether the level rises. */
    async recordReplication(actor: Actor, slug: string, raw: Record<string, unknown>): Promise<void> {
      const row = await requireCaseStudy(slug);
      if (row.status !== 'published') throw new NotFoundError(`No case study is called ${slug}`);
      if (!knowledgePolicy.canReplicate(actor, row.organisation_id) || actor.organisationId === null)
        throw new NotAllowedError('Another council’s members record that they did this too');
      const { problems, ...input }: ReplicationInput & { problems: unknown[] } = parseReplicationInput(raw);
      if (problems.length > 0)
        throw new InputError('There is a problem with what you did', problems as { field: string; message: string }[]);
      if (await knowledgeRepository.replicationExists(row.id, actor.organisationId))
        throw new ConflictError('Your council has already recorded that it did this too');
      await transaction(async (repository, trx) => {
        const replication = await repository.insertReplication({
          case_study_id: row.id,
          organisation_id: actor.organisationId ?? 0,
          summary: input.summary,
          differences: input.differences,
          independently_evaluated: input.independentlyEvaluated,
          evaluation_url: input.evaluationUrl,
          created_by: actor.userId,
        });
        await repository.replaceOutcomes(row.id, replication.id, input.outcomes);
        await repository.updateCaseStudy(row.id, { updated_at: clock() });
        await recordAuditEvent(trx, actor, {
          action: 'case-study.replicated',
          subjectType: 'case-study',
          subjectId: row.slug,
          organisationId: actor.organisationId,
          before: null,
          after: { summary: input.summary, outcomes: input.outcomes.length, independentlyEvaluated: input.independentlyEvaluated },
        });
      });
      await onChanged();
    },
  };
}
