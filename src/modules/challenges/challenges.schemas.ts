import { z } from 'zod';
import { pageQuerySchema } from '../../platform/http/lists.js';
import type { ChallengeQuery } from './challenges.types.js';
import { APPROACHES, BUDGET_BANDS, SERVICE_AREAS, STAGES } from './challenges.tables.js';
import { idSchema } from '../../platform/http/ids.js';

export const SORTS = ['demand', 'newest', 'updated', 'title'] as const;
export const csrfField = { _csrf: z.string().optional() };
export const idParams = z.object({ id: idSchema.describe('The challenge’s number') });
export const text = (max: number) => z.string().max(max).default('');

export const challengeFilterSchema = z.object({
  q: z.string().trim().max(200).optional().describe('Words to search for in titles and problems'),
  stage: z.enum(STAGES).optional().describe('identified, exploring, funded, in-delivery, solved or closed'),
  serviceArea: z.enum(SERVICE_AREAS).optional().describe('Service area, e.g. housing'),
  budgetBand: z.enum(BUDGET_BANDS).optional().describe('Budget band: unknown, under-25k, 25k-100k, 100k-500k, 500k-plus'),
  region: z.string().max(50).optional().describe('Only challenges shared by a council in this region, e.g. North West'),
  tier: z.string().max(10).optional().describe('Only challenges shared by a council of this type: CTY, NMD, MD, LBO, UA…'),
  minSharers: z.coerce.number().int().min(1).max(1000).optional().describe('Only challenges shared by at least this many councils'),
  stale: z.enum(['true', 'false']).optional().describe('true: only challenges not updated for six months'),
  sort: z.enum(SORTS).optional().describe('demand (default: most councils first), newest, updated or title'),
});

export const summarySchema = z.object({
  id: z.number().int(),
  title: z.string(),
  problem: z.string(),
  serviceArea: z.enum(SERVICE_AREAS),
  stage: z.enum(STAGES),
  budgetBand: z.enum(BUDGET_BANDS),
  owner: z.object({ name: z.string(), code: z.string() }),
  sharedBy: z.number().int().describe('Councils sharing the challenge, each counted once (the owner included)'),
  combinedScale: z
    .number()
    .int()
    .describe('Deprecated: every sharer’s scale added whatever its unit; use scaleByUnit, which adds only like units'),
  scaleByUnit: z
    .array(z.object({ unit: z.string(), total: z.number().int() }))
    .describe('Residents, households or cases affected, each unit summed over the sharing councils'),
  createdAt: z.string(),
  updatedAt: z.string(),
  stale: z.boolean().describe('Not updated for six months'),
  url: z.string(),
});

export const sharerSchema = z.object({
  name: z.string(),
  code: z.string(),
  tier: z.string().nullable(),
  region: z.string().nullable(),
  current: z.boolean().describe('False for a council that no longer exists'),
  owner: z.boolean(),
  scale: z.number().int().nullable(),
  scaleUnit: z.string(),
  budgetBand: z.enum(BUDGET_BANDS),
  timing: z.string(),
  comment: z.string(),
  joinedAt: z.string(),
});

export const demandSchema = z.object({
  sharedBy: z.number().int(),
  currentCouncils: z.number().int(),
  formerCouncils: z.number().int(),
  byTier: z.array(z.object({ tier: z.string(), count: z.number().int() })),
  byRegion: z.array(z.object({ region: z.string(), count: z.number().int() })),
  combinedScale: z.number().int(),
  scaleByUnit: z.array(z.object({ unit: z.string(), total: z.number().int() })),
});

export const detailSchema = summarySchema.extend({
  affects: z.string(),
  workaround: z.string(),
  goodLooksLike: z.string(),
  constraints: z.string(),
  timescale: z.string(),
  contractEndDate: z.string().nullable(),
  contactName: z.string(),
  contactEmail: z.string(),
  mergedInto: z.object({ id: z.number().int(), title: z.string(), url: z.string() }).nullable(),
  sharers: z.array(sharerSchema),
  demand: demandSchema,
  history: z.array(z.object({ stage: z.enum(STAGES), note: z.string(), changedAt: z.string() })),
  responses: z.array(
    z.object({
      id: z.number().int(),
      supplierName: z.string(),
      offer: z.string(),
      evidence: z.string(),
      priceModel: z.string(),
      status: z.string(),
    }),
  ),
  components: z.array(z.object({ slug: z.string(), name: z.string(), relation: z.enum(['might-solve', 'solved-by']) })),
  collaboration: z.object({ approach: z.enum(APPROACHES), url: z.string() }).nullable(),
});

export const challengeBodySchema = z.object({
  title: text(300),
  problem: text(12_000),
  affects: text(3000),
  serviceArea: text(100),
  workaround: text(6000),
  goodLooksLike: text(6000),
  constraints: text(6000),
  budgetBand: text(50),
  timescale: text(300),
  contractEndDate: text(20),
  contactName: text(300),
  contactEmail: text(300),
  visibility: z.enum(['public', 'draft']).default('public'),
  scale: text(20),
  scaleUnit: text(20),
});

export const pageFilterSchema = z.object({
  q: z.string().trim().max(200).optional(),
  stage: z.union([z.enum(STAGES), z.literal('')]).optional(),
  serviceArea: z.union([z.enum(SERVICE_AREAS), z.literal('')]).optional(),
  budgetBand: z.union([z.enum(BUDGET_BANDS), z.literal('')]).optional(),
  region: z.string().max(50).optional(),
  tier: z.string().max(10).optional(),
  minSharers: z.union([z.coerce.number().int().min(1).max(1000), z.literal('')]).optional(),
  stale: z.union([z.enum(['true', 'false']), z.literal('')]).optional(),
  sort: z.union([z.enum(SORTS), z.literal('')]).optional(),
  page: pageQuerySchema.shape.page,
});

export type PageFilter = Omit<z.infer<typeof pageFilterSchema>, 'page'>;

export function toQuery(filter: PageFilter | z.infer<typeof challengeFilterSchema>, page: number, pageSize: number): ChallengeQuery {
  return {
    q: filter.q || undefined,
    stage: filter.stage || undefined,
    serviceArea: filter.serviceArea || undefined,
    budgetBand: filter.budgetBand || undefined,
    region: filter.region || undefined,
    tier: filter.tier || undefined,
    minSharers: filter.minSharers || undefined,
    staleOnly: filter.stale === 'true',
    sort: filter.sort || undefined,
    page,
    pageSize,
  };
}

export const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
