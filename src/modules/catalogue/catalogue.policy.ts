import type { Actor } from '../../platform/actor.js';

/** Who may do what in the catalogue: every decision of this module in one place. */
export const cataloguePolicy = {
  /** Anyone who belongs to an organisation may publish a component; it is credited to their organisation. */
  canPublishComponent: (actor: Actor): boolean => actor.organisationId !== null,

  /** The publishing organisation's people change its components; platform admins change any. */
  canEditComponent: (actor: Actor, publisherOrganisationId: number | null): boolean =>
    actor.role === 'platform-admin' || (publisherOrganisationId !== null && actor.organisationId === publisherOrganisationId),

  /** Public bodies declare adoption for their own organisation; suppliers sell components rather than adopt them. */
  canDeclareAdoption: (actor: Actor, organisationKind: string): boolean =>
    actor.organisationId !== null && actor.role !== 'supplier' && organisationKind !== 'supplier',
};
