/** Public surface of the standards module. */
export type { StandardsOwnTables, StandardsTables } from './standards.tables.js';
export { createStandardsRepository, createStandardsTransaction, type StandardsRepository } from './standards.repository.js';
export { createStandardsService, type StandardsService } from './standards.service.js';
export { catalogueThrough } from './standards.catalogue.js';
export type { Adoption, StandardSummary } from './standards.types.js';
export { registerStandardsRoutes } from './standards.routes.js';
export { seedStandardsDemo } from './standards.seed.js';
export { runRemindActionsCommand } from './standards.cli.js';
