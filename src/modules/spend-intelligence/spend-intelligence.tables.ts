import type { SpendReadModels } from '../spend/index.js';

export interface SpendBreakdownTotalsTable {
  organisation_id: number;
  supplier_id: number | null;
  expense_type: string | null;
  service: string | null;
  transactions: number;
  total_pence: number;
}

export interface SpendSupplierTotalsTable {
  supplier_id: number;
  transactions: number;
  total_pence: number;
  councils: number;
}

export interface SpendExpenseConcentrationTable {
  organisation_id: number;
  expense_type: string | null;
  suppliers: number;
  total_pence: number;
  top1_pence: number;
  top5_pence: number;
  sum_of_squares: number;
}

/** The summary tables (migration 0050), added to by the spend import's summary functions and read here. */
export interface SpendAnalysisOwnTables {
  spend_breakdown_totals: SpendBreakdownTotalsTable;
  spend_supplier_totals: SpendSupplierTotalsTable;
  spend_expense_concentration: SpendExpenseConcentrationTable;
  spend_expense_concentration_stale: { organisation_id: number };
}

/** The summaries and the spend module's read models (suppliers, aliases, file records, monthly roll-ups). */
export type SpendAnalysisTables = SpendAnalysisOwnTables & SpendReadModels;
