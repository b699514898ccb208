import type { CsvColumn } from '../../platform/http/lists.js';
import type { CaseStudyDetail, CaseStudySummary } from './case-studies.service.js';
import { OUTCOME_ROWS } from './case-studies.input.js';
import { EVIDENCE_CRITERIA } from './evidence.js';
import { COST_BAND_LABELS, METHOD_LABELS } from './knowledge.labels.js';
import { COST_BANDS, EVIDENCE_LEVELS, MEASUREMENT_METHODS } from './knowledge.tables.js';

/** The columns of the case-study list's CSV download. */
export const caseStudyCsvColumns: CsvColumn<CaseStudySummary>[] = [
  { header: 'slug', value: (item) => item.slug },
  { header: 'title', value: (item) => item.title },
  { header: 'organisation', value: (item) => item.organisation.name },
  { header: 'organisation_code', value: (item) => item.organisation.code },
  { header: 'service_area', value: (item) => item.serviceArea },
  { header: 'region', value: (item) => item.region },
  { header: 'council_type', value: (item) => item.councilType },
  { header: 'claimed_level', value: (item) => item.claimedLevel },
  { header: 'evidence_level', value: (item) => item.evidenceLevel },
  { header: 'published_at', value: (item) => item.publishedAt },
  { header: 'summary', value: (item) => item.summary },
];

/** A case study's form values from its detail (for editing). */
export function formValuesOf(detail: CaseStudyDetail): Record<string, string> {
  const values: Record<string, string> = {
    title: detail.title,
    summary: detail.summary,
    problem: detail.problem,
    whatWeDid: detail.whatWeDid,
    serviceArea: detail.serviceArea,
    costOneOffBand: detail.cost.oneOffBand,
    costYearlyBand: detail.cost.yearlyBand,
    costOneOffPounds: detail.cost.oneOffPounds === null ? '' : String(detail.cost.oneOffPounds),
    costYearlyPounds: detail.cost.yearlyPounds === null ? '' : String(detail.cost.yearlyPounds),
    lessons: detail.lessons,
    doDifferently: detail.doDifferently,
    claimedLevel: String(detail.evidence.claimedLevel),
    claimJustification: detail.evidence.claimJustification,
    contactName: detail.contact?.name ?? '',
    contactEmail: detail.contact?.email ?? '',
    contactConsent: detail.contact ? 'yes' : '',
    sources: detail.sources,
    components: detail.links.components.map((link) => link.reference).join('\n'),
    standards: detail.links.standards
      .map((link) => (link.pointNumber === null ? link.reference : `${link.reference} ${link.pointNumber}`))
      .join('\n'),
    challenges: detail.links.challenges.map((link) => link.reference).join('\n'),
    suppliers: detail.links.suppliers.map((link) => link.label).join('\n'),
    agreements: detail.links.agreements.map((link) => link.label).join('\n'),
  };
  detail.outcomes.slice(0, OUTCOME_ROWS).forEach((outcome, index) => {
    const prefix = `outcome${index + 1}`;
    values[`${prefix}Metric`] = outcome.metric;
    values[`${prefix}Baseline`] = outcome.baseline;
    values[`${prefix}Result`] = outcome.result;
    values[`${prefix}Period`] = outcome.period;
    values[`${prefix}Method`] = outcome.method;
  });
  return values;
}

/** Option lists for the case-study and replication forms. */
export function formOptions(values: Record<string, string | undefined>, serviceAreas: readonly { value: string; text: string }[]) {
  const methodOptions = (chosen: string | undefined) => [
    { value: '', text: 'Choose how it was measured' },
    ...MEASUREMENT_METHODS.map((method) => ({ value: method, text: METHOD_LABELS[method], selected: chosen === method })),
  ];
  return {
    serviceAreaOptions: [
      { value: '', text: 'Choose a service area' },
      ...serviceAreas.map((area) => ({ ...area, selected: area.value === values.serviceArea })),
    ],
    costOneOffOptions: COST_BANDS.map((band) => ({
      value: band,
      text: COST_BAND_LABELS[band],
      selected: (values.costOneOffBand || 'not-disclosed') === band,
    })),
    costYearlyOptions: COST_BANDS.map((band) => ({
      value: band,
      text: COST_BAND_LABELS[band],
      selected: (values.costYearlyBand || 'not-disclosed') === band,
    })),
    levelOptions: EVIDENCE_LEVELS.map((level) => ({
      value: String(level),
      text: EVIDENCE_CRITERIA[level].name,
      hint: { text: EVIDENCE_CRITERIA[level].criteria },
      checked: values.claimedLevel === String(level),
    })),
    outcomeRows: Array.from({ length: OUTCOME_ROWS }, (_, index) => ({
      number: index + 1,
      methodOptions: methodOptions(values[`outcome${index + 1}Method`]),
    })),
  };
}
