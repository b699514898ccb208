export type { OrganisationTables, OrganisationKind, OrganisationReadModels } from './organisations.tables.js';
export { createOrganisationsRepository, type OrganisationsRepository } from './organisations.repository.js';
export {
  createOrganisationsService,
  type Organisation,
  type OrganisationDetail,
  type OrganisationsService,
} from './organisations.service.js';
export { registerOrganisationRoutes } from './organisations.routes.js';
export type { HubCard, OrganisationHub } from './organisation-hub.js';
