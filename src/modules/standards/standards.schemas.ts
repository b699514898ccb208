import { z } from 'zod';
import { idParamsSchema, idSchema } from '../../platform/http/ids.js';

export const csrfField = { _csrf: z.string().optional() };
export const idParams = idParamsSchema;
export const slugParams = z.object({ slug: z.string().min(1).max(100) });
export const versionParams = slugParams.extend({ version: idSchema });
export const pointParams = versionParams.extend({ number: idSchema });
export const formBody = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

export const pointSchema = z.object({
  number: z.number().int(),
  title: z.string(),
  meaning: z.string(),
  whyItMatters: z.string(),
  howToMeet: z.string(),
  evidenceGuidance: z.string(),
});
export const figuresSchema = z.object({ councils: z.number().int(), meeting: z.number().int(), percentage: z.number() });

export function text(body: Record<string, string | string[]>, name: string): string {
  const value = body[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** A real date from the three GOV.UK date fields, or null. */
export function dateFromFields(day: string, month: string, year: string): string | null {
  const [d, m, y] = [Number(day), Number(month), Number(year)];
  if (!Number.isInteger(d) || !Number.isInteger(m) || !Number.isInteger(y) || y < 2000 || y > 2100) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/** Starting an assessment: which service is assessed (empty for the whole organisation). */
export const startAssessmentSchema = z.object({ serviceName: z.string().max(1000).default(''), ...csrfField });

/** Changing one point of a draft version. */
export const pointBodySchema = z.object({
  title: z.string().max(500).default(''),
  meaning: z.string().max(5000).default(''),
  whyItMatters: z.string().max(5000).default(''),
  howToMeet: z.string().max(5000).default(''),
  evidenceGuidance: z.string().max(5000).default(''),
  ...csrfField,
});
