import { z } from 'zod';
import { DIMENSION_CODES, GRADE_BANDS } from './workforce.categories.js';
import { LEVELS } from './tables.service.js';

const cellSchema = z.object({
  value: z.number().int().nullable().describe('The count rounded to the nearest 5, or null when hidden'),
  suppressed: z.boolean().describe('True when the count is hidden (below 10, or so that another cannot be worked out)'),
});

export const tableParamsSchema = z.object({
  dimension: z
    .enum(DIMENSION_CODES as [string, ...string[]])
    .describe('ethnicity, sex, gender-identity, disability, sexual-orientation, age or socio-economic-background'),
});

export const tableQuerySchema = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional().describe('Year of the returns (default: the latest published)'),
  level: z.enum(LEVELS).default('nation').describe('council, region or nation'),
  grade: z.enum(GRADE_BANDS).optional().describe('Only this grade band: entry, practitioner, senior or head (default: all grades)'),
  format: z.enum(['json', 'csv']).optional().describe('Answer as CSV or JSON (default JSON)'),
});

export const tableResponseSchema = z.object({
  dimension: z.string(),
  year: z.number().int(),
  level: z.enum(LEVELS),
  categories: z.array(z.string()),
  rows: z.array(
    z.object({
      area: z.object({ code: z.string(), name: z.string() }),
      cells: z.record(z.string(), cellSchema),
      total: cellSchema,
    }),
  ),
  total: z.object({ cells: z.record(z.string(), cellSchema), total: cellSchema }),
});

export const targetResponseSchema = z.object({
  baselineYear: z.number().int().nullable().describe('The first year with published tables'),
  baseline: z.number().nullable().describe('The under-represented index (per cent) in the baseline year'),
  current: z.number().nullable().describe('The index in the latest published year'),
  target: z.number().nullable().describe('The 2030 target: the baseline plus 20%'),
  declarationRate: z.number().nullable().describe('Per cent of staff who declared, averaged over the four groups, in the latest year'),
});
