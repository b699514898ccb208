import { z } from 'zod';
import type { AdoptionInput } from './catalogue.types.js';
import { ADOPTION_STATUSES, EVIDENCE_KINDS } from './catalogue.tables.js';
import { csrfField, textField } from './components.schemas.js';

export const breakdownSchema = z.object({
  key: z.string(),
  label: z.string(),
  councils: z.number().int(),
  using: z.number().int(),
  piloting: z.number().int(),
  exploring: z.number().int(),
});

export const adoptionSchema = z.object({
  using: z.number().int().describe('Current English principal councils with a confirmed "using" declaration'),
  councils: z.number().int().describe('Current English principal councils: the denominator'),
  piloting: z.number().int(),
  exploring: z.number().int(),
  retired: z.number().int(),
  unconfirmed: z.number().int().describe('Declarations not confirmed for 12 months: not counted'),
  notCounted: z.number().int().describe('Declarations by former councils and by organisations that are not English principal councils'),
  byRegion: z.array(breakdownSchema),
  byCouncilType: z.array(breakdownSchema),
});

export const declarationSchema = z.object({
  organisation: z.object({ name: z.string(), slug: z.string(), gssCode: z.string().nullable() }),
  status: z.enum(ADOPTION_STATUSES),
  freshness: z.enum([...ADOPTION_STATUSES, 'unconfirmed']),
  since: z.string(),
  evidenceKind: z.enum(EVIDENCE_KINDS),
  evidence: z.string(),
  contactName: z.string().nullable(),
  contactEmail: z.string().nullable(),
  confirmedOn: z.string(),
  countsTowardsRegister: z.boolean(),
});

export const stewardshipSchema = z.object({
  maintainingOrganisations: z.array(z.string()),
  funding: z.string().nullable(),
  lastReleaseDate: z.string().nullable(),
  releasedWithinYear: z.boolean().nullable(),
  lastConfirmedOn: z.string().nullable(),
  confirmedAdopters: z.number().int(),
});

export const adoptionBodySchema = z.object({
  status: z.enum(ADOPTION_STATUSES),
  since: z.string().max(10).describe('YYYY-MM-DD'),
  evidenceKind: z.enum(EVIDENCE_KINDS),
  evidence: z.string().max(2000),
  contactName: z.string().max(200),
  contactEmail: z.string().max(320),
  contactAgrees: z.boolean().describe('The contact agrees to be asked about this by other councils (their name and email are shown)'),
});

export const adoptionFormSchema = z.object({
  status: textField,
  'since-day': textField,
  'since-month': textField,
  'since-year': textField,
  evidenceKind: textField,
  evidence: textField,
  contactName: textField,
  contactEmail: textField,
  contactAgrees: z.string().max(10).optional(),
  ...csrfField,
});
export type AdoptionForm = z.infer<typeof adoptionFormSchema>;

export function adoptionInputFromForm(form: AdoptionForm): AdoptionInput {
  const day = form['since-day'].trim();
  const month = form['since-month'].trim();
  const year = form['since-year'].trim();
  const since =
    day === '' && month === '' && year === ''
      ? ''
      : /^\d{1,2}$/.test(day) && /^\d{1,2}$/.test(month) && /^\d{4}$/.test(year)
        ? `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`
        : 'invalid';
  return {
    status: form.status,
    since,
    evidenceKind: form.evidenceKind,
    evidence: form.evidence,
    contactName: form.contactName,
    contactEmail: form.contactEmail,
    contactAgrees: form.contactAgrees === 'yes',
  };
}
