import { z } from 'zod';
import { csrfField } from './components.schemas.js';

export const issueSchema = z.object({
  field: z.string(),
  message: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});
export const importOutcomeSchema = z.object({
  file: z.string(),
  status: z.enum(['created', 'updated', 'rejected']),
  slug: z.string().nullable(),
  warnings: z.array(issueSchema),
  errors: z.array(issueSchema),
});

export const pastedSchema = z.object({ yaml: z.string().max(1_000_000).optional(), ...csrfField });
