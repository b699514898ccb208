import fs from 'node:fs';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import type * as Pg from 'pg';
import type { Config } from '../config.js';
import { lazyRequire } from '../lazy-require.js';
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

/**
 * PGlite's shared buffers unless configured (PGLITE_SHARED_BUFFERS). Setting up PostgreSQL's default 128 MB took
 * about a fifth of start-up (measured: cold start to the first page 3.3 s against 2.8 s with 32 MB, on a busy
 * machine); 200,000-row spend imports measured the same with either.
 */
export const DEFAULT_PGLITE_SHARED_BUFFERS = '32MB';

const INT8 = pgliteTypes.INT8;
const DATE = pgliteTypes.DATE;

/**
 * Both engines return the same JavaScript values: int8 (counts, sums of pence) as numbers,
 * which stay exact below 2^53 pence (£90 trillion), and `date` columns as 'YYYY-MM-DD' strings
 * so no time zone can shift a payment date.
 */
const toNumber = (value: string): number => Number(value);
const keepText = (value: string): string => value;

const requirePg = lazyRequire<typeof Pg>(import.meta.url, 'pg');

/** node-postgres, loaded when PostgreSQL is used (PGlite never needs it), with the value parsers above. */
function postgresClient(): typeof Pg {
  const pg = requirePg();
  pg.types.setTypeParser(pg.types.builtins.INT8, toNumber);
  pg.types.setTypeParser(pg.types.builtins.DATE, keepText);
  return pg;
}

/** Opens the configured database: PGlite in the data directory, or a PostgreSQL server pool. */
export async function openDatabase<Schema>(
  database: Config['database'],
  options: { poolSize?: number } = {},
): Promise<DatabaseHandle<Schema>> {
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
  fs.mkdirSync(database.dataDirectory, { recursive: true, mode: 0o700 });
  const pglite = await PGlite.create({
    dataDir: database.dataDirectory,
    extensions: { pg_trgm },
    parsers: { [INT8]: toNumber, [DATE]: keepText },
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${database.sharedBuffers ?? DEFAULT_PGLITE_SHARED_BUFFERS}`],
  });
  const db = new Kysely<Schema>({ dialect: new PGliteDialect(pglite) });
  return { db, engine: 'pglite', replica: null, close: () => db.destroy() };
}

function postgresPool(url: string, max: number, connectionTimeoutMillis?: number): Pg.Pool {
  const pool = new (postgresClient().Pool)({ connectionString: url, max, ...(connectionTimeoutMillis ? { connectionTimeoutMillis } : {}) });
  // An idle connection that the server ends (a restart, or a database dropped at shutdown) is removed from the pool
  // by pg itself; without a listener, pg's 'error' event would crash the process. The next query reports real trouble.
  pool.on('error', () => undefined);
  return pool;
}
