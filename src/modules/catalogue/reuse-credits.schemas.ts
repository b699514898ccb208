import { z } from 'zod';

export const creditsSchema = z.object({
  organisation: z.object({ name: z.string(), slug: z.string(), gssCode: z.string().nullable() }),
  counts: z.object({ published: z.number(), using: z.number(), piloting: z.number(), referent: z.number(), confirmed: z.number() }),
  total: z.number(),
});
