import type { CaseStudyStatus, CostBand, MeasurementMethod } from './knowledge.tables.js';

/** The words the pages use for each cost band. */
export const COST_BAND_LABELS: Record<CostBand, string> = {
  'not-disclosed': 'Not disclosed',
  none: 'Nothing',
  'under-10k': 'Under £10,000',
  '10k-50k': '£10,000 to £50,000',
  '50k-250k': '£50,000 to £250,000',
  '250k-1m': '£250,000 to £1 million',
  '1m-plus': 'Over £1 million',
};

/** How an outcome was measured, in the pages' words. */
export const METHOD_LABELS: Record<MeasurementMethod, string> = {
  estimate: 'Estimate (not measured)',
  'before-after': 'Measured before and after',
  'comparison-group': 'Compared with a group or place that did not get it',
  randomised: 'Randomised trial',
  'independent-evaluation': 'Independent evaluation',
};

export const STATUS_LABELS: Record<CaseStudyStatus, string> = {
  draft: 'Draft',
  submitted: 'Waiting for review',
  returned: 'Returned for changes',
  published: 'Published',
};

/** What each kind of followed topic is called on the pages. */
export const TOPIC_KIND_LABELS: Record<string, string> = {
  'service-area': 'Service area',
  region: 'Region',
  component: 'Component',
  challenge: 'Challenge',
  standard: 'Standard',
  'data-standard': 'Data standard',
  agreement: 'Data-sharing agreement',
  supplier: 'Supplier',
  'case-study': 'Case study',
  organisation: 'Organisation',
};
