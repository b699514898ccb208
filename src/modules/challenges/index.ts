/** Public surface of the challenges module. */
export type { ChallengeOwnTables, ChallengeTables, Stage, ServiceArea, BudgetBand } from './challenges.tables.js';
export { createChallengesRepository, createChallengesTransaction, type ChallengesRepository } from './challenges.repository.js';
export { createChallengesService, type ChallengesService } from './challenges.service.js';
export { challengePath, startCollaborationPath, summariseDemand } from './challenges.records.js';
export { componentLookupThrough } from './challenges.catalogue.js';
export type { ComponentLookup, ComponentReference } from './challenges.types.js';
export { registerChallengeRoutes } from './challenges.routes.js';
export { seedChallengesDemo } from './challenges.seed.js';
export { REMIND_CHALLENGES_USAGE, runRemindChallengesCommand } from './challenges.cli.js';
export { SERVICE_AREAS } from './challenges.tables.js';
export { SERVICE_AREA_LABELS } from './challenges.labels.js';
