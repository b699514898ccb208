/** Concentration of one expense type's spend among suppliers, and what the figures mean. */
export interface Concentration {
  expenseType: string | null;
  /** Herfindahl–Hirschman index on the 0–10,000 scale: the sum of squared percentage shares. */
  hhi: number;
  top1Share: number;
  top5Share: number;
  totalPence: number;
  suppliers: number;
}

/** Sums that concentration is computed from: named suppliers with a positive net total only. */
export interface ConcentrationAggregate {
  expenseType: string | null;
  suppliers: number;
  totalPence: number;
  top1Pence: number;
  top5Pence: number;
  /** Sum over suppliers of (their total in pence) squared. */
  sumOfSquares: number;
}

/** HHI and shares from the sums (HHI = Σ(100·share)² = 10,000 · Σ total² / (Σ total)²). */
export function concentrationFromAggregate(aggregate: ConcentrationAggregate): Concentration {
  const { expenseType, totalPence, suppliers } = aggregate;
  if (totalPence <= 0 || suppliers === 0) return { expenseType, hhi: 0, top1Share: 0, top5Share: 0, totalPence: 0, suppliers: 0 };
  const hhi = (10_000 * aggregate.sumOfSquares) / (totalPence * totalPence);
  return {
    expenseType,
    hhi: Math.round(hhi * 10) / 10,
    top1Share: round4(aggregate.top1Pence / totalPence),
    top5Share: round4(aggregate.top5Pence / totalPence),
    totalPence,
    suppliers,
  };
}

/**
 * Concentration of spend among suppliers from each supplier's net total. Suppliers whose net total is zero or
 * negative (credits) hold no share; redacted payees are not suppliers and are left out before this is called.
 */
export function computeConcentration(expenseType: string | null, supplierTotals: readonly number[]): Concentration {
  const positive = supplierTotals.filter((total) => total > 0).sort((a, b) => b - a);
  return concentrationFromAggregate({
    expenseType,
    suppliers: positive.length,
    totalPence: positive.reduce((sum, value) => sum + value, 0),
    top1Pence: positive[0] ?? 0,
    top5Pence: positive.slice(0, 5).reduce((sum, value) => sum + value, 0),
    sumOfSquares: positive.reduce((sum, value) => sum + value * value, 0),
  });
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** The plain-language reading of an HHI and top-supplier share (thresholds as UK and US competition authorities use them). */
export function describeConcentration(concentration: Pick<Concentration, 'hhi' | 'top1Share' | 'suppliers'>): {
  level: 'low' | 'moderate' | 'high';
  meaning: string;
} {
  const { hhi, top1Share, suppliers } = concentration;
  const level = hhi >= 2500 ? 'high' : hhi >= 1500 ? 'moderate' : 'low';
  const share = `${Math.round(top1Share * 100)}%`;
  if (suppliers === 1) return { level: 'high', meaning: 'One supplier was paid all of this spend.' };
  if (level === 'high')
    return {
      level,
      meaning: `Highly concentrated: a few suppliers take most of this spend, the largest ${share}. Worth checking for lock-in.`,
    };
  if (level === 'moderate')
    return { level, meaning: `Moderately concentrated: spend is shared by a handful of suppliers, the largest taking ${share}.` };
  return { level, meaning: `Spread out: many suppliers share this spend and the largest takes ${share}.` };
}
