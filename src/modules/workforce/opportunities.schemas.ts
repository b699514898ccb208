import { z } from 'zod';
import { OPPORTUNITY_KINDS, WORK_PLACES } from './workforce.tables.js';

export const opportunityFilterSchema = z.object({
  kind: z.enum(OPPORTUNITY_KINDS).optional().describe('apprenticeship or secondment'),
  remote: z.enum(WORK_PLACES).optional().describe('on-site, hybrid or remote'),
  q: z.string().trim().max(200).optional().describe('Words in the role, summary or place'),
  sort: z.enum(['closing', 'newest']).optional().describe('closing (soonest first, the default) or newest'),
});

export const opportunitySchema = z.object({
  id: z.number().int(),
  kind: z.enum(OPPORTUNITY_KINDS),
  role: z.string(),
  summary: z.string(),
  organisation: z.string(),
  place: z.string(),
  remote: z.enum(WORK_PLACES),
  lengthMonths: z.number().int(),
  closingDate: z.string(),
  open: z.boolean(),
  howToApply: z.string().describe('Empty once the closing date has passed'),
  postedAt: z.string(),
  url: z.string(),
});

export const opportunityBodySchema = z.object({
  kind: z.string().max(50).default(''),
  role: z.string().max(400).default(''),
  summary: z.string().max(8000).default(''),
  place: z.string().max(400).default(''),
  remote: z.string().max(50).default(''),
  lengthMonths: z.string().max(10).default(''),
  closingDate: z.string().max(20).default(''),
  howToApply: z.string().max(4000).default(''),
  _csrf: z.string().optional(),
});
