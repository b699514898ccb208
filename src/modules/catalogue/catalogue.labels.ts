import type { AdoptionStatus, AttachmentKind, ComponentHosting, ComponentKind, CostModel, EvidenceKind } from './catalogue.tables.js';
import type { DevelopmentStatus } from './publiccode/index.js';

/** A declaration not re-confirmed for this many months is "unconfirmed" and stops counting. */
export const FRESHNESS_MONTHS = 12;
/** Contacts are reminded from this many months after their last confirmation, and again every REMINDER_INTERVAL_DAYS. */
export const REMINDER_AFTER_MONTHS = 11;
export const REMINDER_INTERVAL_DAYS = 30;
export const MAX_COMPARED = 3;

export const KIND_LABELS: Record<ComponentKind, string> = {
  software: 'Software',
  api: 'API',
  'data-standard': 'Data standard',
  'service-pattern': 'Service pattern',
  template: 'Template',
  'contract-clause': 'Contract clause',
};

export const STATUS_LABELS: Record<DevelopmentStatus, string> = {
  concept: 'Concept',
  development: 'In development',
  beta: 'Beta',
  stable: 'Stable',
  obsolete: 'Obsolete',
};

export const HOSTING_LABELS: Record<ComponentHosting, string> = { 'self-hosted': 'Self-hosted', saas: 'Software as a service' };

export const COST_MODEL_LABELS: Record<CostModel, string> = {
  free: 'Free to use',
  'free-with-paid-support': 'Free, with paid support available',
  subscription: 'Subscription',
  'pay-per-use': 'Pay per use',
  'licence-fee': 'Licence fee',
  unknown: 'Not known',
};

export const ADOPTION_LABELS: Record<AdoptionStatus | 'unconfirmed', string> = {
  exploring: 'Exploring',
  piloting: 'Piloting',
  using: 'Using',
  retired: 'Retired',
  unconfirmed: 'Unconfirmed',
};

export const EVIDENCE_LABELS: Record<EvidenceKind, string> = {
  'service-url': 'Live service address',
  'contract-reference': 'Contract reference',
  note: 'Note',
};

export const ATTACHMENT_LABELS: Record<AttachmentKind, string> = {
  dpia: 'Data protection impact assessment (DPIA)',
  'accessibility-statement': 'Accessibility statement',
  specification: 'Specification',
};

/** The published rules of reuse credits: each line is one way an organisation earns points. */
export const REUSE_CREDIT_RULES = [
  { key: 'published', points: 10, label: 'Publishing a component', detail: 'for each component your organisation publishes here' },
  { key: 'using', points: 5, label: 'Adopting a component', detail: 'for each confirmed declaration that you are using a component' },
  { key: 'piloting', points: 2, label: 'Piloting a component', detail: 'for each confirmed declaration that you are piloting one' },
  {
    key: 'referent',
    points: 3,
    label: 'Being a referent',
    detail: 'for each confirmed declaration whose contact agrees to be asked about it by other councils',
  },
  {
    key: 'confirmed',
    points: 1,
    label: 'Confirming an adoption',
    detail: 'for each time you re-confirmed a declaration in the last 12 months',
  },
] as const;
export type CreditKey = (typeof REUSE_CREDIT_RULES)[number]['key'];
