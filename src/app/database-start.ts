import { lockDataDirectory } from '../platform/database/data-directory-lock.js';
import { type PGliteThread, startPGliteThread } from '../platform/database/pglite-thread.js';
import type { PGliteSettings } from '../platform/database/pglite-values.js';

/**
 * The first step of opening the platform: the embedded data folder's one-process lock and, where the database runs
 * in a thread of its own, that thread. Nothing here loads the application's modules, so `serve` takes this step
 * first and PostgreSQL starts while the rest of the code is still loading.
 */
export interface DatabaseStart {
  /** The database thread, already starting (PGlite in a thread of its own), or null. */
  readonly thread: PGliteThread | null;
  /** Releases the data folder's lock (nothing to release for a PostgreSQL server). */
  readonly releaseLock: () => void;
}

/**
 * Takes the data folder's lock and, when asked for, starts the database thread: for the embedded database (`pglite`
 * settings) only; a PostgreSQL server (null) needs neither.
 */
export function startDatabase(
  dataDirectory: string,
  pglite: PGliteSettings | null,
  options: { command: string; databaseInWorker?: boolean },
): DatabaseStart {
  if (!pglite) return { thread: null, releaseLock: () => {} };
  const releaseLock = lockDataDirectory(dataDirectory, { command: options.command });
  try {
    const settings = { dataDirectory: pglite.dataDirectory, sharedBuffers: pglite.sharedBuffers };
    return { thread: options.databaseInWorker ? startPGliteThread(settings) : null, releaseLock };
  } catch (error) {
    releaseLock();
    throw error;
  }
}
