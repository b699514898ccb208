import type { Basis, Rating } from './standards.tables.js';

/** The share of councils the sector aims to have meeting each standard by 2030. */
export const ADOPTION_TARGET = 0.7;
/** An assessment counts for this many months after its latest decision. */
export const ASSESSMENT_VALID_MONTHS = 24;
/** Quarters shown on the adoption chart. */
export const CHART_QUARTERS = 8;

export const RATINGS: readonly Rating[] = ['met', 'partly-met', 'not-met', 'not-applicable'];
export const RATING_LABELS: Record<Rating, string> = {
  met: 'Met',
  'partly-met': 'Partly met',
  'not-met': 'Not met',
  'not-applicable': 'Not applicable',
};
export const BASIS_LABELS: Record<Basis, string> = { self: 'Self-assessed', peer: 'Peer-reviewed', audited: 'Audited' };
