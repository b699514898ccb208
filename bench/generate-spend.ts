/**
 * Generates synthetic spend at sector scale in a PostgreSQL database, and says how long it took:
 *
 *   npm run generate:spend -- [--rows 100000000] [--councils 317] [--years 10] [--database commons_spend_scale] [--replace]
 *
 * BENCH_DATABASE_URL or DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) names the server. The database
 * is kept, so `npm run bench:spend-queries -- --database commons_spend_scale` can measure it; --replace drops an
 * earlier one of the same name first; --summaries-only rebuilds the roll-ups and summaries of an existing one. Disk: about 190 bytes a payment with its index, plus the roll-ups.
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../src/app/database-schema.js';
import { migrationsFolder } from '../src/app/paths.js';
import { seedReferenceData } from '../src/app/seed.js';
import { createServices } from '../src/app/services.js';
import { openDatabase } from '../src/platform/database/database.js';
import { migrateToLatest } from '../src/platform/database/migrator.js';
import { createLogger } from '../src/platform/logging.js';
import { buildSummaries, generateSpend } from './spend-scale-generator.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000000' },
    councils: { type: 'string', default: '317' },
    years: { type: 'string', default: '10' },
    suppliers: { type: 'string' },
    database: { type: 'string', default: 'commons_spend_scale' },
    replace: { type: 'boolean', default: false },
    'summaries-only': { type: 'boolean', default: false },
  },
});
const rows = Number(values.rows);
const name = values.database;
if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error('--database must be a plain lower-case name');
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const url = new URL(serverUrl);
url.pathname = `/${name}`;
if (values['summaries-only']) {
  const existing = await openDatabase<Database>({ engine: 'postgres', url: url.toString() }, { poolSize: 1 });
  try {
    const started = performance.now();
    await existing.db.connection().execute(async (connection) => {
      await sql`set work_mem = '256MB'`.execute(connection);
      await sql`set maintenance_work_mem = '512MB'`.execute(connection);
      const ids = (await sql<{ id: number }>`select distinct organisation_id as id from spend_files`.execute(connection)).rows.map(
        (row) => row.id,
      );
      await buildSummaries(connection, ids, (line) => process.stdout.write(`${line}\n`));
    });
    process.stdout.write(`roll-ups and summaries rebuilt in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  } finally {
    await existing.close();
  }
  process.exit(0);
}
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
if (values.replace) await admin.query(`drop database if exists ${name} with (force)`);
await admin.query(`create database ${name}`);
await admin.end();
const handle = await openDatabase<Database>({ engine: 'postgres', url: url.toString() }, { poolSize: 2 });
try {
  const started = performance.now();
  await migrateToLatest(handle.db as never, migrationsFolder);
  const services = createServices({ db: handle.db, clock: () => new Date() });
  await seedReferenceData(services, createLogger('warn'));
  const councils = await services.organisationsService.listCurrentPrincipalCouncils('England');
  const councilIds = councils.slice(0, Number(values.councils)).map((council) => council.id);
  process.stdout.write(`${name}: migrated and loaded the register in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  const timings = await handle.db.connection().execute(async (connection) => {
    await sql`set work_mem = '256MB'`.execute(connection);
    await sql`set maintenance_work_mem = '512MB'`.execute(connection);
    return generateSpend(connection, {
      rows,
      councilIds,
      years: Number(values.years),
      suppliers: values.suppliers ? Number(values.suppliers) : Math.min(500_000, Math.max(1_000, Math.round(rows / 200))),
      log: (line) => process.stdout.write(`${line}\n`),
    });
  });
  const size = await sql<{ size: string }>`select pg_size_pretty(pg_database_size(current_database())) as size`.execute(handle.db);
  process.stdout.write(
    `\n${rows.toLocaleString('en-GB')} payments for ${councilIds.length} councils over ${values.years} years (${timings.files.toLocaleString('en-GB')} files): ` +
      `payments ${timings.transactionsSeconds.toFixed(0)} s (${Math.round(rows / timings.transactionsSeconds).toLocaleString('en-GB')} rows/s), ` +
      `roll-ups and summaries ${timings.summariesSeconds.toFixed(0)} s, total ${timings.totalSeconds.toFixed(0)} s; ` +
      `${timings.rollupRows.toLocaleString('en-GB')} monthly roll-up rows, ${timings.breakdownRows.toLocaleString('en-GB')} breakdown rows; database ${size.rows[0]?.size}\n`,
  );
} finally {
  await handle.close();
}
