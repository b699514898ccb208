import type { FastifyInstance } from 'fastify';
import type { ContractsService } from '../contracts/index.js';
import { registerComparisonApi, registerCouncilApi, registerSupplierApi } from './spend-intelligence.api.js';
import { registerCouncilPages, registerSupplierPages } from './spend-intelligence.pages.js';
import type { ChallengeFinder } from './signal-challenges.js';
import type { SpendAnalysisService } from './spend-intelligence.service.js';

export interface SpendIntelligenceRouteDependencies {
  spendAnalysisService: SpendAnalysisService;
  contractsService: ContractsService;
  challengesService?: ChallengeFinder;
}

/** Spend intelligence pages and API: suppliers across councils, council spend, concentration, comparisons, signals. */
export function registerSpendAnalysisRoutes(app: FastifyInstance, dependencies: SpendIntelligenceRouteDependencies): void {
  registerSupplierApi(app, dependencies);
  registerCouncilApi(app, dependencies);
  registerComparisonApi(app, dependencies);
  registerSupplierPages(app, dependencies);
  registerCouncilPages(app, dependencies);
}
