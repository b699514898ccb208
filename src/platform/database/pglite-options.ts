import { type PGliteOptions, PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { DEFAULT_PGLITE_SHARED_BUFFERS, keepText, type PGliteSettings, toNumber } from './pglite-values.js';

/** The options PGlite opens with, in this thread or in the database thread (pglite-thread.worker.ts). */
export function pgliteOptions(settings: PGliteSettings): PGliteOptions {
  return {
    dataDir: settings.dataDirectory,
    extensions: { pg_trgm },
    parsers: { [pgliteTypes.INT8]: toNumber, [pgliteTypes.DATE]: keepText },
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${settings.sharedBuffers ?? DEFAULT_PGLITE_SHARED_BUFFERS}`],
  };
}
