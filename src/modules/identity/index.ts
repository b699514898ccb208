export type { IdentityTables, IdentityOwnTables, IdentityReadModels } from './identity.tables.js';
export { createIdentityRepository, createIdentityTransaction, type IdentityRepository } from './identity.repository.js';
export { createIdentityService, type IdentityService } from './identity.service.js';
export { hashSecret, type IdentitySettings } from './identity.core.js';
export { identityPolicy } from './identity.policy.js';
export { requireApiWriter, requireOrganisationMember, requireSignedIn } from './identity.guards.js';
export { ADMIN_USAGE, runAdminCommand } from './identity.cli.js';
export { registerIdentityResolution, registerIdentityRoutes, SESSION_COOKIE } from './identity.routes.js';
