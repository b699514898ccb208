import type { Actor } from '../../platform/actor.js';

const COUNCIL_ROLES = new Set(['member', 'organisation-admin']);
const INSTITUTE_ROLES = new Set(['assessor', 'platform-admin']);

/** Who may do what with case studies, subscriptions and webhooks: every decision of this module in one place. */
export const knowledgePolicy = {
  /** Feedback about the service is for the institute: its platform admins read it. */
  canReadFeedback: (actor: Actor): boolean => actor.role === 'platform-admin',

  /** Council people write case studies about their own council's work. */
  canWriteCaseStudy: (actor: Actor): boolean => actor.organisationId !== null && COUNCIL_ROLES.has(actor.role),

  /** The author council's people keep an unpublished case study up to date; platform admins may too. */
  canEditCaseStudy: (actor: Actor, authorOrganisationId: number): boolean =>
    actor.role === 'platform-admin' || (COUNCIL_ROLES.has(actor.role) && actor.organisationId === authorOrganisationId),

  /** A reviewer comes from another council or from the institute (assessors and platform admins), never the author's council. */
  canReviewCaseStudy: (actor: Actor, authorOrganisationId: number): boolean =>
    actor.organisationId !== authorOrganisationId &&
    (INSTITUTE_ROLES.has(actor.role) || (COUNCIL_ROLES.has(actor.role) && actor.organisationId !== null)),

  /** Unpublished case studies are seen by the author council, platform admins, and (once submitted) possible reviewers. */
  canSeeUnpublished: (actor: Actor | null, authorOrganisationId: number, submitted: boolean): boolean =>
    actor !== null &&
    (actor.role === 'platform-admin' ||
      actor.organisationId === authorOrganisationId ||
      (submitted && knowledgePolicy.canReviewCaseStudy(actor, authorOrganisationId))),

  /** Another council says "we did this too". */
  canReplicate: (actor: Actor, authorOrganisationId: number): boolean =>
    COUNCIL_ROLES.has(actor.role) && actor.organisationId !== null && actor.organisationId !== authorOrganisationId,

  /** Anyone signed in follows topics. */
  canFollow: (actor: Actor): boolean => actor.userId > 0,

  /** An organisation's admins (and platform admins) manage its webhooks. */
  canManageWebhooks: (actor: Actor, organisationId: number): boolean =>
    actor.role === 'platform-admin' || (actor.role === 'organisation-admin' && actor.organisationId === organisationId),
};
