import { z } from 'zod';
import { pageQuerySchema } from '../../platform/http/lists.js';
import { CASE_STUDY_STATUSES, COST_BANDS, MEASUREMENT_METHODS } from './knowledge.tables.js';

const level = z.number().int().min(1).max(5);

export const caseStudyFilterSchema = z.object({
  serviceArea: z.string().max(100).optional().describe('Service area, e.g. housing'),
  minimumLevel: z.coerce.number().int().min(1).max(5).optional().describe('Only case studies at this evidence level or above (1 to 5)'),
  sort: z.enum(['newest', 'title', 'evidence']).optional().describe('newest (default), title, or evidence (strongest first)'),
});

export const caseStudyListQuerySchema = caseStudyFilterSchema.extend(pageQuerySchema.shape);

export const caseStudySummarySchema = z.object({
  slug: z.string(),
  title: z.string(),
  summary: z.string(),
  status: z.enum(CASE_STUDY_STATUSES),
  organisation: z.object({ name: z.string(), code: z.string() }),
  serviceArea: z.string(),
  region: z.string().nullable(),
  councilType: z.string().nullable(),
  claimedLevel: level.describe('The Nesta level of evidence the authors claim'),
  evidenceLevel: level
    .nullable()
    .describe('The level confirmed by a reviewer, raised by replications only as the written rules say; null until reviewed'),
  publishedAt: z.string().nullable(),
  updatedAt: z.string(),
  url: z.string(),
});

const outcomeSchema = z.object({
  metric: z.string(),
  baseline: z.string(),
  result: z.string(),
  period: z.string(),
  method: z.enum(MEASUREMENT_METHODS),
});

const linkSchema = z.object({
  reference: z.string(),
  pointNumber: z.number().int().nullable(),
  label: z.string(),
  url: z.string().nullable(),
});

export const caseStudyDetailSchema = caseStudySummarySchema.extend({
  problem: z.string(),
  whatWeDid: z.string(),
  context: z.object({
    councilType: z.string().nullable(),
    councilTypeName: z.string().nullable(),
    region: z.string().nullable(),
    population: z.number().int().nullable(),
  }),
  cost: z.object({
    oneOffBand: z.enum(COST_BANDS),
    yearlyBand: z.enum(COST_BANDS),
    oneOffPounds: z.number().int().nullable(),
    yearlyPounds: z.number().int().nullable(),
  }),
  outcomes: z.array(outcomeSchema),
  lessons: z.string(),
  doDifferently: z.string(),
  evidence: z.object({
    claimedLevel: level,
    claimJustification: z.string(),
    confirmedLevel: level.nullable(),
    evidenceLevel: level.nullable(),
    reviewerOrganisation: z.string().nullable(),
    reviewNote: z.string(),
    reviewedAt: z.string().nullable(),
    criteria: z.array(z.object({ level, name: z.string(), criteria: z.string() })),
    replicationRules: z.array(z.string()),
  }),
  links: z.object({
    components: z.array(linkSchema),
    standards: z.array(linkSchema),
    challenges: z.array(linkSchema),
    suppliers: z.array(linkSchema),
    agreements: z.array(linkSchema),
  }),
  replications: z.array(
    z.object({
      organisation: z.string(),
      summary: z.string(),
      differences: z.string(),
      independentlyEvaluated: z.boolean(),
      evaluationUrl: z.string().nullable(),
      outcomes: z.array(outcomeSchema),
      recordedAt: z.string(),
    }),
  ),
  contact: z.object({ name: z.string(), email: z.string() }).nullable().describe('Only when the named person agreed to be contacted'),
  sources: z.string(),
});

/** A case study form as the browser sends it: every field a string, empty when not filled. */
export const caseStudyFormSchema = z.record(z.string(), z.union([z.string().max(12_000), z.array(z.string().max(1000)).max(50)]));
