/** Public surface of the workforce module. */
export type { WorkforceOwnTables, WorkforceTables } from './workforce.tables.js';
export { createWorkforceRepository, createWorkforceTransaction, type WorkforceRepository } from './workforce.repository.js';
export { createReturnsService, type ReturnsService } from './returns.service.js';
export { createTablesService, type TablesService } from './tables.service.js';
export { createOpportunitiesService, type OpportunitiesService } from './opportunities.service.js';
export { createMentoringService, type MentoringService } from './mentoring.service.js';
export { registerWorkforceRoutes } from './workforce.routes.js';
export { seedWorkforceDemo } from './workforce.seed.js';
export { REMIND_MENTORING_USAGE, runRemindMentoringCommand } from './workforce.cli.js';
