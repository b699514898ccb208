import type { ChallengeListRow } from './challenges.repository.js';
import type { Demand, Sharer } from './challenges.types.js';

/** A challenge not updated for this many months is stale: its owner is asked to confirm or close it. */
export const STALE_AFTER_MONTHS = 6;
/** Below this score a match is noise (a shared common word); pages suggest only challenges scoring at least this. */
export const SUGGESTION_THRESHOLD = 0.15;
/** A challenge needs this many sharing councils before it can become a collaboration proposal. */
export const COLLABORATION_MINIMUM = 3;
export const COUNCIL_KINDS = new Set(['principal', 'combined-authority', 'strategic-authority']);

/** Sharers of a challenge and what they add up to: each organisation once, former councils flagged. */
export function summariseDemand(sharers: readonly Sharer[]): Demand {
  const byOrganisation = new Map<number, Sharer>();
  for (const sharer of sharers) if (!byOrganisation.has(sharer.organisationId)) byOrganisation.set(sharer.organisationId, sharer);
  const unique = [...byOrganisation.values()];
  const tally = (key: (sharer: Sharer) => string) => {
    const counts = new Map<string, number>();
    for (const sharer of unique) counts.set(key(sharer), (counts.get(key(sharer)) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  };
  const units = new Map<string, number>();
  for (const sharer of unique) if (sharer.scale !== null) units.set(sharer.scaleUnit, (units.get(sharer.scaleUnit) ?? 0) + sharer.scale);
  return {
    sharedBy: unique.length,
    currentCouncils: unique.filter((sharer) => sharer.current).length,
    formerCouncils: unique.filter((sharer) => !sharer.current).length,
    byTier: tally((sharer) => sharer.tier ?? 'Other').map(([tier, count]) => ({ tier, count })),
    byRegion: tally((sharer) => sharer.region ?? 'Not recorded').map(([region, count]) => ({ region, count })),
    combinedScale: unique.reduce((total, sharer) => total + (sharer.scale ?? 0), 0),
    scaleByUnit: [...units.entries()].map(([unit, total]) => ({ unit, total })),
  };
}

/** The path of the page that turns a shared challenge into a collaboration proposal (other modules link to it). */
export function startCollaborationPath(challengeId: number): string {
  return `/challenges/${challengeId}/collaboration/new`;
}

/** The path of a challenge's page. */
export function challengePath(challengeId: number): string {
  return `/challenges/${challengeId}`;
}

export function pickEditable(row: Omit<ChallengeListRow, 'owner_name' | 'owner_code' | 'shared_by' | 'combined_scale' | 'scale_by_unit'>) {
  return {
    title: row.title,
    problem: row.problem,
    affects: row.affects,
    serviceArea: row.service_area,
    workaround: row.workaround,
    goodLooksLike: row.good_looks_like,
    constraints: row.constraints,
    budgetBand: row.budget_band,
    timescale: row.timescale,
    contractEndDate: row.contract_end_date,
    visibility: row.visibility,
    contactName: row.contact_name,
    contactEmail: row.contact_email,
  };
}
