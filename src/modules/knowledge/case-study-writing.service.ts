import type { Actor } from '../../platform/actor.js';
import { recordAuditEvent } from '../../platform/audit.js';
import { ConflictError, InputError, NotAllowedError } from '../../platform/errors.js';
import type { CaseStudiesCore, CaseStudiesDependencies } from './case-studies.core.js';
import { caseStudySlug } from './case-studies.records.js';
import { parseReplicationInput } from './case-studies.input.js';
import { knowledgePolicy } from './knowledge.policy.js';

/** Writing case studies: a council’s draft or submission, its changes, and demo case studies loaded as the system. Over 80 lines as a set of short methods sharing one set of dependencies. */
export function createCaseStudyWritingService(
  { knowledgeRepository, transaction, lookups, clock, onChanged = () => Promise.resolve() }: CaseStudiesDependencies,
  { requireCaseStudy, uniqueSlug, rowValues, checkInput }: CaseStudiesCore,
) {
  return {
    /** Writes a case study as a draft (or straight to review, when asked) for the person's council. */
    async createCaseStudy(actor: Actor, raw: Record<string, unknown>, submit: boolean): Promise<string> {
      if (!knowledgePolicy.canWriteCaseStudy(actor) || actor.organisationId === null)
        throw new NotAllowedError('Only council members can write case studies');
      const { input, links } = await checkInput(raw);
      const [organisation] = await lookups.listOrganisationsByIds([actor.organisationId]);
      const now = clock();
      // Chosen before the transaction: PGlite has one connection, so nothing inside may use another handle.
      const candidateSlug = await uniqueSlug(input.title);
      const slug = await transaction(async (repository, trx) => {
        const row = await repository.insertCaseStudy({
          slug: candidateSlug,
          ...rowValues(input),
          organisation_id: actor.organisationId ?? 0,
          council_type: organisation?.councilType ?? null,
          region: organisation?.region ?? null,
          population: organisation?.population ?? null,
          status: submit ? 'submitted' : 'draft',
          created_by: actor.userId,
          created_at: now,
          updated_at: now,
        });
        await repository.replaceOutcomes(row.id, null, input.outcomes);
        await repository.replaceLinks(row.id, links);
        await recordAuditEvent(trx, actor, {
          action: 'case-study.created',
          subjectType: 'case-study',
          subjectId: row.slug,
          organisationId: row.organisation_id,
          before: null,
          after: { title: row.title, status: row.status, claimedLevel: row.claimed_level },
        });
        return row.slug;
      });
      await onChanged();
      return slug;
    },

    /** Changes an unpublished case study; submitting sends it for review. */
    async updateCaseStudy(actor: Actor, slug: string, raw: Record<string, unknown>, submit: boolean): Promise<void> {
      const existing = await requireCaseStudy(slug);
      if (!knowledgePolicy.canEditCaseStudy(actor, existing.organisation_id))
        throw new NotAllowedError('Only the council that wrote this case study can change it');
      if (existing.status === 'published') throw new ConflictError('This case study is published and can no longer be changed here');
      const { input, links } = await checkInput(raw);
      await transaction(async (repository, trx) => {
        const row = await repository.updateCaseStudy(existing.id, {
          ...rowValues(input),
          status: submit ? 'submitted' : existing.status === 'returned' ? 'returned' : 'draft',
          updated_at: clock(),
        });
        await repository.replaceOutcomes(row.id, null, input.outcomes);
        await repository.replaceLinks(row.id, links);
        await recordAuditEvent(trx, actor, {
          action: submit ? 'case-study.submitted' : 'case-study.updated',
          subjectType: 'case-study',
          subjectId: row.slug,
          organisationId: row.organisation_id,
          before: { title: existing.title, status: existing.status, claimedLevel: existing.claimed_level },
          after: { title: row.title, status: row.status, claimedLevel: row.claimed_level },
        });
      });
      await onChanged();
    },

    /**
     * Loads one demo case study as the system (no person acts): written, then reviewed by the given organisation at the
     * given level, with replications. Skipped when a case study with the same title's address already exists.
     */
    async seedCaseStudy(input: {
      organisationId: number;
      raw: Record<string, unknown>;
      review: { organisationId: number; confirmedLevel: number; note: string } | null;
      replications?: { organisationId: number; raw: Record<string, unknown> }[];
    }): Promise<string | null> {
      const { input: parsed, links } = await checkInput(input.raw);
      const slug = caseStudySlug(parsed.title);
      if (await knowledgeRepository.slugExists(slug)) return null;
      const [organisation] = await lookups.listOrganisationsByIds([input.organisationId]);
      const now = clock();
      await transaction(async (repository, trx) => {
        const row = await repository.insertCaseStudy({
          slug,
          ...rowValues(parsed),
          organisation_id: input.organisationId,
          council_type: organisation?.councilType ?? null,
          region: organisation?.region ?? null,
          population: organisation?.population ?? null,
          status: input.review ? 'published' : 'submitted',
          confirmed_level: input.review?.confirmedLevel ?? null,
          reviewer_organisation_id: input.review?.organisationId ?? null,
          review_note: input.review?.note ?? '',
          reviewed_at: input.review ? now : null,
          published_at: input.review ? now : null,
          created_by: null,
          created_at: now,
          updated_at: now,
        });
        await repository.replaceOutcomes(row.id, null, parsed.outcomes);
        await repository.replaceLinks(row.id, links);
        for (const replication of input.replications ?? []) {
          const { problems, ...values } = parseReplicationInput(replication.raw);
          if (problems.length > 0) throw new InputError('A demo replication is not valid', problems);
          const saved = await repository.insertReplication({
            case_study_id: row.id,
            organisation_id: replication.organisationId,
            summary: values.summary,
            differences: values.differences,
            independently_evaluated: values.independentlyEvaluated,
            evaluation_url: values.evaluationUrl,
            created_by: null,
          });
          await repository.replaceOutcomes(row.id, saved.id, values.outcomes);
        }
        await recordAuditEvent(trx, null, {
          action: 'case-study.seeded',
          subjectType: 'case-study',
          subjectId: slug,
          organisationId: input.organisationId,
          before: null,
          after: { title: parsed.title, confirmedLevel: input.review?.confirmedLevel ?? null },
        });
      });
      await onChanged();
      return slug;
    },
  };
}
