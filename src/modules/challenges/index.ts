/** Public surface of the challenges module. */
export type { ChallengeOwnTables, ChallengeTables, Stage, ServiceArea, BudgetBand } from './challenges.tables.js';
export { createChallengesRepository, createChallengesTransaction, type ChallengesRepository } from './challenges.repository.js';
export {
  challengePath,
  componentLookupThrough,
  createChallengesService,
  startCollaborationPath,
  summariseDemand,
  type ChallengesService,
  type ComponentLookup,
  type ComponentReference,
} from './challenges.service.js';
export { registerChallengeRoutes } from './challenges.routes.js';
export { seedChallengesDemo } from './challenges.seed.js';
export { REMIND_CHALLENGES_USAGE, runRemindChallengesCommand } from './challenges.cli.js';
export { SERVICE_AREAS } from './challenges.tables.js';
export { SERVICE_AREA_LABELS } from './challenges.labels.js';
