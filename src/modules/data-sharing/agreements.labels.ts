/**
 * The legal vocabulary of an agreement, from the texts: UK GDPR Article 6(1) lawful bases, Article 9(2)
 * conditions for special category data, the Data Protection Act 2018 Schedule 1 conditions that some of those
 * need (section 10), and the ICO's list of processing likely to result in high risk (when a DPIA is expected).
 */
import type { AgreementStatus, DpiaStatus, ExemplarStatus, PartyRole, StandardStatus } from './data-sharing.tables.js';

export const LAWFUL_BASES = {
  consent: 'Article 6(1)(a): consent',
  contract: 'Article 6(1)(b): contract',
  'legal-obligation': 'Article 6(1)(c): legal obligation',
  'vital-interests': 'Article 6(1)(d): vital interests',
  'public-task': 'Article 6(1)(e): public task',
  'legitimate-interests': 'Article 6(1)(f): legitimate interests (not open to public authorities doing their tasks)',
} as const;
export type LawfulBasis = keyof typeof LAWFUL_BASES;

export const ARTICLE9_CONDITIONS = {
  'explicit-consent': 'Article 9(2)(a): explicit consent',
  'employment-social-security': 'Article 9(2)(b): employment, social security and social protection',
  'vital-interests': 'Article 9(2)(c): vital interests',
  'not-for-profit-bodies': 'Article 9(2)(d): not-for-profit bodies',
  'made-public': 'Article 9(2)(e): made public by the data subject',
  'legal-claims': 'Article 9(2)(f): legal claims or judicial acts',
  'substantial-public-interest': 'Article 9(2)(g): reasons of substantial public interest',
  'health-social-care': 'Article 9(2)(h): health or social care',
  'public-health': 'Article 9(2)(i): public health',
  'archiving-research': 'Article 9(2)(j): archiving, research and statistics',
} as const;
export type Article9Condition = keyof typeof ARTICLE9_CONDITIONS;

/** DPA 2018 s10: these Article 9 conditions apply only with a Schedule 1 condition (Part 1, or Part 2 for (g)). */
export const NEEDS_SCHEDULE1: Record<Article9Condition, 'part-1' | 'part-2' | null> = {
  'explicit-consent': null,
  'employment-social-security': 'part-1',
  'vital-interests': null,
  'not-for-profit-bodies': null,
  'made-public': null,
  'legal-claims': null,
  'substantial-public-interest': 'part-2',
  'health-social-care': 'part-1',
  'public-health': 'part-1',
  'archiving-research': 'part-1',
};

export const SCHEDULE1_CONDITIONS = {
  'p1-employment': 'Schedule 1, Part 1, paragraph 1: employment, social security and social protection',
  'p1-health-social-care': 'Schedule 1, Part 1, paragraph 2: health or social care purposes',
  'p1-public-health': 'Schedule 1, Part 1, paragraph 3: public health',
  'p1-research': 'Schedule 1, Part 1, paragraph 4: research etc.',
  'p2-statutory-purposes': 'Schedule 1, Part 2, paragraph 6: statutory and government purposes',
  'p2-justice': 'Schedule 1, Part 2, paragraph 7: administration of justice and parliamentary purposes',
  'p2-equality': 'Schedule 1, Part 2, paragraph 8: equality of opportunity or treatment',
  'p2-preventing-unlawful-acts': 'Schedule 1, Part 2, paragraph 10: preventing or detecting unlawful acts',
  'p2-regulatory': 'Schedule 1, Part 2, paragraph 12: regulatory requirements',
  'p2-support-disability': 'Schedule 1, Part 2, paragraph 16: support for individuals with a particular disability or medical condition',
  'p2-counselling': 'Schedule 1, Part 2, paragraph 17: counselling',
  'p2-safeguarding': 'Schedule 1, Part 2, paragraph 18: safeguarding of children and of individuals at risk',
  'p2-economic-wellbeing': 'Schedule 1, Part 2, paragraph 19: safeguarding of economic well-being of certain individuals',
} as const;
export type Schedule1Condition = keyof typeof SCHEDULE1_CONDITIONS;

/** The ICO's examples of processing likely to result in high risk, and UK GDPR Article 35(3)'s own cases. */
export const DPIA_TRIGGERS = {
  'data-matching': 'Combining, comparing or matching data from several sources',
  'vulnerable-people': 'Data about vulnerable people (for example adults at risk, people in crisis)',
  children: 'Data about children, or services offered to them',
  'large-scale': 'Large scale: many people, a whole area’s population, or a lot of data about each person',
  'special-category-large-scale': 'Special category or criminal offence data on a large scale',
  'innovative-technology': 'Innovative technology (for example AI or machine learning)',
  'denial-of-service': 'Decisions about a person’s access to a service, opportunity or benefit',
  profiling: 'Profiling or automated decision-making with significant effects',
  'systematic-monitoring': 'Systematic monitoring, tracking or invisible processing',
  'biometric-genetic': 'Biometric or genetic data',
  'risk-of-harm': 'A risk of physical harm if the data were lost or misused',
} as const;
export type DpiaTrigger = keyof typeof DPIA_TRIGGERS;

export const AGREEMENT_STATUS_LABELS: Record<AgreementStatus, string> = {
  draft: 'Draft',
  agreed: 'Agreed',
  active: 'Active',
  'under-review': 'Under review',
  ended: 'Ended',
};

/** Where an agreement may go next from each status. */
export const NEXT_STATUSES: Record<AgreementStatus, AgreementStatus[]> = {
  draft: ['agreed', 'ended'],
  agreed: ['active', 'draft', 'ended'],
  active: ['under-review', 'ended'],
  'under-review': ['active', 'ended'],
  ended: [],
};

export const PARTY_ROLE_LABELS: Record<PartyRole, string> = {
  controller: 'Controller',
  'joint-controller': 'Joint controller',
  processor: 'Processor',
};

export const DPIA_STATUS_LABELS: Record<DpiaStatus, string> = {
  'not-started': 'Not started',
  'in-progress': 'In progress',
  done: 'Done',
  'not-needed': 'Not needed (screened out)',
};

export const STANDARD_STATUS_LABELS: Record<StandardStatus, string> = { draft: 'Draft', recommended: 'Recommended', required: 'Required' };

export const EXEMPLAR_STATUS_LABELS: Record<ExemplarStatus, string> = {
  proposed: 'Proposed',
  'in-progress': 'In progress',
  live: 'Live',
  replicated: 'Replicated',
};
