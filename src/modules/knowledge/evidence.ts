import type { EvidenceLevel, MeasurementMethod } from './knowledge.tables.js';

/**
 * Nesta's Standards of Evidence (Puttick and Ludlow, Nesta 2013), in the words shown on every case study.
 * A level is claimed by the author and confirmed by a reviewer from another organisation or the institute.
 */
export const EVIDENCE_CRITERIA: Record<EvidenceLevel, { name: string; criteria: string }> = {
  1: {
    name: 'Level 1: a logical reason it should work',
    criteria: 'You can describe what you did and why it should make a difference, in a way others can check and build on.',
  },
  2: {
    name: 'Level 2: data showing change',
    criteria:
      'You measured something before and after, and can show a change among the people or service concerned. This does not yet show you caused it.',
  },
  3: {
    name: 'Level 3: evidence you caused the change',
    criteria:
      'You compared with a group or place that did not get it (a comparison group, or better a randomised trial), so the change can be put down to what you did.',
  },
  4: {
    name: 'Level 4: independent evaluation with costs',
    criteria: 'Someone independent of you evaluated it and confirmed the impact, and you can explain what it cost and why it works.',
  },
  5: {
    name: 'Level 5: replicated and scaled',
    criteria: 'It has worked in other places, with independent evaluations confirming it can be used elsewhere with the same impact.',
  },
};

/** The rules by which replications raise a confirmed level, as written on the pages. */
export const REPLICATION_RULES = [
  'Replications never raise a level that no reviewer has confirmed, and raise a confirmed level by one step at most.',
  'A level 3 case study becomes level 4 when another council replicated it, measured at least one outcome before and after, and had it independently evaluated.',
  'A level 4 case study becomes level 5 when at least two other councils replicated it with measured outcomes, and at least one of those was independently evaluated.',
  'Replications by the council that wrote the case study do not count.',
] as const;

export interface ReplicationEvidence {
  organisationId: number;
  independentlyEvaluated: boolean;
  outcomes: readonly { baseline: string; result: string; method: MeasurementMethod }[];
}

/** A replication "measured" its outcome when at least one outcome has a baseline and a result, measured beyond an estimate. */
function measured(replication: ReplicationEvidence): boolean {
  return replication.outcomes.some(
    (outcome) => outcome.baseline.trim() !== '' && outcome.result.trim() !== '' && outcome.method !== 'estimate',
  );
}

/**
 * The level a case study stands at: the reviewer's confirmed level, raised by replications only as REPLICATION_RULES
 * say. Null while no reviewer has confirmed a level.
 */
export function effectiveEvidenceLevel(
  confirmedLevel: number | null,
  authorOrganisationId: number,
  replications: readonly ReplicationEvidence[],
): EvidenceLevel | null {
  if (confirmedLevel === null) return null;
  const counted = replications.filter((replication) => replication.organisationId !== authorOrganisationId && measured(replication));
  const councils = new Set(counted.map((replication) => replication.organisationId));
  const independent = counted.some((replication) => replication.independentlyEvaluated);
  // One step at most: a replication is evidence about the next level, not a way round the review.
  if (confirmedLevel === 3 && independent) return 4;
  if (confirmedLevel === 4 && councils.size >= 2 && independent) return 5;
  return confirmedLevel as EvidenceLevel;
}

/** Checks a claim against what the case study itself records: the highest level its outcomes could support. */
export function highestSupportedLevel(outcomes: readonly { baseline: string; result: string; method: MeasurementMethod }[]): EvidenceLevel {
  const methods = new Set(outcomes.filter((outcome) => outcome.result.trim() !== '').map((outcome) => outcome.method));
  const withBaseline = outcomes.some(
    (outcome) => outcome.baseline.trim() !== '' && outcome.result.trim() !== '' && outcome.method !== 'estimate',
  );
  if (methods.has('independent-evaluation')) return 5;
  if (methods.has('comparison-group') || methods.has('randomised')) return 3;
  if (withBaseline) return 2;
  return 1;
}
