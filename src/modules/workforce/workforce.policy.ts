import type { Actor } from '../../platform/actor.js';

const ORGANISATION_ROLES = new Set(['member', 'organisation-admin']);

/**
 * Who may do what in the workforce module: every decision in one place.
 *
 * A "workforce lead" is a per-organisation designation kept by this module, not a platform role: a person keeps
 * their role (member or organisation admin) and their organisation's admins name them lead for its returns.
 * Roles are one per person and say what someone is across the platform; being the person who sends one council's
 * diversity figures is a duty within one organisation, so it lives beside those figures.
 */
export const workforcePolicy = {
  /** Only the organisation's own workforce leads see or send its raw return (not its admins, not the institute). */
  canHandleReturn: (actor: Actor, isLead: boolean): boolean =>
    actor.organisationId !== null && ORGANISATION_ROLES.has(actor.role) && isLead,

  /** An organisation's admins name and remove its workforce leads. */
  canDesignateLeads: (actor: Actor, organisationId: number): boolean =>
    actor.role === 'organisation-admin' && actor.organisationId === organisationId,

  /** Publishing a year's tables is the institute's act. */
  canPublish: (actor: Actor): boolean => actor.role === 'platform-admin',

  /** Organisations post apprenticeships and secondments: their members and admins, and the institute. */
  canPostOpportunity: (actor: Actor): boolean =>
    actor.organisationId !== null && (ORGANISATION_ROLES.has(actor.role) || actor.role === 'platform-admin'),

  /** Rounds are run, and their full preference lists seen, by platform admins only. */
  canRunMentoring: (actor: Actor): boolean => actor.role === 'platform-admin',
};
