import type { Actor } from '../../platform/actor.js';
import { isoDate } from '../../platform/clock.js';
import { ConflictError, InputError, NotAllowedError } from '../../platform/errors.js';
import { standardsPolicy } from './standards.policy.js';
import type { PeerSuggestion } from './standards.types.js';
import { createStandardsCore, DEFAULT_PUBLIC_BASE_URL, type StandardsCore, type StandardsDependencies } from './standards.core.js';

/** Reviews: peers suggested and asked to review a self-assessment, and the sector's queue of waiting reviews and audits. */
export function createReviewsService(deps: StandardsDependencies, core: StandardsCore = createStandardsCore(deps)) {
  const {
    standardsRepository,
    transaction,
    organisationsService,
    mailer,
    publicBaseUrl = DEFAULT_PUBLIC_BASE_URL,
    listOrganisationAdminEmails,
  } = deps;
  const { today, audit, requireAssessment, listPeerSuggestions } = core;

  return {
    /** Councils suggested to peer-review an assessment: never the assessed council; similar type and region first. */
    async suggestPeerReviewers(actor: Actor, id: number): Promise<PeerSuggestion[]> {
      const assessment = await requireAssessment(id);
      if (!standardsPolicy.canViewAssessment(actor, assessment)) throw new NotAllowedError('You cannot read this assessment');
      return listPeerSuggestions(assessment);
    },

    /** Asks another council to peer-review a completed self-assessment. Refuses the assessed council itself. */
    async requestPeerReview(actor: Actor, id: number, peerOrganisationId: number | null): Promise<void> {
      const assessment = await requireAssessment(id);
      if (!standardsPolicy.canSelfAssess(actor, assessment.organisation_id))
        throw new NotAllowedError('Only people at the assessed council can ask for a peer review');
      if (assessment.stage !== 'self-assessed') throw new ConflictError('Finish the self-assessment before asking for a peer review');
      const chosen = peerOrganisationId ?? (await listPeerSuggestions(assessment, 1))[0]?.id ?? null;
      if (chosen === null)
        throw new InputError('Choose a council to review', [{ field: 'peerOrganisation', message: 'Choose a council to review' }]);
      if (chosen === assessment.organisation_id)
        throw new InputError('A council cannot peer-review itself', [
          { field: 'peerOrganisation', message: 'Choose another council: a council cannot peer-review itself' },
        ]);
      const councils = await organisationsService.listCurrentPrincipalCouncils('England', today());
      const peer = councils.find((council) => council.id === chosen);
      if (!peer)
        throw new InputError('Choose a current English council', [
          { field: 'peerOrganisation', message: 'Choose a current English council' },
        ]);
      await transaction(async (repository, trx) => {
        await repository.updateAssessment(id, { stage: 'peer-review', peer_organisation_id: peer.id, peer_requested_on: today() });
        await audit(trx, actor, {
          action: 'assessment.request-peer-review',
          subjectType: 'assessment',
          subjectId: id,
          organisationId: assessment.organisation_id,
          before: { stage: assessment.stage, peerOrganisationId: assessment.peer_organisation_id },
          after: { stage: 'peer-review', peerOrganisationId: peer.id },
        });
      });
      for (const email of await listOrganisationAdminEmails(peer.id)) {
        await mailer.send({
          to: email,
          subject: `${assessment.organisation_name} asks ${peer.name} for a peer review`,
          text: `${assessment.organisation_name} has assessed ${assessment.service_name ?? 'itself'} against ${assessment.standard_title} and asks ${peer.name} to review it.\n\nSee ${publicBaseUrl}/standards/assessments/${id}/peer-review`,
        });
      }
    },

    /** Work waiting across the sector (the institute's queue): peer reviews asked and not yet given, and audits due. */
    async listWaitingWork() {
      const [peer, audit] = await Promise.all([
        standardsRepository.listAssessmentsAwaitingPeerReview(),
        standardsRepository.listAssessmentsAwaitingAudit(),
      ]);
      const item = (row: (typeof peer)[number], kind: 'peer-review' | 'audit') => ({
        kind,
        id: row.id,
        standardTitle: row.standard_title,
        organisationName: row.organisation_name,
        peerOrganisationName: row.peer_organisation_name,
        serviceName: row.service_name,
        since: kind === 'peer-review' ? row.peer_requested_on : (row.outcome_on ?? isoDate(row.created_at)),
      });
      return [...peer.map((row) => item(row, 'peer-review')), ...audit.map((row) => item(row, 'audit'))];
    },
  };
}
