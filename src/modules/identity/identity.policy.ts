import type { Actor, Role } from '../../platform/actor.js';

/** Who may do what in identity and access: every decision of this module in one place. */
export const identityPolicy = {
  /** Organisation admins manage their own organisation's people; platform admins manage anyone's. */
  canManageMembers: (actor: Actor, organisationId: number): boolean =>
    actor.role === 'platform-admin' || (actor.role === 'organisation-admin' && actor.organisationId === organisationId),

  /** Organisation admins hand out member and admin roles; only platform admins hand out the institute's roles. */
  canGrantRole: (actor: Actor, role: Role): boolean =>
    actor.role === 'platform-admin' || (actor.role === 'organisation-admin' && (role === 'member' || role === 'organisation-admin')),

  /** Verifying that a domain belongs to an organisation decides who joins it, so only platform admins do it. */
  canManageDomains: (actor: Actor): boolean => actor.role === 'platform-admin',

  /** Organisation admins read their organisation's trail; platform admins read all of it. */
  canReadAudit: (actor: Actor, organisationId: number | null): boolean =>
    actor.role === 'platform-admin' ||
    (actor.role === 'organisation-admin' && organisationId !== null && actor.organisationId === organisationId),
};
