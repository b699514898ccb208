/** Settings and value parsers shared by both engines, kept apart from PGlite so that loading them loads no database. */

/**
 * PGlite's shared buffers unless configured (PGLITE_SHARED_BUFFERS). Setting them up is most of PostgreSQL's own
 * start-up in WebAssembly, in proportion to their size: 128 MB took about a fifth of the server's cold start, and
 * 16 MB starts about 75 ms sooner than 32 MB (interleaved runs). Imports measured the same with 8, 16, 32 and 128 MB
 * (200,000 rows, 20,000 new suppliers: 11,000–12,800 rows/s each): PGlite reads its files through the operating
 * system's cache, which holds what the buffers do not.
 */
export const DEFAULT_PGLITE_SHARED_BUFFERS = '16MB';

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
