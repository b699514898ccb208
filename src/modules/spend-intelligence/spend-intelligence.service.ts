import { createCouncilSpendService } from './council-spend.service.js';
import { createSpendAnalysisCore, type SpendAnalysisDependencies } from './spend-intelligence.core.js';
import { createSupplierSpendService } from './supplier-spend.service.js';

export type { SpendAnalysisDependencies } from './spend-intelligence.core.js';
export {
  type Amount,
  type ConcentrationItem,
  type CouncilAmount,
  type CouncilReference,
  findLockIn,
  LOCK_IN_SHARE,
  LOCK_IN_YEARS,
  type LockInSignal,
  type SupplierListItem,
} from './spend-intelligence.records.js';

/** Spend intelligence: suppliers across councils, council spend, concentration, lock-in, comparisons and shared suppliers. */
export function createSpendAnalysisService(dependencies: SpendAnalysisDependencies) {
  const core = createSpendAnalysisCore(dependencies);
  return {
    ...createSupplierSpendService(dependencies, core),
    ...createCouncilSpendService(dependencies, core),
  };
}

export type SpendAnalysisService = ReturnType<typeof createSpendAnalysisService>;
