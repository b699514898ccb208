/** Public surface of the spend module. */
export type { SpendReadModels, SpendTables } from './spend.tables.js';
export { createSpendRepository, type SpendRepository } from './spend.repository.js';
export {
  createSpendService,
  type ImportSpendFileInput,
  type SpendColumnMapping,
  type SpendImportOutcome,
  type SpendImportProgress,
  type SpendService,
} from './spend.service.js';
export { registerSpendRoutes } from './spend.routes.js';
export { createSpendImportsService, type SpendImportsService } from './spend-imports.service.js';
export { createSpendImportRunner, type SpendImportRunner } from './spend.jobs.js';
export { spendPolicy } from './spend.policy.js';
export { insertSyntheticPayments, type SyntheticPayment } from './synthetic-spend.js';
export { createSpendWithdrawalsService, type SpendWithdrawalsService } from './spend-withdrawals.service.js';
export { createSpendFilesService, type SpendFilesService } from './spend-files.service.js';
export { createSpendFilesQueries } from './spend-files.repository.js';
export { IMPORT_SPEND_USAGE, runImportSpendCommand, runWithdrawSpendCommand, WITHDRAW_SPEND_USAGE } from './spend.cli.js';
/** The domain-free table reader (CSV text and spreadsheets to rows), for other modules such as data sharing. */
export { readTableRows } from './ingest/table-rows.js';
/** Supplier names and company numbers as the spend module keeps them, for modules that match suppliers. */
export { normaliseSupplierName } from './ingest/index.js';
export { cleanCompanyNumber } from './supplier-matching.js';
export { AdaptiveDecoder, CsvTokenizer, detectDelimiter, detectEncoding, SpendFileError } from './ingest/index.js';
export { DEMO_SPEND_FILES, seedSpendDemo } from './spend.seed.js';
export { fileCoversFromSql, fileCoversToSql } from './spend-file-dates.js';
