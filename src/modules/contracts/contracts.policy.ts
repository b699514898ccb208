import type { Actor } from '../../platform/actor.js';

/** Who may do what with the contract register: every decision of this module in one place. */
export const contractsPolicy = {
  /** Contracts come from national sources (Contracts Finder, Find a Tender), so the platform's admins load them. */
  canImportContracts: (actor: Actor | null): boolean => actor?.role === 'platform-admin',
};
