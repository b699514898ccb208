/** Public surface of spend analysis (supplier and council pages, concentration, comparisons, signals). */
export type { SpendAnalysisOwnTables, SpendAnalysisTables } from './spend-analysis.tables.js';
export { createSpendAnalysisRepository, type SpendAnalysisRepository } from './spend-analysis.repository.js';
export { createSpendAnalysisService, type SpendAnalysisService } from './spend-analysis.service.js';
export { computeConcentration, concentrationFromAggregate, describeConcentration, type Concentration } from './spend-concentration.js';
export { registerSpendAnalysisRoutes } from './spend-analysis.routes.js';
export { DEMO_OCDS_FILES, DEMO_SPEND_FILES, seedSpendDemo } from './spend-demo.js';
/** The spend module's supplier-name functions, for other modules that match names to suppliers. */
export { normaliseSupplierName } from '../ingest/index.js';
export { cleanCompanyNumber } from '../supplier-matching.js';
