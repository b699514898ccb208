import type { Config } from '../platform/config.js';
import { lockDataDirectory } from '../platform/database/data-directory-lock.js';
import { type PGliteThread, startPGliteThread } from '../platform/database/pglite-thread.js';

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

/** Takes the data folder's lock and, when asked for and the database is PGlite, starts the database thread. */
export function startDatabase(config: Config, options: { command: string; databaseInWorker?: boolean }): DatabaseStart {
  const database = config.database;
  if (database.engine !== 'pglite') return { thread: null, releaseLock: () => {} };
  const releaseLock = lockDataDirectory(config.dataDirectory, { command: options.command });
  try {
    const settings = { dataDirectory: database.dataDirectory, sharedBuffers: database.sharedBuffers };
    return { thread: options.databaseInWorker ? startPGliteThread(settings) : null, releaseLock };
  } catch (error) {
    releaseLock();
    throw error;
  }
}
