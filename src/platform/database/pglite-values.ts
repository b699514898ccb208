/** Settings and value parsers shared by both engines, kept apart from PGlite so that loading them loads no database. */

/**
 * PGlite's shared buffers unless configured (PGLITE_SHARED_BUFFERS). Setting up PostgreSQL's default 128 MB took
 * about a fifth of start-up (measured: cold start to the first page 3.3 s against 2.8 s with 32 MB, on a busy
 * machine); 200,000-row spend imports measured the same with either.
 */
export const DEFAULT_PGLITE_SHARED_BUFFERS = '32MB';

/**
 * Both engines return the same JavaScript values: int8 (counts, sums of pence) as numbers,
 * which stay exact below 2^53 pence (£90 trillion), and `date` columns as 'YYYY-MM-DD' strings
 * so no time zone can shift a payment date.
 */
export const toNumber = (value: string): number => Number(value);
export const keepText = (value: string): string => value;

/** Where PGlite keeps its files, and how much memory it gives PostgreSQL's shared buffers. */
export interface PGliteSettings {
  dataDirectory: string;
  sharedBuffers?: string | undefined;
}
