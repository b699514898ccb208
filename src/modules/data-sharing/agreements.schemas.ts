/** Request and response shapes of the agreements' pages and API (zod; they also make the OpenAPI document). */
import { z } from 'zod';
import type { AgreementInput } from './agreements.types.js';
import { AGREEMENT_STATUSES, PARTY_ROLES } from './data-sharing.tables.js';

/** How many other parties the form offers. */
export const PARTY_SLOTS = 4;
export const slugParams = z.object({
  slug: z
    .string()
    .regex(/^[a-z0-9-]{1,120}$/)
    .describe('The agreement’s slug'),
});
const SORTS = ['title', 'updated', 'review'] as const;
export const filterSchema = z.object({
  q: z.string().trim().max(200).optional().describe('Words in the title, purpose or data shared'),
  status: z
    .union([z.enum(AGREEMENT_STATUSES), z.literal('')])
    .optional()
    .describe('agreed, active, under-review or ended (drafts are not public)'),
  organisation: z.string().max(100).optional().describe('Only agreements this organisation (GSS code or slug) is a party to'),
  sort: z
    .union([z.enum(SORTS), z.literal('')])
    .optional()
    .describe('title (default), updated or review (soonest review first)'),
});

const partySchema = z.object({
  name: z.string(),
  slug: z.string(),
  code: z.string().nullable(),
  kind: z.string(),
  role: z.enum(PARTY_ROLES),
});
export const agreementSchema = z.object({
  slug: z.string(),
  title: z.string(),
  purpose: z.string(),
  status: z.enum(AGREEMENT_STATUSES),
  lead: z.object({ name: z.string(), slug: z.string() }),
  parties: z.array(partySchema),
  lawfulBasis: z.string().describe('UK GDPR Article 6(1) basis'),
  specialCategory: z.boolean(),
  article9Condition: z.string().nullable(),
  schedule1Condition: z.string().nullable().describe('DPA 2018 Schedule 1 condition, where the Article 9 condition needs one'),
  dataSubjects: z.string(),
  dataItems: z.string(),
  standardSlugs: z.array(z.string()),
  dpiaStatus: z.string(),
  dpiaOutcome: z.string(),
  dpiaTriggers: z.array(z.string()),
  dpiaWarnings: z.array(z.string()),
  retention: z.string(),
  security: z.string(),
  reviewDate: z.string(),
  reviewOverdue: z.boolean(),
  signedOffRole: z.string(),
  signedOffOn: z.string().nullable(),
  version: z.number().int(),
  updatedAt: z.string(),
  url: z.string(),
});

const text = (max: number) => z.string().max(max).default('');
const list = z.union([z.string(), z.array(z.string())]).optional();
const asList = (value: string | string[] | undefined) =>
  (value === undefined ? [] : Array.isArray(value) ? value : [value]).filter((item) => item !== '');

export const formSchema = z
  .object({
    title: text(300),
    purpose: text(6000),
    lawfulBasis: text(50),
    specialCategory: z.enum(['yes', 'no']).default('no'),
    article9Condition: text(60),
    schedule1Condition: text(60),
    dataSubjects: text(6000),
    dataItems: text(6000),
    standardSlugs: list,
    dpiaStatus: text(30),
    dpiaOutcome: text(6000),
    dpiaTriggers: list,
    retention: text(6000),
    security: text(6000),
    reviewDate: text(20),
    signedOffRole: text(200),
    signedOffByName: text(200),
    signedOffOn: text(20),
    contactName: text(200),
    contactEmail: text(300),
    leadRole: text(30),
    note: text(1000),
    _csrf: z.string().optional(),
  })
  .catchall(z.string().max(200));

export type FormBody = z.infer<typeof formSchema>;

/** The service's input from the form's fields. */
export function agreementInputFromForm(body: FormBody): AgreementInput {
  const parties = Array.from({ length: PARTY_SLOTS }, (_, index) => ({
    organisation: body[`party${index}`] ?? '',
    role: body[`party${index}Role`] ?? '',
  }));
  return {
    title: body.title,
    purpose: body.purpose,
    lawfulBasis: body.lawfulBasis,
    specialCategory: body.specialCategory === 'yes',
    article9Condition: body.article9Condition,
    schedule1Condition: body.schedule1Condition,
    dataSubjects: body.dataSubjects,
    dataItems: body.dataItems,
    standardSlugs: asList(body.standardSlugs),
    dpiaStatus: body.dpiaStatus,
    dpiaOutcome: body.dpiaOutcome,
    dpiaTriggers: asList(body.dpiaTriggers),
    retention: body.retention,
    security: body.security,
    reviewDate: body.reviewDate,
    signedOffRole: body.signedOffRole,
    signedOffByName: body.signedOffByName,
    signedOffOn: body.signedOffOn,
    contactName: body.contactName,
    contactEmail: body.contactEmail,
    parties,
    leadRole: body.leadRole,
  };
}

export const statusBody = z.object({ status: z.string().max(30).default(''), note: text(1000), _csrf: z.string().optional() });
export const codeParams = z.object({ code: z.string().max(100) });
export const agreementListSchema = z.object({
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  items: z.array(agreementSchema),
});
