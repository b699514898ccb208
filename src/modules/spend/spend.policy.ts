import type { Actor } from '../../platform/actor.js';

/** Who may do what with spend imports and suppliers: every decision of this module in one place. */
export const spendPolicy = {
  /**
   * Council members and admins import their own organisation's files; platform admins import anyone's. People at a
   * supplier, whatever their role, publish no council spending.
   */
  canImportFor: (actor: Actor, organisationId: number): boolean =>
    actor.role === 'platform-admin' ||
    ((actor.role === 'member' || actor.role === 'organisation-admin') &&
      actor.organisationKind !== 'supplier' &&
      actor.organisationId === organisationId),

  /** Spending files belong to public bodies: no one imports them for a supplier. */
  canHoldSpend: (organisationKind: string): boolean => organisationKind !== 'supplier',
  /** What a supplier is told when spending files would be imported for it. */
  whyNoSpend: (organisationName: string): string =>
    `${organisationName} is a supplier; spending files are published by councils and other public bodies`,

  /** An import is seen by its organisation's people, the person who asked for it, and the institute. */
  canViewImport: (actor: Actor, job: { organisationId: number | null; requestedBy: number | null }): boolean =>
    actor.role === 'platform-admin' ||
    actor.role === 'assessor' ||
    actor.userId === job.requestedBy ||
    (job.organisationId !== null && actor.organisationId === job.organisationId),

  /** Withdrawing or replacing an imported file changes the council's published figures: its admins and platform admins. */
  canWithdrawFileOf: (actor: Actor, organisationId: number): boolean =>
    actor.role === 'platform-admin' || (actor.role === 'organisation-admin' && actor.organisationId === organisationId),

  /** Loading many councils' files from a manifest is the institute's work. */
  canBulkImport: (actor: Actor): boolean => actor.role === 'platform-admin' || actor.role === 'assessor',

  /** Merging, splitting and deciding supplier matches changes every council's figures, so only platform admins do it. */
  canManageSuppliers: (actor: Actor): boolean => actor.role === 'platform-admin',
};
