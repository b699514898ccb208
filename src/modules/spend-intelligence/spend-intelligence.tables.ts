import type { SpendTables } from '../spend/index.js';

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

/** The summary tables (migration 0050) and the spend tables they summarise, which analysis only reads. */
export interface SpendAnalysisOwnTables {
  spend_breakdown_totals: SpendBreakdownTotalsTable;
  spend_supplier_totals: SpendSupplierTotalsTable;
  spend_expense_concentration: SpendExpenseConcentrationTable;
  spend_expense_concentration_stale: { organisation_id: number };
}

export type SpendAnalysisTables = SpendAnalysisOwnTables &
  Pick<SpendTables, 'suppliers' | 'supplier_aliases' | 'spend_monthly_rollups' | 'spend_files'>;
