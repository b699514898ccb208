/** Public surface of spend intelligence (supplier and council pages, concentration, comparisons, signals). */
export type { SpendAnalysisOwnTables, SpendAnalysisTables } from './spend-intelligence.tables.js';
export { createSpendAnalysisRepository, type SpendAnalysisRepository } from './spend-intelligence.repository.js';
export { createSpendAnalysisService, type SpendAnalysisService } from './spend-intelligence.service.js';
export { computeConcentration, concentrationFromAggregate, describeConcentration, type Concentration } from './spend-concentration.js';
export { registerSpendAnalysisRoutes } from './spend-intelligence.routes.js';
