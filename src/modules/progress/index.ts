/** Public surface of the progress module: the 2030 dashboard, snapshots, the institute's view and the regional centres. */
export type { ProgressOwnTables, ProgressTables } from './progress.tables.js';
export { createProgressRepository, type ProgressRepository } from './progress.repository.js';
export { createProgressService, type ProgressService } from './progress.service.js';
export { createRegionsService, type RegionsService } from './regions.service.js';
export type { ProgressSources } from './progress.sources.js';
export { registerProgressRoutes } from './progress.routes.js';
export { seedRegionalCentresDemo } from './progress.seed.js';
export { PROGRESS_USAGE, runProgressCommand } from './progress.cli.js';
