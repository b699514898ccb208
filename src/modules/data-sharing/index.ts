/** Public surface of the data-sharing module. */
export type { DataSharingOwnTables, DataSharingTables } from './data-sharing.tables.js';
export { createDataSharingRepository, createDataSharingTransaction, type DataSharingRepository } from './data-sharing.repository.js';
export { createDataStandardsService, type DataStandardsService } from './data-standards.service.js';
export { createValidationService, type ValidationService } from './validation.service.js';
export { createAgreementsService, type AgreementsService } from './agreements.service.js';
export { createExemplarsService, EXEMPLAR_TARGET, type ExemplarsService } from './exemplars.service.js';
export { standardComponentsThrough } from './data-sharing.catalogue.js';
export { registerDataSharingRoutes } from './data-sharing.routes.js';
export { seedDataSharingReference, seedDataSharingDemo } from './data-sharing.seed.js';
export {
  REMIND_AGREEMENTS_USAGE,
  REVALIDATE_USAGE,
  runRemindAgreementsCommand,
  runRevalidateCommand,
  runValidateCommand,
  schemaArgument,
  schemaArgumentIsFile,
  VALIDATE_USAGE,
} from './data-sharing.cli.js';
export { validateTable } from './validation/validate-table.js';
export { readTableSchema, readDataPackage } from './validation/table-schema.js';
