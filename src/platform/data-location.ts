import path from 'node:path';
import { DEFAULT_PGLITE_SHARED_BUFFERS, type PGliteSettings } from './database/pglite-values.js';

/** The data folder unless COMMONS_DATA_DIR names another. */
export const DEFAULT_DATA_DIRECTORY = './.data';

/** The data folder, and the embedded database in it (used unless DATABASE_URL names a PostgreSQL server). */
export interface DataLocation {
  readonly dataDirectory: string;
  readonly embedded: boolean;
  readonly pglite: Required<PGliteSettings>;
}

/**
 * Where the platform keeps its data, read from the environment without the configuration's schema (an empty variable
 * is not set). loadConfig checks these variables with the others and takes its values from here; `serve` reads them
 * first, so PostgreSQL can start before the rest of the code is loaded.
 */
export function dataLocation(environment: NodeJS.ProcessEnv): DataLocation {
  const dataDirectory = path.resolve(environment.COMMONS_DATA_DIR || DEFAULT_DATA_DIRECTORY);
  return {
    dataDirectory,
    embedded: !environment.DATABASE_URL,
    pglite: {
      dataDirectory: path.join(dataDirectory, 'pglite'),
      sharedBuffers: environment.PGLITE_SHARED_BUFFERS || DEFAULT_PGLITE_SHARED_BUFFERS,
    },
  };
}
