/**
 * The pure arithmetic of the 2030 dashboard: quarters, the status rule and its trajectory, and breakdowns of a
 * figure by region and council type. No database and no clock: every input is passed in, so tests can check each
 * boundary by hand.
 */

export type Status = 'on-track' | 'needs-attention' | 'off-track' | 'not-yet-measured';

export const STATUS_LABELS: Record<Status, string> = {
  'on-track': 'On track',
  'needs-attention': 'Needs attention',
  'off-track': 'Off track',
  'not-yet-measured': 'Not yet measured',
};

/** The rule every card states, in words. */
export const STATUS_RULE =
  'On track when the growth achieved each year since the baseline (compound annual growth) is at least the growth needed each year ' +
  'from the baseline to reach the target by its deadline; needs attention when it is at least half of that; off track when it is ' +
  'less. A target already reached is on track. When the baseline is zero, growth is counted in units a year instead. Until a ' +
  'quarter (91 days) has passed since the baseline, a target not yet reached needs attention. Not yet measured when the data ' +
  'does not exist.';

export interface DatedValue {
  date: string;
  value: number;
}

const DAY_MS = 86_400_000;

/** Years between two dates (YYYY-MM-DD), as a fraction (365.25 days a year). */
export function yearsBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS / 365.25;
}

/** Growth a year from `from` to `to` over `years`: compound when both are positive, otherwise units a year. */
function growth(from: number, to: number, years: number, compound: boolean): number {
  if (compound) return to <= 0 ? -1 : Math.pow(to / from, 1 / years) - 1;
  return (to - from) / years;
}

export interface Assessment {
  status: Status;
  /** Growth a year needed from the baseline to the target (a fraction, or units a year when the baseline is zero). */
  needed: number | null;
  /** Growth a year achieved from the baseline to now, in the same terms. */
  achieved: number | null;
  /** Where the figure would be at the deadline at the pace achieved so far. */
  projected: number | null;
  compound: boolean;
}

/** The status rule (STATUS_RULE), with the growth figures behind it. Targets are all "higher is better". */
export function assessProgress(baseline: DatedValue | null, current: DatedValue | null, target: DatedValue): Assessment {
  const none = { needed: null, achieved: null, projected: null, compound: false };
  if (current === null) return { status: 'not-yet-measured', ...none };
  if (current.value >= target.value) return { status: 'on-track', ...none };
  if (baseline === null) return { status: 'needs-attention', ...none };
  const total = yearsBetween(baseline.date, target.date);
  const elapsed = yearsBetween(baseline.date, current.date);
  if (total <= 0) return { status: 'off-track', ...none };
  const compound = baseline.value > 0;
  const needed = growth(baseline.value, target.value, total, compound);
  if (elapsed * 365.25 < 91) return { status: 'needs-attention', needed, achieved: null, projected: null, compound };
  const achieved = growth(baseline.value, current.value, elapsed, compound);
  const projected = compound ? baseline.value * Math.pow(1 + achieved, total) : baseline.value + achieved * total;
  const status: Status = achieved >= needed ? 'on-track' : achieved >= needed / 2 ? 'needs-attention' : 'off-track';
  return { status, needed, achieved, projected, compound };
}

/** The end of the calendar quarter that contains a date (YYYY-MM-DD). */
export function quarterEndOf(date: string): string {
  const [year, month] = date.split('-').map(Number) as [number, number];
  const endMonth = Math.ceil(month / 3) * 3;
  const lastDay = new Date(Date.UTC(year, endMonth, 0)).getUTCDate();
  return `${year}-${String(endMonth).padStart(2, '0')}-${String(lastDay).padStart(2, '0')}`;
}

/** The most recent quarter end strictly before a date: the quarter whose snapshot is due on that date. */
export function lastEndedQuarter(date: string): string {
  const end = quarterEndOf(date);
  if (end < date) return end;
  const [year, month] = date.split('-').map(Number) as [number, number];
  const startMonth = Math.ceil(month / 3) * 3 - 2;
  const previous = new Date(Date.UTC(year, startMonth - 1, 0));
  return previous.toISOString().slice(0, 10);
}

/** The next `count` quarter ends on or after a date: when the next snapshots are due. */
export function nextQuarterEnds(date: string, count: number): string[] {
  const ends: string[] = [];
  let cursor = quarterEndOf(date);
  while (ends.length < count) {
    ends.push(cursor);
    const next = new Date(Date.parse(`${cursor}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
    cursor = quarterEndOf(next);
  }
  return ends;
}

/** "2026 Q3" for a quarter end. */
export function quarterLabel(quarterEnd: string): string {
  const [year, month] = quarterEnd.split('-').map(Number) as [number, number];
  return `${year} Q${Math.ceil(month / 3)}`;
}

export interface BreakdownRow {
  key: string;
  label: string;
  /** Councils in the group (the denominator). */
  councils: number;
  /** Councils in the group that count towards the figure. */
  counted: number;
  /** counted / councils, as a percentage to one decimal place (null for an empty group). */
  percentage: number | null;
}

export interface BreakdownCouncil {
  id: number;
  region: string | null;
  councilType: string | null;
  councilTypeName: string | null;
}

/** Councils counted towards a figure, by a grouping (region or council type), against every current council of the group. */
export function breakdown(
  councils: readonly BreakdownCouncil[],
  counted: ReadonlySet<number>,
  group: (council: BreakdownCouncil) => { key: string; label: string },
): BreakdownRow[] {
  const rows = new Map<string, BreakdownRow>();
  for (const council of councils) {
    const { key, label } = group(council);
    const row = rows.get(key) ?? { key, label, councils: 0, counted: 0, percentage: null };
    row.councils += 1;
    if (counted.has(council.id)) row.counted += 1;
    rows.set(key, row);
  }
  return [...rows.values()]
    .map((row) => ({ ...row, percentage: percentage(row.counted, row.councils) }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

export const byRegion = (council: BreakdownCouncil) => ({ key: council.region ?? 'none', label: council.region ?? 'Not recorded' });
export const byCouncilType = (council: BreakdownCouncil) => ({
  key: council.councilType ?? 'none',
  label: council.councilTypeName ?? 'Not recorded',
});

/** A share as a percentage to one decimal place; null when there is nothing to divide by. */
export function percentage(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}
