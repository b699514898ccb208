import type { Actor } from '../../platform/actor.js';
import { ConflictError, InputError, NotAllowedError } from '../../platform/errors.js';
import { standardsPolicy } from './standards.policy.js';
import type { PointRow, RatingRow } from './standards.repository.js';
import type { Basis, Outcome, Reviewer } from './standards.tables.js';
import type { RatingInput } from './standards.types.js';
import { outcomeOfRatings, presentPoint, splitLines, URL_PATTERN } from './standards.records.js';
import { createStandardsCore, type StandardsCore, type StandardsDependencies } from './standards.core.js';

/** Assessments: a council rates its service against a standard's points, names an owner and signs it off. Over 80 lines as a set of short methods sharing one set of dependencies. */
export function createAssessmentsService(deps: StandardsDependencies, core: StandardsCore = createStandardsCore(deps)) {
  const { standardsRepository, transaction, clock } = deps;
  const { today, audit, requireStandard, requireAssessment, currentOf, checkComponents, listPeerSuggestions, decide } = core;

  async function validateRatings(points: readonly PointRow[], inputs: readonly RatingInput[], complete: boolean) {
    const problems: { field: string; message: string }[] = [];
    const byNumber = new Map(inputs.map((input) => [input.pointNumber, input]));
    const rows = [];
    for (const point of points) {
      const input = byNumber.get(point.point_number);
      const rating = input?.rating ?? null;
      const commentary = (input?.commentary ?? '').trim();
      const links = splitLines(input?.evidenceLinks ?? '');
      const components = splitLines(input?.componentSlugs ?? '').map((slug) => slug.toLowerCase());
      if (complete && rating === null)
        problems.push({
          field: `rating-${point.point_number}`,
          message: `Choose a rating for point ${point.point_number}, ${point.title}`,
        });
      if (rating === 'not-applicable' && !commentary)
        problems.push({
          field: `commentary-${point.point_number}`,
          message: `Say why point ${point.point_number}, ${point.title}, does not apply`,
        });
      if (commentary.length > 5000)
        problems.push({
          field: `commentary-${point.point_number}`,
          message: `Point ${point.point_number}: keep the commentary under 5,000 characters`,
        });
      const badLink = links.find((link) => !URL_PATTERN.test(link));
      if (badLink)
        problems.push({
          field: `links-${point.point_number}`,
          message: `Point ${point.point_number}: "${badLink}" is not a web address; links start with https://`,
        });
      try {
        await checkComponents(components, `components-${point.point_number}`);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        problems.push(...error.problems);
      }
      rows.push({ point, rating, commentary, links, components });
    }
    if (problems.length > 0) throw new InputError(problems.map((problem) => problem.message).join('. '), problems);
    return rows;
  }

  return {
    /** Starts a self-assessment of one service (or the whole organisation) against a standard's current version. */
    async startAssessment(actor: Actor, slug: string, input: { serviceName: string }): Promise<number> {
      if (actor.organisationId === null || !standardsPolicy.canSelfAssess(actor, actor.organisationId))
        throw new NotAllowedError('Only people who work for a council can assess its services');
      const organisationId = actor.organisationId;
      const standard = await requireStandard(slug);
      const current = currentOf(await standardsRepository.listVersions(standard.id));
      if (!current || standard.status === 'retired')
        throw new ConflictError(`${standard.title} has no published version to assess against`);
      const serviceName = input.serviceName.trim();
      if (serviceName.length > 200)
        throw new InputError('Keep the service name under 200 characters', [
          { field: 'serviceName', message: 'Keep the service name under 200 characters' },
        ]);
      return transaction(async (repository, trx) => {
        const assessment = await repository.insertAssessment({
          standard_id: standard.id,
          version_id: current.id,
          organisation_id: organisationId,
          service_name: serviceName || null,
          started_by: actor.userId,
        });
        await audit(trx, actor, {
          action: 'assessment.start',
          subjectType: 'assessment',
          subjectId: assessment.id,
          organisationId,
          before: null,
          after: { standard: slug, versionNumber: current.version_number, serviceName: assessment.service_name },
        });
        return assessment.id;
      });
    },

    /** One assessment in full: points with every reviewer's ratings side by side, actions, and what the actor may do next. */
    async getAssessment(actor: Actor, id: number) {
      const assessment = await requireAssessment(id);
      if (!standardsPolicy.canViewAssessment(actor, assessment))
        throw new NotAllowedError('Only the councils taking part, assessors and platform admins can read this assessment');
      const [points, ratings, actions] = await Promise.all([
        standardsRepository.listPoints([assessment.version_id]),
        standardsRepository.listRatings(id),
        standardsRepository.listActions(id),
      ]);
      const ratingOf = (point: PointRow, reviewer: Reviewer): RatingRow | undefined =>
        ratings.find((rating) => rating.point_id === point.id && rating.reviewer === reviewer);
      const rows = points.map((point) => {
        const self = ratingOf(point, 'self');
        const peer = ratingOf(point, 'peer');
        const auditRating = ratingOf(point, 'audit');
        return {
          point: presentPoint(point),
          self: self ?? null,
          peer: peer ?? null,
          audit: auditRating ?? null,
          disagreement: Boolean(self?.rating && peer?.rating && self.rating !== peer.rating),
        };
      });
      const canSelfAssess = standardsPolicy.canSelfAssess(actor, assessment.organisation_id);
      const canNameOwner = standardsPolicy.canNameOwner(actor, assessment.organisation_id);
      return {
        assessment,
        rows,
        actions: actions.map((action) => ({ ...action, overdue: action.done_on === null && action.due_on < today() })),
        disagreements: rows.filter((row) => row.disagreement).length,
        can: {
          selfAssess: canSelfAssess && assessment.stage === 'self-assessment',
          requestPeerReview: canSelfAssess && assessment.stage === 'self-assessed',
          peerReview: standardsPolicy.canPeerReview(actor, assessment.peer_organisation_id) && assessment.stage === 'peer-review',
          audit: standardsPolicy.canAudit(actor) && (assessment.stage === 'peer-reviewed' || assessment.stage === 'self-assessed'),
          addActions: canSelfAssess,
          signOff:
            standardsPolicy.canSignOff(actor, assessment) && assessment.stage === 'self-assessed' && assessment.signed_off_at === null,
          nameOwner: canNameOwner && assessment.signed_off_at === null,
        },
        awaitingSignOff: assessment.stage === 'self-assessed' && assessment.signed_off_at === null,
        people:
          canNameOwner && assessment.signed_off_at === null
            ? await standardsRepository.listActivePeopleOfOrganisation(assessment.organisation_id)
            : [],
        peerSuggestions: canSelfAssess && assessment.stage === 'self-assessed' ? await listPeerSuggestions(assessment) : [],
      };
    },

    /**
     * Saves one reviewer's ratings, evidence and commentary. With `complete`, every point must be rated; the
     * assessment moves on and its outcome (met only when every point is met or not applicable) is recorded.
     */
    async saveRatings(actor: Actor, id: number, reviewer: Reviewer, inputs: readonly RatingInput[], complete: boolean): Promise<void> {
      const assessment = await requireAssessment(id);
      const allowed =
        reviewer === 'self'
          ? standardsPolicy.canSelfAssess(actor, assessment.organisation_id)
          : reviewer === 'peer'
            ? standardsPolicy.canPeerReview(actor, assessment.peer_organisation_id)
            : standardsPolicy.canAudit(actor);
      if (!allowed)
        throw new NotAllowedError(
          reviewer === 'self'
            ? 'Only people at the assessed council can self-assess'
            : reviewer === 'peer'
              ? 'Only people at the council asked to review can do this peer review'
              : 'Only the institute’s assessors can audit',
        );
      const expectedStages =
        reviewer === 'self' ? ['self-assessment'] : reviewer === 'peer' ? ['peer-review'] : ['peer-reviewed', 'self-assessed'];
      if (!expectedStages.includes(assessment.stage))
        throw new ConflictError(`This assessment is at the ${assessment.stage} stage; it cannot take ${reviewer} ratings now`);
      const points = await standardsRepository.listPoints([assessment.version_id]);
      const rows = await validateRatings(points, inputs, complete);
      await transaction(async (repository, trx) => {
        for (const row of rows) {
          await repository.upsertRating({
            assessment_id: id,
            point_id: row.point.id,
            reviewer,
            rating: row.rating,
            commentary: row.commentary,
            evidence_links: row.links,
            component_slugs: row.components,
            rated_by: actor.userId,
          });
        }
        let after: Record<string, unknown> = { reviewer, rated: rows.filter((row) => row.rating !== null).length };
        if (complete) {
          const outcome = outcomeOfRatings(rows.map((row) => row.rating));
          const basis: Basis = reviewer === 'self' ? 'self' : reviewer === 'peer' ? 'peer' : 'audited';
          const stage = reviewer === 'self' ? 'self-assessed' : reviewer === 'peer' ? 'peer-reviewed' : 'audited';
          await repository.updateAssessment(id, { stage, outcome, basis, outcome_on: today() });
          // A self-assessment's decision is written when the organisation signs it off (signOff), not when it is submitted.
          if (reviewer !== 'self') await decide(repository, assessment, outcome, basis, actor.userId);
          after = { ...after, stage, outcome, basis };
        }
        await audit(trx, actor, {
          action: complete ? `assessment.complete-${reviewer}` : `assessment.save-${reviewer}`,
          subjectType: 'assessment',
          subjectId: id,
          organisationId: assessment.organisation_id,
          before: { stage: assessment.stage, outcome: assessment.outcome, basis: assessment.basis },
          after,
        });
      });
    },

    /**
     * Signs off a submitted self-assessment for the organisation (an admin, or the assessment's named owner): from now
     * its outcome counts on the adoption dashboard. One decision and one audit event.
     */
    async signOff(actor: Actor, id: number): Promise<{ outcome: Outcome; standardSlug: string }> {
      const assessment = await requireAssessment(id);
      if (!standardsPolicy.canSignOff(actor, assessment))
        throw new NotAllowedError('Only an admin of the assessed organisation, or the assessment’s named owner, can sign it off');
      if (assessment.stage !== 'self-assessed' || assessment.outcome === null)
        throw new ConflictError('Only a submitted self-assessment can be signed off; this one is at another stage');
      if (assessment.signed_off_at !== null) throw new ConflictError('This assessment is already signed off');
      const outcome = assessment.outcome;
      await transaction(async (repository, trx) => {
        await repository.updateAssessment(id, { signed_off_by: actor.userId, signed_off_at: clock() });
        await decide(repository, assessment, outcome, 'self', actor.userId);
        await audit(trx, actor, {
          action: 'assessment.sign-off',
          subjectType: 'assessment',
          subjectId: id,
          organisationId: assessment.organisation_id,
          before: { signedOff: false },
          after: { signedOff: true, outcome, basis: 'self' },
        });
      });
      return { outcome, standardSlug: assessment.standard_slug };
    },

    /** Names the person who owns an assessment for the organisation (an admin's choice among its active people). */
    async nameOwner(actor: Actor, id: number, ownerUserId: number | null): Promise<void> {
      const assessment = await requireAssessment(id);
      if (!standardsPolicy.canNameOwner(actor, assessment.organisation_id))
        throw new NotAllowedError('Only an admin of the assessed organisation can name its owner');
      const people = await standardsRepository.listActivePeopleOfOrganisation(assessment.organisation_id);
      if (ownerUserId === null || !people.some((person) => person.id === ownerUserId))
        throw new InputError('Choose a person at your organisation', [{ field: 'owner', message: 'Choose a person at your organisation' }]);
      await transaction(async (repository, trx) => {
        await repository.updateAssessment(id, { owner_user_id: ownerUserId });
        await audit(trx, actor, {
          action: 'assessment.name-owner',
          subjectType: 'assessment',
          subjectId: id,
          organisationId: assessment.organisation_id,
          before: { ownerUserId: assessment.owner_user_id },
          after: { ownerUserId },
        });
      });
    },
  };
}
