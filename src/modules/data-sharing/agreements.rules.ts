/**
 * The rules of a data-sharing agreement that need no database: the field checks of UK GDPR and the DPA 2018,
 * DPIA warnings, the stored values of a form, and what changed between two versions.
 */
import { slugify } from '../../platform/slug.js';
import {
  ARTICLE9_CONDITIONS,
  type Article9Condition,
  DPIA_TRIGGERS,
  type DpiaTrigger,
  LAWFUL_BASES,
  NEEDS_SCHEDULE1,
  SCHEDULE1_CONDITIONS,
  type Schedule1Condition,
} from './agreements.labels.js';
import type { AgreementInput } from './agreements.types.js';
import type { AgreementRow } from './data-sharing.repository.js';
import { DPIA_STATUSES, type PartyRole } from './data-sharing.tables.js';

const FIELD_LABELS: Record<string, string> = {
  title: 'Title',
  purpose: 'Purpose',
  lawful_basis: 'Lawful basis',
  special_category: 'Special category data',
  article9_condition: 'Article 9 condition',
  schedule1_condition: 'Schedule 1 condition',
  data_subjects: 'Data subjects',
  data_items: 'Data shared',
  standard_slugs: 'Data standards',
  dpia_status: 'DPIA',
  dpia_outcome: 'DPIA outcome',
  dpia_triggers: 'High-risk processing',
  retention: 'Retention and disposal',
  security: 'Security',
  review_date: 'Review date',
  signed_off_role: 'Signed off by (role)',
  signed_off_on: 'Signed off on',
  status: 'Status',
  parties: 'Parties',
};
/** Personal fields: their changes are recorded as "changed", never with the values, so history stays public. */
const PERSONAL_FIELDS = new Set(['signed_off_by_name', 'contact_name', 'contact_email']);
/**
 * An agreement's address from its title: the platform's rule as the register first made it (an accent splits a word,
 * a cut may end on a hyphen), so the slugs stored already keep their meaning.
 */
export const agreementSlug = (text: string): string =>
  slugify(text, { accents: 'split', maxLength: 80, trimAfterCut: false, fallback: 'agreement' });

const isDate = (text: string) => /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));

/** Warnings when the ICO's DPIA triggers apply and no DPIA has been done. */
export function dpiaWarnings(input: { dpiaStatus: string; dpiaTriggers: readonly string[]; specialCategory: boolean }): string[] {
  const triggers = input.dpiaTriggers.filter((trigger): trigger is DpiaTrigger => trigger in DPIA_TRIGGERS);
  if (triggers.length === 0 || input.dpiaStatus === 'done') return [];
  const named = triggers.map((trigger) => DPIA_TRIGGERS[trigger].toLowerCase()).join('; ');
  const warnings = [
    input.dpiaStatus === 'not-needed'
      ? `The ICO expects a data protection impact assessment for this sharing (${named}), but the DPIA is marked as not needed. Record why, or do one.`
      : `The ICO expects a data protection impact assessment before this sharing starts (${named}). The DPIA is not done yet.`,
  ];
  if (input.specialCategory && triggers.length >= 2)
    warnings.push(
      'Special category data combined with other high-risk processing: if the DPIA finds a high risk you cannot reduce, you must consult the ICO first.',
    );
  return warnings;
}

/** A problem with one field of the form. */
export interface AgreementProblem {
  field: string;
  message: string;
}

/**
 * The checks of an agreement's own fields (lawful basis, Article 9 and Schedule 1 conditions, DPIA, dates, contact),
 * in the order the form shows them; the conditions chosen when they are valid.
 */
export function checkAgreementFields(input: AgreementInput): {
  problems: AgreementProblem[];
  article9: Article9Condition | null;
  schedule1: Schedule1Condition | null;
} {
  const problems: AgreementProblem[] = [];
  const need = (value: string, field: string, message: string, max = 6000) => {
    if (!value.trim()) problems.push({ field, message });
    else if (value.length > max) problems.push({ field, message: `${FIELD_LABELS[field] ?? field} must be ${max} characters or fewer` });
  };
  need(input.title, 'title', 'Enter a title for the agreement', 300);
  need(input.purpose, 'purpose', 'Say what the sharing is for');
  need(input.dataSubjects, 'dataSubjects', 'Say whose data is shared (for example, “adults discharged from hospital”)');
  need(input.dataItems, 'dataItems', 'Say what data is shared');
  need(input.retention, 'retention', 'Say how long the data is kept and how it is disposed of');
  need(input.security, 'security', 'Say how the data is kept secure in transit and at rest');
  if (!(input.lawfulBasis in LAWFUL_BASES))
    problems.push({ field: 'lawfulBasis', message: 'Choose the lawful basis under UK GDPR Article 6' });
  let article9: Article9Condition | null = null;
  let schedule1: Schedule1Condition | null = null;
  if (input.specialCategory) {
    if (!(input.article9Condition in ARTICLE9_CONDITIONS))
      problems.push({
        field: 'article9Condition',
        message:
          'Special category data (health, ethnicity, religion, sexual orientation and others) can only be shared with an Article 9 condition: choose one',
      });
    else {
      article9 = input.article9Condition as Article9Condition;
      const part = NEEDS_SCHEDULE1[article9];
      if (part) {
        if (!(input.schedule1Condition in SCHEDULE1_CONDITIONS) || !input.schedule1Condition.startsWith(part === 'part-1' ? 'p1-' : 'p2-'))
          problems.push({
            field: 'schedule1Condition',
            message: `${ARTICLE9_CONDITIONS[article9]} needs a condition from the Data Protection Act 2018, Schedule 1, ${part === 'part-1' ? 'Part 1' : 'Part 2'}: choose one`,
          });
        else schedule1 = input.schedule1Condition as Schedule1Condition;
      }
    }
  }
  if (!(DPIA_STATUSES as readonly string[]).includes(input.dpiaStatus))
    problems.push({ field: 'dpiaStatus', message: 'Say whether a DPIA has been done' });
  if (input.dpiaStatus === 'done' && !input.dpiaOutcome.trim())
    problems.push({
      field: 'dpiaOutcome',
      message: 'Give the DPIA’s outcome (for example, “low residual risk with the measures in section 5”)',
    });
  if (!isDate(input.reviewDate))
    problems.push({ field: 'reviewDate', message: 'Enter the review date as a real date, for example 2027-03-31' });
  if (input.signedOffOn && !isDate(input.signedOffOn))
    problems.push({ field: 'signedOffOn', message: 'Enter the sign-off date as a real date, for example 2026-04-01' });
  if (input.contactEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.contactEmail))
    problems.push({ field: 'contactEmail', message: 'Enter the contact’s email address, like name@council.gov.uk' });
  return { problems, article9, schedule1 };
}

/** The stored values of a checked form (trimmed, the chosen conditions, known DPIA triggers only). */
export function agreementValues(input: AgreementInput, article9: Article9Condition | null, schedule1: Schedule1Condition | null) {
  return {
    title: input.title.trim(),
    purpose: input.purpose.trim(),
    lawful_basis: input.lawfulBasis,
    special_category: input.specialCategory,
    article9_condition: article9,
    schedule1_condition: schedule1,
    data_subjects: input.dataSubjects.trim(),
    data_items: input.dataItems.trim(),
    standard_slugs: [...new Set(input.standardSlugs)],
    dpia_status: input.dpiaStatus as AgreementRow['dpia_status'],
    dpia_outcome: input.dpiaOutcome.trim(),
    dpia_triggers: input.dpiaTriggers.filter((trigger) => trigger in DPIA_TRIGGERS),
    retention: input.retention.trim(),
    security: input.security.trim(),
    review_date: input.reviewDate,
    signed_off_role: input.signedOffRole.trim(),
    signed_off_by_name: input.signedOffByName.trim(),
    signed_off_on: input.signedOffOn || null,
    contact_name: input.contactName.trim(),
    contact_email: input.contactEmail.trim(),
  };
}

export type AgreementValues = ReturnType<typeof agreementValues>;

/** What changed between a stored agreement (or none) and new values; personal fields say only "changed". */
export function diffAgreement(
  before: AgreementRow | null,
  after: Record<string, unknown>,
  parties: string | null,
  partiesBefore: string | null,
) {
  const changes: { field: string; before: string; after: string }[] = [];
  const text = (value: unknown): string =>
    value === null || value === undefined
      ? ''
      : Array.isArray(value)
        ? value.join(', ')
        : typeof value === 'string'
          ? value
          : typeof value === 'number' || typeof value === 'boolean'
            ? String(value)
            : JSON.stringify(value);
  for (const [field, value] of Object.entries(after)) {
    const old = before ? text((before as unknown as Record<string, unknown>)[field]) : '';
    if (old === text(value)) continue;
    if (PERSONAL_FIELDS.has(field)) changes.push({ field: 'Contact or signatory details', before: '', after: 'changed' });
    else changes.push({ field: FIELD_LABELS[field] ?? field, before: old, after: text(value) });
  }
  if (parties !== null && parties !== partiesBefore) changes.push({ field: 'Parties', before: partiesBefore ?? '', after: parties });
  return changes.filter((change, index, all) => all.findIndex((other) => other.field === change.field) === index);
}

/** The parties as one line of text, as the history records them. */
export const describeParties = (parties: readonly { name: string; role: PartyRole }[]) =>
  parties.map((party) => `${party.name} (${party.role})`).join('; ');
