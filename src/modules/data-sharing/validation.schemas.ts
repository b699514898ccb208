/** The validator's JSON shapes (they also make the OpenAPI document). */
import { z } from 'zod';
import { ERROR_TYPES } from './validation/validation.types.js';

export const validationIssueSchema = z.object({
  type: z.enum(ERROR_TYPES).describe('Frictionless error type, e.g. type-error, constraint-error, missing-cell'),
  rowNumber: z.number().int().nullable().describe('The header is row 1, the first data row is row 2; null for the whole file'),
  fieldNumber: z.number().int().nullable().describe('Fields count from 1'),
  fieldName: z.string().nullable(),
  cell: z.string().nullable().describe('The value as written in the file'),
  message: z.string(),
});

export const fileReportSchema = z.object({
  file: z.string(),
  valid: z.boolean(),
  stats: z.object({
    rows: z.number().int().describe('Data rows (the header not counted)'),
    fields: z.number().int(),
    errors: z.number().int().describe('Every problem found (the list keeps the first 10,000)'),
    bytes: z.number().int(),
    sha256: z.string(),
  }),
  errors: z.array(validationIssueSchema),
});
