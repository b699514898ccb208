import { COST_BANDS, type CostBand, MEASUREMENT_METHODS, type MeasurementMethod } from './knowledge.tables.js';
import type { OutcomeInput } from './knowledge.repository.js';

export interface CaseStudyInput {
  title: string;
  summary: string;
  problem: string;
  whatWeDid: string;
  serviceArea: string;
  costOneOffBand: CostBand;
  costYearlyBand: CostBand;
  costOneOffPounds: number | null;
  costYearlyPounds: number | null;
  lessons: string;
  doDifferently: string;
  claimedLevel: number;
  claimJustification: string;
  contactName: string;
  contactEmail: string;
  contactConsent: boolean;
  sources: string;
  outcomes: OutcomeInput[];
  components: string[];
  standards: { slug: string; pointNumber: number | null }[];
  challenges: number[];
  suppliers: string[];
  agreements: string[];
}

export interface ReplicationInput {
  summary: string;
  differences: string;
  independentlyEvaluated: boolean;
  evaluationUrl: string;
  outcomes: OutcomeInput[];
}

type Problem = { field: string; message: string };

/** How many outcome rows the form offers (an API body may send more, up to the same limit). */
export const OUTCOME_ROWS = 3;
const MAX_OUTCOMES = 10;

const text = (value: unknown, max = 12_000): string => (typeof value === 'string' ? value.trim().slice(0, max) : '');
const items = (value: unknown): string[] =>
  (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/[\n,]/) : [])
    .map((item) => item.trim())
    .filter(Boolean)
    .slice(0, 50);

function pounds(value: unknown, field: string, problems: Problem[]): number | null {
  const raw = typeof value === 'number' ? String(value) : text(value).replace(/[£,\s]/g, '');
  if (raw === '') return null;
  if (!/^\d{1,9}$/.test(raw)) {
    problems.push({ field, message: 'Enter a whole number of pounds, like 25000, or leave it empty' });
    return null;
  }
  return Number(raw);
}

/** Outcomes from an API array or from the form's numbered rows; rows left wholly empty are skipped. */
export function parseOutcomes(raw: Record<string, unknown>, problems: Problem[]): OutcomeInput[] {
  const rows: Record<string, unknown>[] = Array.isArray(raw.outcomes)
    ? (raw.outcomes as Record<string, unknown>[]).slice(0, MAX_OUTCOMES)
    : Array.from({ length: OUTCOME_ROWS }, (_, index) => ({
        metric: raw[`outcome${index + 1}Metric`],
        baseline: raw[`outcome${index + 1}Baseline`],
        result: raw[`outcome${index + 1}Result`],
        period: raw[`outcome${index + 1}Period`],
        method: raw[`outcome${index + 1}Method`],
      }));
  const outcomes: OutcomeInput[] = [];
  rows.forEach((row, index) => {
    const field = Array.isArray(raw.outcomes) ? `outcomes[${index}]` : `outcome${index + 1}Metric`;
    const outcome = {
      metric: text(row.metric, 300),
      baseline: text(row.baseline, 300),
      result: text(row.result, 300),
      period: text(row.period, 200),
      method: text(row.method, 50),
    };
    if (!outcome.metric && !outcome.baseline && !outcome.result && !outcome.period) return;
    if (!outcome.metric) problems.push({ field, message: `Outcome ${index + 1}: say what was measured` });
    if (!outcome.result) problems.push({ field, message: `Outcome ${index + 1}: give the result` });
    if (!(MEASUREMENT_METHODS as readonly string[]).includes(outcome.method))
      problems.push({ field, message: `Outcome ${index + 1}: choose how it was measured` });
    outcomes.push({ ...outcome, method: (outcome.method || 'estimate') as MeasurementMethod });
  });
  return outcomes;
}

function parseStandards(value: unknown, problems: Problem[]): { slug: string; pointNumber: number | null }[] {
  return items(value).flatMap((item) => {
    // "service-standard", "service-standard 3", "service-standard point 3" or "service-standard#3".
    const match = /^([a-z0-9-]+)(?:\s*(?:#|\s)\s*(?:point\s*)?(\d{1,3}))?$/i.exec(item);
    if (!match?.[1]) {
      problems.push({
        field: 'standards',
        message: `“${item}” is not a standard’s name: use the name at the end of its page address, then a point number if you like`,
      });
      return [];
    }
    return [{ slug: match[1].toLowerCase(), pointNumber: match[2] ? Number(match[2]) : null }];
  });
}

function band(value: unknown, field: string, problems: Problem[]): CostBand {
  const chosen = text(value, 50) || 'not-disclosed';
  if ((COST_BANDS as readonly string[]).includes(chosen)) return chosen as CostBand;
  problems.push({ field, message: 'Choose a cost band' });
  return 'not-disclosed';
}

/** Reads a case study from a form or API body; problems name the field and say what to do. */
export function parseCaseStudyInput(
  raw: Record<string, unknown>,
  serviceAreaLabel: (area: string) => string,
): { input: CaseStudyInput | null; problems: Problem[] } {
  const problems: Problem[] = [];
  const required = (field: string, message: string, max = 12_000) => {
    const value = text(raw[field], max);
    if (!value) problems.push({ field, message });
    return value;
  };
  const title = required('title', 'Enter a title', 200);
  const summary = required('summary', 'Enter a summary of what happened, in a sentence or two', 1000);
  const problem = required('problem', 'Describe the problem you set out to solve');
  const whatWeDid = required('whatWeDid', 'Describe what you did');
  const serviceArea = text(raw.serviceArea, 100);
  if (!serviceArea || serviceAreaLabel(serviceArea) === serviceArea)
    problems.push({ field: 'serviceArea', message: 'Choose a service area' });
  const claimedLevel = Number(text(raw.claimedLevel, 2) || (typeof raw.claimedLevel === 'number' ? raw.claimedLevel : NaN));
  if (!Number.isInteger(claimedLevel) || claimedLevel < 1 || claimedLevel > 5)
    problems.push({ field: 'claimedLevel', message: 'Choose the evidence level you claim, from 1 to 5' });
  const contactEmail = text(raw.contactEmail, 300);
  const contactConsent = raw.contactConsent === true || raw.contactConsent === 'yes';
  if (contactConsent && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(contactEmail))
    problems.push({
      field: 'contactEmail',
      message: 'Enter the email address of the person who agreed to be contacted, like name@council.gov.uk',
    });
  const input: CaseStudyInput = {
    title,
    summary,
    problem,
    whatWeDid,
    serviceArea,
    costOneOffBand: band(raw.costOneOffBand, 'costOneOffBand', problems),
    costYearlyBand: band(raw.costYearlyBand, 'costYearlyBand', problems),
    costOneOffPounds: pounds(raw.costOneOffPounds, 'costOneOffPounds', problems),
    costYearlyPounds: pounds(raw.costYearlyPounds, 'costYearlyPounds', problems),
    lessons: text(raw.lessons),
    doDifferently: text(raw.doDifferently),
    claimedLevel,
    claimJustification: text(raw.claimJustification, 6000),
    contactName: text(raw.contactName, 300),
    contactEmail,
    contactConsent,
    sources: text(raw.sources, 6000),
    outcomes: parseOutcomes(raw, problems),
    components: items(raw.components).map((slug) => slug.toLowerCase()),
    standards: parseStandards(raw.standards, problems),
    challenges: items(raw.challenges).flatMap((item) => {
      const id = Number(item.replace(/^#/, ''));
      if (Number.isInteger(id) && id > 0 && id < 2_147_483_647) return [id];
      problems.push({ field: 'challenges', message: `“${item}” is not a challenge number` });
      return [];
    }),
    suppliers: items(raw.suppliers),
    agreements: items(raw.agreements),
  };
  return { input: problems.length > 0 && !title ? null : input, problems };
}

/** Reads a replication ("we did this too") from a form or API body; throws nothing, the service checks the problems. */
export function parseReplicationInput(raw: Record<string, unknown>): ReplicationInput & { problems: Problem[] } {
  const problems: Problem[] = [];
  const summary = text(raw.summary, 6000);
  if (!summary) problems.push({ field: 'summary', message: 'Describe what your council did' });
  const independentlyEvaluated = raw.independentlyEvaluated === true || raw.independentlyEvaluated === 'yes';
  const evaluationUrl = text(raw.evaluationUrl, 1000);
  if (independentlyEvaluated && !/^https?:\/\/\S+$/.test(evaluationUrl))
    problems.push({ field: 'evaluationUrl', message: 'Give the address of the independent evaluation, starting https://' });
  return {
    summary,
    differences: text(raw.differences, 6000),
    independentlyEvaluated,
    evaluationUrl,
    outcomes: parseOutcomes(raw, problems),
    problems,
  };
}
