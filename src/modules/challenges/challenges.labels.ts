import type { Approach, BudgetBand, ServiceArea, Stage } from './challenges.tables.js';

/** The words the pages use for each stage. */
export const STAGE_LABELS: Record<Stage, string> = {
  identified: 'Identified',
  exploring: 'Exploring',
  funded: 'Funded',
  'in-delivery': 'In delivery',
  solved: 'Solved',
  closed: 'Closed',
};

/** The words the pages use for each service area. */
export const SERVICE_AREA_LABELS: Record<ServiceArea, string> = {
  'adult-social-care': 'Adult social care',
  'children-and-education': 'Children and education',
  housing: 'Housing',
  'revenues-and-benefits': 'Revenues and benefits',
  'environment-and-waste': 'Environment and waste',
  'highways-and-transport': 'Highways and transport',
  'planning-and-building-control': 'Planning and building control',
  'public-health': 'Public health',
  'customer-services': 'Customer services',
  'corporate-and-technology': 'Corporate services and technology',
};

/** The words the pages use for each budget band. */
export const BUDGET_BAND_LABELS: Record<BudgetBand, string> = {
  unknown: 'Not known yet',
  'under-25k': 'Under £25,000',
  '25k-100k': '£25,000 to £100,000',
  '100k-500k': '£100,000 to £500,000',
  '500k-plus': 'Over £500,000',
};

/** The words the pages use for each collaboration approach. */
export const APPROACH_LABELS: Record<Approach, string> = {
  'build-together': 'Build it together',
  'buy-together': 'Buy it together',
  'reuse-component': 'Reuse an existing component',
};

/** What a sharer's scale counts. */
export const SCALE_UNITS = ['residents', 'households', 'cases', 'staff'] as const;
export type ScaleUnit = (typeof SCALE_UNITS)[number];
