import fs from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import type * as Pg from 'pg';
import type { Config } from '../config.js';
import { lazyRequire } from '../lazy-require.js';
import { keepText, toNumber } from './pglite-values.js';
import { type PGliteThread, startPGliteThread } from './pglite-thread.js';
import type { PGliteSettings } from './pglite-values.js';
import { ReadRoutingDriver, type ReplicaRouter } from './read-routing.js';

export type DatabaseEngine = 'pglite' | 'postgres';

export interface DatabaseHandle<Schema> {
  readonly db: Kysely<Schema>;
  readonly engine: DatabaseEngine;
  /** The streaming replica that serves anonymous reads, when one is configured (PostgreSQL only). */
  readonly replica: ReplicaRouter | null;
  /** Closes the connection (PGlite flushes to disk here). */
  close(): Promise<void>;
}

export { DEFAULT_PGLITE_SHARED_BUFFERS } from './pglite-values.js';

const requirePg = lazyRequire<typeof Pg>(import.meta.url, 'pg');

/** node-postgres, loaded when PostgreSQL is used (PGlite never needs it), with the value parsers above. */
function postgresClient(): typeof Pg {
  const pg = requirePg();
  pg.types.setTypeParser(pg.types.builtins.INT8, toNumber);
  pg.types.setTypeParser(pg.types.builtins.DATE, keepText);
  return pg;
}

export interface OpenOptions {
  /** Connections in the PostgreSQL pool (default 10). */
  poolSize?: number;
  /**
   * PGlite in a thread of its own (pglite-thread.ts) rather than in this one. The handle is then returned at once,
   * while PostgreSQL starts; the first statement waits for it.
   */
  pgliteInWorker?: boolean;
  /** A database thread already started for this data folder (startPGliteThread), which the handle then uses. */
  pgliteThread?: PGliteThread;
}

/** Opens the configured database: PGlite in the data directory, or a PostgreSQL server pool. */
export async function openDatabase<Schema>(database: Config['database'], options: OpenOptions = {}): Promise<DatabaseHandle<Schema>> {
  if (database.engine === 'postgres') {
    const pool = postgresPool(database.url, options.poolSize ?? 10);
    if (database.replicaUrl) {
      // A replica that does not answer within two seconds is taken as down; reads then go to the primary.
      const replicaPool = postgresPool(database.replicaUrl, options.poolSize ?? 10, 2_000);
      const dialect = new PostgresDialect({ pool });
      const router = new ReadRoutingDriver(dialect.createDriver(), new PostgresDialect({ pool: replicaPool }).createDriver());
      const db = new Kysely<Schema>({
        dialect: {
          createAdapter: () => dialect.createAdapter(),
          createDriver: () => router,
          createQueryCompiler: () => dialect.createQueryCompiler(),
          createIntrospector: (kysely) => dialect.createIntrospector(kysely),
        },
      });
      return { db, engine: 'postgres', replica: router, close: () => db.destroy() };
    }
    const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: 'postgres', replica: null, close: () => db.destroy() };
  }
  const settings = { dataDirectory: database.dataDirectory, sharedBuffers: database.sharedBuffers };
  // The dialect asks only for `query` and `close`, which the database thread answers as PGlite does.
  const thread = options.pgliteThread ?? (options.pgliteInWorker ? startPGliteThread(settings) : null);
  const pglite = thread ? (thread as unknown as PGlite) : await openPGliteHere(settings);
  const db = new Kysely<Schema>({ dialect: new PGliteDialect(pglite) });
  return { db, engine: 'pglite', replica: null, close: () => db.destroy() };
}

/** PGlite in this thread; loaded only here, so that a server whose database has a thread of its own never loads it. */
async function openPGliteHere(settings: PGliteSettings): Promise<PGlite> {
  fs.mkdirSync(settings.dataDirectory, { recursive: true, mode: 0o700 });
  const [{ PGlite }, { pgliteOptions }] = await Promise.all([import('@electric-sql/pglite'), import('./pglite-options.js')]);
  return PGlite.create(pgliteOptions(settings));
}

function postgresPool(url: string, max: number, connectionTimeoutMillis?: number): Pg.Pool {
  const pool = new (postgresClient().Pool)({ connectionString: url, max, ...(connectionTimeoutMillis ? { connectionTimeoutMillis } : {}) });
  // An idle connection that the server ends (a restart, or a database dropped at shutdown) is removed from the pool
  // by pg itself; without a listener, pg's 'error' event would crash the process. The next query reports real trouble.
  pool.on('error', () => undefined);
  return pool;
}
