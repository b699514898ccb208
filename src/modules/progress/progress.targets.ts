/**
 * The 2030 targets: what each counts, its denominator, where its data comes from and its known gaps (the method
 * pages print these words), and the facts the other modules give. Each target's figure is worked out in
 * progress.measures.ts.
 */
import type { BreakdownCouncil, BreakdownRow } from './progress.rules.js';

/** The deadline of every target: the end of the sector plan's last year. */
export const DEADLINE = '2030-03-31';

export type Unit = 'percent' | 'count' | 'index';

export interface CouncilFact extends BreakdownCouncil {
  code: string;
  name: string;
}

/** What the other modules tell the dashboard (through their services). A null part has no data yet. */
export interface ProgressFacts {
  onDate: string;
  /** Current principal councils of England: the denominator of every council figure. */
  councils: CouncilFact[];
  centres: { id: number; slug: string; name: string; memberIds: number[]; openedOn: string | null }[];
  standards: { slug: string; title: string; meetingCodes: string[] }[];
  adoptions: { componentSlug: string; componentName: string; organisationId: number; status: string; freshness: string }[];
  challenges: { id: number; title: string; stage: string; sharerIds: number[]; responses: number; collaboration: boolean; url: string }[];
  /** Spend with SMEs where the supplier's size is known; null until contracts record supplier scale. */
  smeSpend: { smePence: number; knownPence: number; councilIds: number[] } | null;
  exchanges: { live: number; target: number } | null;
  workforce: {
    baselineYear: number;
    baseline: number;
    currentYear: number;
    current: number;
    target: number;
    regions: { name: string; index: number | null }[];
  } | null;
  mentoring: { completed: number } | null;
  chiefExecutives: { value: number; asOf: string } | null;
}

export interface Method {
  counts: string;
  denominator: string;
  source: string;
  gaps: string;
}

export interface TargetDefinition {
  id: string;
  title: string;
  unit: Unit;
  /** The goal by the deadline (null when the source sets it, as the workforce target does). */
  goal: number | null;
  /** Where the goal's number comes from. */
  goalNote: string;
  method: Method;
  records: { href: string; text: string };
}

export interface Measurement {
  id: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  /** Overrides of the baseline and goal when the source defines them (the workforce index). */
  baseline?: { date: string; value: number };
  goal?: number;
  byRegion: BreakdownRow[];
  byCouncilType: BreakdownRow[];
  /** Why there are no breakdowns, when there are none. */
  breakdownNote: string;
}

const COUNCIL_DENOMINATOR =
  'Current principal councils of England on the day (county, district, unitary, metropolitan and London borough councils), from the register; former councils never count.';
const PARTICIPANT_BREAKDOWN =
  'Breakdowns count the current councils taking part in what the figure counts, against every current council of the region or type.';

export const SHARED_CHALLENGE_MINIMUM = 3;
export const COMPONENT_MINIMUM = 10;

export const BASE_TARGETS: TargetDefinition[] = [
  {
    id: 'regional-centres',
    title: 'Regional centres of service innovation running',
    unit: 'count',
    goal: 5,
    goalNote: 'The sector plan: five to eight regional centres with one coordinating institute (the lower bound).',
    method: {
      counts: 'Regional centres in the register that have opened and have at least one member council.',
      denominator: 'None: a count.',
      source: 'The organisations register (regional centres and their member councils).',
      gaps: 'The demo centres are labelled as demo; a real deployment replaces them.',
    },
    records: { href: '/regional-centres', text: 'The regional centres' },
  },
  {
    id: 'standards-overall',
    title: 'Councils meeting every standard in force',
    unit: 'percent',
    goal: 70,
    goalNote: 'The sector plan: 70% of councils adopting trusted standards.',
    method: {
      counts:
        'Councils whose most recent decision (within 24 months) on every published standard is “met”, on any basis (self-assessed, peer-reviewed or audited).',
      denominator: COUNCIL_DENOMINATOR,
      source: 'The standards module’s adoption measure, one per standard.',
      gaps: 'Self-assessments count as met; the standards pages split met by basis.',
    },
    records: { href: '/standards', text: 'Standards and councils’ assessments' },
  },
  {
    id: 'components-used',
    title: `Components used by ${COMPONENT_MINIMUM} or more councils`,
    unit: 'count',
    goal: 30,
    goalNote: 'Assumed: the sector plan asks for a library of common components councils adopt but sets no number.',
    method: {
      counts: `Components in the catalogue that ${COMPONENT_MINIMUM} or more current councils declare they are using, confirmed within the last 12 months.`,
      denominator: 'None: a count. ' + PARTICIPANT_BREAKDOWN,
      source: 'The catalogue’s adoption declarations.',
      gaps: 'Declarations are made by councils themselves; piloting and exploring do not count.',
    },
    records: { href: '/components?sort=adopters', text: 'Components and who uses them' },
  },
  {
    id: 'challenges-shared',
    title: `Challenges shared by ${SHARED_CHALLENGE_MINIMUM} or more councils`,
    unit: 'count',
    goal: 50,
    goalNote: 'Assumed: the sector plan asks for challenges published for SMEs and bought together but sets no number.',
    method: {
      counts: `Public challenges that ${SHARED_CHALLENGE_MINIMUM} or more current councils share now (sharers who left do not count).`,
      denominator: 'None: a count. ' + PARTICIPANT_BREAKDOWN,
      source: 'The challenges pipeline.',
      gaps: 'Draft challenges are not counted.',
    },
    records: { href: `/challenges?minSharers=${SHARED_CHALLENGE_MINIMUM}`, text: 'Challenges shared by three or more councils' },
  },
  {
    id: 'challenges-collaborations',
    title: 'Shared challenges turned into collaborations',
    unit: 'count',
    goal: 20,
    goalNote: 'Assumed, as for shared challenges.',
    method: {
      counts: `Challenges shared by ${SHARED_CHALLENGE_MINIMUM} or more current councils that have a collaboration proposal (buying or building together).`,
      denominator: 'None: a count. ' + PARTICIPANT_BREAKDOWN,
      source: 'The challenges pipeline’s collaborations.',
      gaps: 'A proposal counts from the day it is made, whether or not it goes ahead.',
    },
    records: { href: `/challenges?minSharers=${SHARED_CHALLENGE_MINIMUM}`, text: 'Shared challenges' },
  },
  {
    id: 'challenges-solved',
    title: 'Shared challenges solved',
    unit: 'count',
    goal: 10,
    goalNote: 'Assumed, as for shared challenges.',
    method: {
      counts: `Challenges shared by ${SHARED_CHALLENGE_MINIMUM} or more current councils at the “solved” stage.`,
      denominator: 'None: a count. ' + PARTICIPANT_BREAKDOWN,
      source: 'The challenges pipeline’s stages.',
      gaps: 'The stage is set by the councils sharing the challenge.',
    },
    records: { href: `/challenges?stage=solved&minSharers=${SHARED_CHALLENGE_MINIMUM}`, text: 'Solved challenges' },
  },
  {
    id: 'sme-spend',
    title: 'Share of spend with SMEs, where supplier size is known',
    unit: 'percent',
    goal: 33,
    goalNote: 'Assumed: the government’s aspiration for spend with SMEs; the sector plan gives no number.',
    method: {
      counts:
        'Contract value awarded to suppliers marked as micro, small or medium-sized, or self-employed (OCDS supplier scale), of all contract value in pounds whose supplier scale is known.',
      denominator: 'Contract value with a known supplier scale, for current councils.',
      source: 'The contracts register (OCDS imports).',
      gaps: 'Only contracts whose OCDS release gives the supplier’s size (parties’ details.scale) count; many publishers leave it out, and then the figure is not yet measured. A contract with several suppliers is shared equally among them. Micro, small, medium-sized and self-employed suppliers count as SMEs.',
    },
    records: { href: '/contracts', text: 'The contracts register' },
  },
  {
    id: 'data-exchanges',
    title: 'Cross-institution data exchanges live (of 15)',
    unit: 'count',
    goal: 15,
    goalNote: 'The sector plan: fifteen cross-institution data exchanges.',
    method: {
      counts: 'Exemplar data exchanges whose status is live or replicated.',
      denominator: 'None: a count towards 15.',
      source: 'The data-sharing module’s exemplars.',
      gaps: 'Status is set by institute staff.',
    },
    records: { href: '/data-sharing/exemplars', text: 'The exemplars' },
  },
  {
    id: 'workforce-under-represented',
    title: 'Under-represented groups in the digital workforce (index, against +20%)',
    unit: 'index',
    goal: null,
    goalNote:
      'The sector plan: 20% more digital staff from under-represented backgrounds, measured as the workforce module’s index (baseline × 1.2).',
    method: {
      counts:
        'The workforce module’s index of under-represented groups in councils’ digital teams, from published, disclosure-controlled tables.',
      denominator: 'Staff who declared, in councils that made a return that year.',
      source: 'The workforce module’s published tables (its +20% target).',
      gaps: 'Yearly, not quarterly; only councils that make a return count; small figures are hidden. No council-type breakdown is published.',
    },
    records: { href: '/workforce/target', text: 'The workforce target and its tables' },
  },
  {
    id: 'mentoring-pairs',
    title: 'Mentoring pairs completed',
    unit: 'count',
    goal: 500,
    goalNote: 'Assumed: the sector plan asks for mentoring pairs but sets no number.',
    method: {
      counts: 'Mentoring pairs that ended after at least three months together.',
      denominator: 'None: a count.',
      source: 'The workforce module’s mentoring rounds.',
      gaps: 'A pair that ends early, or is reported, does not count.',
    },
    records: { href: '/workforce/mentoring', text: 'Mentoring' },
  },
  {
    id: 'chief-executives-digital',
    title: 'Council chief executives from digital backgrounds',
    unit: 'count',
    goal: 10,
    goalNote: 'The sector plan: at least ten chief executives from digital backgrounds.',
    method: {
      counts: 'A declared, aggregate count, entered by the institute’s platform admins with its date and source.',
      denominator: 'None: a count.',
      source: 'Declared by the institute; no personal records are kept.',
      gaps: 'Not computed from records; it is as good as the survey behind it.',
    },
    records: { href: '/progress/institute', text: 'The institute’s view (who entered it and when)' },
  },
];

/** One target per standard in force, beside the overall one. */
export function standardTarget(standard: { slug: string; title: string }): TargetDefinition {
  return {
    id: `standard-${standard.slug}`,
    title: `Councils meeting ${standard.title}`,
    unit: 'percent',
    goal: 70,
    goalNote: 'The sector plan: 70% of councils adopting trusted standards.',
    method: {
      counts: `Councils whose most recent decision on ${standard.title} (within 24 months) is “met”, on any basis.`,
      denominator: COUNCIL_DENOMINATOR,
      source: 'The standards module’s adoption measure.',
      gaps: 'Self-assessments count as met; the standard’s page splits met by basis.',
    },
    records: { href: `/standards/${standard.slug}/adoption`, text: `Councils’ decisions on ${standard.title}` },
  };
}

/** Every target, the standards' own among them (after the overall standards target). */
export function targetDefinitions(standards: readonly { slug: string; title: string }[]): TargetDefinition[] {
  const [first, second, ...rest] = BASE_TARGETS as [TargetDefinition, TargetDefinition, ...TargetDefinition[]];
  return [first, second, ...standards.map(standardTarget), ...rest];
}
