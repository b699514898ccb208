/**
 * What the commands other than `serve` need from the modules, in one place so that `serve` does not load it before
 * the database opens (start-up time matters; the web application loads the modules alongside the database).
 */
export { seedDemoContent, seedReferenceData } from '../app/seed.js';
export { IMPORT_SPEND_USAGE, runImportSpendCommand, runWithdrawSpendCommand, WITHDRAW_SPEND_USAGE } from '../modules/spend/index.js';
export { IMPORT_OCDS_USAGE, runImportOcdsCommand } from '../modules/contracts/index.js';
export { REMIND_CHALLENGES_USAGE, runRemindChallengesCommand } from '../modules/challenges/index.js';
export { runRemindMentoringCommand } from '../modules/workforce/index.js';
export { runRemindActionsCommand } from '../modules/standards/index.js';
export {
  IMPORT_PUBLICCODE_USAGE,
  REMIND_ADOPTIONS_USAGE,
  runImportPubliccodeCommand,
  runRemindAdoptionsCommand,
} from '../modules/catalogue/index.js';
export {
  REMIND_AGREEMENTS_USAGE,
  runRemindAgreementsCommand,
  runRevalidateCommand,
  runValidateCommand,
  schemaArgument,
  schemaArgumentIsFile,
} from '../modules/data-sharing/index.js';
export { KNOWLEDGE_USAGE, runKnowledgeCommand } from '../modules/knowledge/index.js';
export { runAdminCommand } from '../modules/identity/index.js';
export { PROGRESS_USAGE, runProgressCommand } from '../modules/progress/index.js';
