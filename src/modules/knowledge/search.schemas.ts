import { z } from 'zod';

const oneOrMany = z.union([z.string().max(50), z.array(z.string().max(50)).max(20)]);

/** The search's query: the API's and the page's (forms send empty strings for filters left alone). */
export const searchQuerySchema = z.object({
  q: z.string().trim().max(200).default('').describe('Words to search for: names, phrases in quotes, even misspelt'),
  type: oneOrMany
    .optional()
    .describe(
      'Only these types (repeat for several): organisation, component, challenge, standard, case-study, data-standard, agreement, supplier, contract…',
    ),
  serviceArea: z.string().max(100).optional().describe('Only records in this service area, e.g. housing'),
  region: z.string().max(100).optional().describe('Only records in this region, e.g. North West'),
  councilType: z.string().max(20).optional().describe('Only records of councils of this type: CTY, NMD, MD, LBO, UA…'),
  evidenceLevel: z
    .union([z.coerce.number().int().min(1).max(5), z.literal('')])
    .optional()
    .describe('Only records at this evidence level or above'),
  page: z.coerce.number().int().min(1).max(500).default(1).describe('Page number, from 1'),
  pageSize: z.coerce.number().int().min(1).max(100).default(20).describe('Results per page, up to 100'),
});

const counts = z.record(z.string(), z.number().int());

export const searchResponseSchema = z.object({
  total: z.number().int(),
  items: z.array(
    z.object({
      type: z.string(),
      id: z.string(),
      title: z.string(),
      url: z.string(),
      snippet: z.string().describe('HTML: the text around the words found, escaped, each match in <mark>'),
    }),
  ),
  facets: z.object({ type: counts, serviceArea: counts, region: counts, councilType: counts, evidenceLevel: counts }),
});
