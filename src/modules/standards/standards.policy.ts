import type { Actor } from '../../platform/actor.js';

/** Who may do what with standards and assessments: every decision of this module in one place. */
export const standardsPolicy = {
  /** Platform admins, and admins of the organisation that owns a standard, write and publish it and answer comments. */
  canManageStandard: (actor: Actor, ownerOrganisationId: number): boolean =>
    actor.role === 'platform-admin' || (actor.role === 'organisation-admin' && actor.organisationId === ownerOrganisationId),

  /** Anyone signed in and belonging to an organisation may comment on a standard in consultation. */
  canComment: (actor: Actor): boolean => actor.organisationId !== null,

  /** Members and admins of a council assess their own services; nobody assesses another organisation. */
  canSelfAssess: (actor: Actor, organisationId: number): boolean =>
    (actor.role === 'member' || actor.role === 'organisation-admin') &&
    actor.organisationKind !== 'supplier' &&
    actor.organisationId === organisationId,

  /** Members and admins of the council asked to review do the peer review. */
  canPeerReview: (actor: Actor, peerOrganisationId: number | null): boolean =>
    peerOrganisationId !== null &&
    (actor.role === 'member' || actor.role === 'organisation-admin') &&
    actor.organisationKind !== 'supplier' &&
    actor.organisationId === peerOrganisationId,

  /**
   * A finished self-assessment counts once its organisation signs it off: one of the organisation's admins, or the
   * person they named as the assessment's owner (while they still work there).
   */
  canSignOff: (actor: Actor, assessment: { organisation_id: number; owner_user_id: number | null }): boolean =>
    actor.organisationId === assessment.organisation_id &&
    actor.organisationKind !== 'supplier' &&
    (actor.role === 'organisation-admin' || (actor.role === 'member' && assessment.owner_user_id === actor.userId)),

  /** The organisation's admins name who owns an assessment. */
  canNameOwner: (actor: Actor, organisationId: number): boolean =>
    actor.role === 'organisation-admin' && actor.organisationKind !== 'supplier' && actor.organisationId === organisationId,

  /** Only the institute's assessors audit. */
  canAudit: (actor: Actor): boolean => actor.role === 'assessor',

  /** The assessed council, its peer reviewer, assessors and platform admins may read an assessment in full. */
  canViewAssessment: (actor: Actor, assessment: { organisation_id: number; peer_organisation_id: number | null }): boolean =>
    actor.role === 'platform-admin' ||
    actor.role === 'assessor' ||
    (actor.organisationId !== null &&
      (actor.organisationId === assessment.organisation_id || actor.organisationId === assessment.peer_organisation_id)),
};
