/** Spend intelligence's figures that need no database: amounts with shares, council references, lock-in. */
import type { Organisation } from '../organisations/index.js';
import type { Concentration } from './spend-concentration.js';
import type { AmountRow } from './spend-intelligence.repository.js';

export interface SupplierListItem {
  id: number;
  name: string;
  totalPence: number;
  councils: number;
  transactions: number;
}

export interface Amount {
  key: string | null;
  label: string;
  transactions: number;
  totalPence: number;
  share: number;
}

export interface CouncilReference {
  organisationId: number;
  gssCode: string | null;
  slug: string;
  name: string;
  councilTypeName: string | null;
  region: string | null;
  population: number | null;
}

export interface CouncilAmount extends CouncilReference {
  totalPence: number;
  transactions: number;
  perResidentPence: number | null;
}

export interface ConcentrationItem extends Concentration {
  level: 'low' | 'moderate' | 'high';
  meaning: string;
}

export interface LockInSignal {
  expenseType: string | null;
  supplierId: number;
  supplierName: string;
  years: number[];
  lowestShare: number;
}

/** Share of an expense type's spend a supplier must take in a year to count as leading it, for lock-in. */
export const LOCK_IN_SHARE = 0.5;
/** Years a supplier must lead an expense type before it is called a lock-in signal. */
export const LOCK_IN_YEARS = 3;

export function presentAmounts(rows: readonly AmountRow[], emptyLabel: string): Amount[] {
  const total = rows.reduce((sum, row) => sum + Math.max(0, row.total_pence), 0);
  return rows.map((row) => ({
    key: row.key,
    label: row.key ?? emptyLabel,
    transactions: row.transactions,
    totalPence: row.total_pence,
    share: total > 0 ? Math.round((Math.max(0, row.total_pence) / total) * 10_000) / 10_000 : 0,
  }));
}

export function reference(organisation: Organisation): CouncilReference {
  return {
    organisationId: organisation.id,
    gssCode: organisation.gssCode,
    slug: organisation.slug,
    name: organisation.name,
    councilTypeName: organisation.councilTypeName,
    region: organisation.region,
    population: organisation.population,
  };
}

export function perResident(totalPence: number, population: number | null): number | null {
  return population && population > 0 ? Math.round(totalPence / population) : null;
}

/** Finds lock-in: expense types where one supplier took at least LOCK_IN_SHARE of the spend in LOCK_IN_YEARS or more years. */
export function findLockIn(
  leaders: readonly { expenseType: string | null; year: number; supplierId: number; supplierName: string; share: number }[],
): LockInSignal[] {
  const groups = new Map<
    string,
    { expenseType: string | null; supplierId: number; supplierName: string; years: number[]; shares: number[] }
  >();
  for (const leader of leaders) {
    if (leader.share < LOCK_IN_SHARE) continue;
    const key = `${leader.expenseType ?? ''}\u0000${leader.supplierId}`;
    const group = groups.get(key) ?? {
      expenseType: leader.expenseType,
      supplierId: leader.supplierId,
      supplierName: leader.supplierName,
      years: [],
      shares: [],
    };
    group.years.push(leader.year);
    group.shares.push(leader.share);
    groups.set(key, group);
  }
  return [...groups.values()]
    .filter((group) => group.years.length >= LOCK_IN_YEARS)
    .map((group) => ({
      expenseType: group.expenseType,
      supplierId: group.supplierId,
      supplierName: group.supplierName,
      years: [...group.years].sort((a, b) => a - b),
      lowestShare: Math.min(...group.shares),
    }))
    .sort((a, b) => b.years.length - a.years.length || b.lowestShare - a.lowestShare);
}
