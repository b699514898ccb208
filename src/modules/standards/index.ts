/** Public surface of the standards module. */
export type { StandardsOwnTables, StandardsTables } from './standards.tables.js';
export { createStandardsRepository, createStandardsTransaction, type StandardsRepository } from './standards.repository.js';
export {
  catalogueThrough,
  createStandardsService,
  type Adoption,
  type StandardsService,
  type StandardSummary,
} from './standards.service.js';
export { registerStandardsRoutes } from './standards.routes.js';
export { seedStandardsDemo } from './standards.seed.js';
