/** Public surface of the contracts module. */
export * from './ocds/index.js';
export type { ContractTables } from './contracts.tables.js';
export { createContractsRepository, type ContractsRepository } from './contracts.repository.js';
export {
  createContractsService,
  cpvDivision,
  cpvDivisionName,
  type ContractsService,
  type ContractSummary,
  type OcdsImportOutcome,
  type SupplierMatcher,
} from './contracts.service.js';
export { registerContractsRoutes } from './contracts.routes.js';
export { IMPORT_OCDS_USAGE, runImportOcdsCommand } from './contracts.cli.js';
export { DEMO_OCDS_FILES, seedContractsDemo } from './contracts.seed.js';
