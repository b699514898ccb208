import type { Actor, Role } from '../../platform/actor.js';
import type { RoleAuthority } from './identity.tables.js';

/** Roles that only a platform admin gives, and so only a platform admin takes away. */
const PLATFORM_ROLES: readonly Role[] = ['assessor', 'supplier', 'platform-admin'];

/** Who may do what in identity and access: every decision of this module in one place. */
export const identityPolicy = {
  /** Organisation admins manage their own organisation's people; platform admins manage anyone's. */
  canManageMembers: (actor: Actor, organisationId: number): boolean =>
    actor.role === 'platform-admin' || (actor.role === 'organisation-admin' && actor.organisationId === organisationId),

  /** Organisation admins hand out member and admin roles; only platform admins hand out the institute's roles. */
  canGrantRole: (actor: Actor, role: Role): boolean =>
    actor.role === 'platform-admin' || (actor.role === 'organisation-admin' && (role === 'member' || role === 'organisation-admin')),

  /**
   * Whether the actor may change or take away a person's role (demote, promote or remove them). An organisation
   * admin may not touch a role a platform admin gave, nor a platform admin, assessor or supplier.
   */
  canChangeRoleOf: (actor: Actor, person: { role: Role; role_authority: RoleAuthority }): boolean =>
    actor.role === 'platform-admin' || (person.role_authority !== 'platform' && !PLATFORM_ROLES.includes(person.role)),

  /** The authority a role given by this actor carries: a platform admin's (or the server's own command line's) is "platform". */
  authorityOf: (actor: Actor | null): RoleAuthority => (actor === null || actor.role === 'platform-admin' ? 'platform' : 'organisation'),

  /** Roles a person keeps when they join an organisation (by request or invitation), because an organisation did not give them. */
  keepsRoleOnJoining: (role: Role): boolean => PLATFORM_ROLES.includes(role),

  /** Verifying that a domain belongs to an organisation decides who joins it, so only platform admins do it. */
  canManageDomains: (actor: Actor): boolean => actor.role === 'platform-admin',

  /** Organisation admins read their organisation's trail; platform admins read all of it. */
  canReadAudit: (actor: Actor, organisationId: number | null): boolean =>
    actor.role === 'platform-admin' ||
    (actor.role === 'organisation-admin' && organisationId !== null && actor.organisationId === organisationId),
};
