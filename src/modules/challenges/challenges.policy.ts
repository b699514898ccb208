import type { Actor } from '../../platform/actor.js';

const COUNCIL_ROLES = new Set(['member', 'organisation-admin']);

/** Who may do what in the challenge pipeline: every decision of this module in one place. */
export const challengesPolicy = {
  /** Council people post challenges and say "we have this too"; suppliers, assessors and the institute's admins do not. */
  canSpeakForCouncil: (actor: Actor): boolean => actor.organisationId !== null && COUNCIL_ROLES.has(actor.role),

  /** The owning council's people keep their challenge up to date and moderate responses to it; platform admins may too. */
  canManageChallenge: (actor: Actor, ownerOrganisationId: number): boolean =>
    actor.role === 'platform-admin' || (COUNCIL_ROLES.has(actor.role) && actor.organisationId === ownerOrganisationId),

  /** Drafts are seen only by the owning council (and platform admins). */
  canSeeDraft: (actor: Actor | null, ownerOrganisationId: number): boolean =>
    actor !== null && (actor.role === 'platform-admin' || actor.organisationId === ownerOrganisationId),

  /** Only supplier users publish responses, for their own supplier organisation. */
  canRespond: (actor: Actor): boolean => actor.role === 'supplier' && actor.organisationId !== null,

  /** Merging duplicates moves other councils' records, so only platform admins do it. */
  canMerge: (actor: Actor): boolean => actor.role === 'platform-admin',

  /** Any council sharing the challenge (or a platform admin) may turn it into a collaboration proposal. */
  canPropose: (actor: Actor, sharingOrganisationIds: readonly number[]): boolean =>
    actor.role === 'platform-admin' ||
    (COUNCIL_ROLES.has(actor.role) && actor.organisationId !== null && sharingOrganisationIds.includes(actor.organisationId)),
};
