import { z } from 'zod';

/** The largest id a PostgreSQL `integer` column holds (2^31 - 1). */
export const MAX_ID = 2_147_483_647;

const CANONICAL_ID = /^[1-9][0-9]{0,9}$/;

/**
 * A record id from a request, or null: only a canonical positive integer below 2^31, written in decimal digits
 * with no sign, leading zero, point, exponent or hex prefix ("1.0", "1e3" and "0x1F" are not ids).
 */
export function parseId(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 1 && value <= MAX_ID ? value : null;
  if (typeof value !== 'string' || !CANONICAL_ID.test(value)) return null;
  const id = Number(value);
  return id <= MAX_ID ? id : null;
}

/**
 * The one schema for an id in a path, query or form. A path whose id fails it is answered 404 (see
 * error-handler.ts): no record can have that id, so the page does not exist.
 */
export const idSchema = z
  .string()
  .regex(CANONICAL_ID, 'must be a whole number from 1, written in digits')
  .refine((value) => parseId(value) !== null, `must be at most ${MAX_ID}`)
  .transform((value) => Number(value));

/** Path parameters made of one `id`. */
export const idParamsSchema = z.object({ id: idSchema });
