/** View models of the agreements' pages, and the register's CSV columns. */
import type { InputError } from '../../platform/errors.js';
import { fieldErrors, formErrors } from '../../platform/http/forms.js';
import type { CsvColumn } from '../../platform/http/lists.js';
import {
  AGREEMENT_STATUS_LABELS,
  ARTICLE9_CONDITIONS,
  DPIA_STATUS_LABELS,
  DPIA_TRIGGERS,
  LAWFUL_BASES,
  PARTY_ROLE_LABELS,
  SCHEDULE1_CONDITIONS,
} from './agreements.labels.js';
import { PARTY_SLOTS } from './agreements.schemas.js';
import type { AgreementInput, AgreementParty, PublicAgreement } from './agreements.types.js';
import { type AgreementStatus, DPIA_STATUSES, PARTY_ROLES } from './data-sharing.tables.js';

/** The breadcrumbs of the agreements' pages: Home, Data sharing, Agreements. */
export const crumbs = [
  { text: 'Home', href: '/' },
  { text: 'Data sharing', href: '/data-sharing' },
  { text: 'Agreements', href: '/data-sharing/agreements' },
];

/** Every label the agreements' pages show. */
export const labels = {
  statuses: AGREEMENT_STATUS_LABELS,
  lawfulBases: LAWFUL_BASES,
  article9: ARTICLE9_CONDITIONS,
  schedule1: SCHEDULE1_CONDITIONS,
  dpia: DPIA_STATUS_LABELS,
  triggers: DPIA_TRIGGERS,
  roles: PARTY_ROLE_LABELS,
};

export const agreementCsvColumns: CsvColumn<PublicAgreement>[] = [
  { header: 'slug', value: (a) => a.slug },
  { header: 'title', value: (a) => a.title },
  { header: 'status', value: (a) => a.status },
  { header: 'lead', value: (a) => a.lead.name },
  { header: 'parties', value: (a) => a.parties.map((party) => `${party.name} (${party.role})`) },
  { header: 'purpose', value: (a) => a.purpose },
  { header: 'lawful_basis', value: (a) => a.lawfulBasis },
  { header: 'special_category', value: (a) => a.specialCategory },
  { header: 'article9_condition', value: (a) => a.article9Condition },
  { header: 'schedule1_condition', value: (a) => a.schedule1Condition },
  { header: 'data_subjects', value: (a) => a.dataSubjects },
  { header: 'data_shared', value: (a) => a.dataItems },
  { header: 'data_standards', value: (a) => a.standardSlugs },
  { header: 'dpia', value: (a) => a.dpiaStatus },
  { header: 'review_date', value: (a) => a.reviewDate },
  { header: 'version', value: (a) => a.version },
  { header: 'updated_at', value: (a) => a.updatedAt },
];

const options = (labels: Record<string, string>, chosen: string, empty: string) => [
  { value: '', text: empty },
  ...Object.entries(labels).map(([value, label]) => ({ value, text: label, selected: value === chosen })),
];

/** The agreement form's view model: its values, problems and every choice it offers. */
export function agreementFormView(
  context: { input: AgreementInput; editSlug?: string; error?: InputError },
  standards: readonly { slug: string; name: string }[],
) {
  const { input } = context;
  return {
    title: context.editSlug ? `Change “${input.title}”` : 'Record a data-sharing agreement',
    values: input,
    editSlug: context.editSlug,
    errorSummary: context.error ? formErrors(context.error) : undefined,
    errors: fieldErrors(context.error),
    lawfulBasisItems: Object.entries(LAWFUL_BASES).map(([value, label]) => ({
      value,
      text: label,
      checked: value === input.lawfulBasis,
    })),
    article9Options: options(ARTICLE9_CONDITIONS, input.article9Condition, 'Choose an Article 9 condition'),
    schedule1Options: options(SCHEDULE1_CONDITIONS, input.schedule1Condition, 'Not needed, or choose a Schedule 1 condition'),
    dpiaItems: DPIA_STATUSES.map((value) => ({ value, text: DPIA_STATUS_LABELS[value], checked: value === input.dpiaStatus })),
    triggerItems: Object.entries(DPIA_TRIGGERS).map(([value, label]) => ({
      value,
      text: label,
      checked: input.dpiaTriggers.includes(value),
    })),
    standardItems: standards.map((standard) => ({
      value: standard.slug,
      text: standard.name,
      checked: input.standardSlugs.includes(standard.slug),
    })),
    leadRoleOptions: PARTY_ROLES.map((value) => ({
      value,
      text: PARTY_ROLE_LABELS[value],
      selected: value === (input.leadRole || 'controller'),
    })),
    partySlots: Array.from({ length: PARTY_SLOTS }, (_, index) => ({
      index,
      organisation: input.parties[index]?.organisation ?? '',
      roleOptions: [
        { value: '', text: 'Choose a role' },
        ...PARTY_ROLES.map((value) => ({ value, text: PARTY_ROLE_LABELS[value], selected: value === input.parties[index]?.role })),
      ],
      error: fieldErrors(context.error)[`parties-${index}`],
    })),
    breadcrumbs: crumbs,
  };
}

/** The statuses an agreement can move to next, as radio items. */
export const statusItems = (nextStatuses: readonly AgreementStatus[]) =>
  nextStatuses.map((value) => ({ value, text: AGREEMENT_STATUS_LABELS[value] }));

/** Each partner of an organisation's flows, with how many agreements it shares. */
export function partnersOf(flows: readonly { partners: readonly AgreementParty[] }[]) {
  const partners = new Map<string, { name: string; slug: string; count: number }>();
  for (const flow of flows)
    for (const partner of flow.partners)
      partners.set(partner.slug, { name: partner.name, slug: partner.slug, count: (partners.get(partner.slug)?.count ?? 0) + 1 });
  return [...partners.values()];
}

/** A hub-and-spoke diagram of an organisation's sharing partners, as SVG coordinates (drawn without JavaScript). */
export function flowsDiagram(centre: string, partners: { name: string; count: number }[]) {
  const width = 640;
  const height = Math.max(240, 80 + partners.length * 44);
  const centreX = 150;
  const centreY = height / 2;
  return {
    width,
    height,
    centre: { x: centreX, y: centreY, name: centre },
    partners: partners.map((partner, index) => {
      const y = partners.length === 1 ? centreY : 40 + (index * (height - 80)) / Math.max(1, partners.length - 1);
      return { ...partner, x: 420, y };
    }),
  };
}
