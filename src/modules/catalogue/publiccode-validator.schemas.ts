import { z } from 'zod';

/** Request and response shapes of the publiccode.yml validator (they also make the OpenAPI document). */

const validationIssueSchema = z.object({
  field: z
    .string()
    .describe('Dotted path of the key, e.g. "description.en.shortDescription" or "maintenance.contacts[0].email"; "" for the whole file'),
  line: z.number().int().describe('1-based line of the key (or of the item, or of the map that should hold a missing key)'),
  column: z.number().int().describe('1-based column'),
  message: z.string(),
});

export const validateBodySchema = z.object({
  yaml: z.string().max(1_000_000).describe('The contents of a publiccode.yml file'),
});

export const validationResultSchema = z.object({
  valid: z.boolean().describe('True when the file has no errors (it may still have warnings)'),
  version: z.string().nullable().describe('The publiccodeYmlVersion the file declares, when it is one the validator reads'),
  errors: z.array(validationIssueSchema),
  warnings: z.array(validationIssueSchema),
});

export const pastedValidationSchema = z.object({ yaml: z.string().max(1_000_000).optional(), _csrf: z.string().optional() });
