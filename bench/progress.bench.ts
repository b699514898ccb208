/**
 * The 2030 dashboard at sector scale: full demo content plus synthetic spend (default 10 million rows, straight in
 * SQL), then times the dashboard, every target page and every regional centre's workspace through the web app
 * (requests that bypass the public response cache, as signed-in readers' do) and reports the first (cold) answer
 * and p50/p95 of the rest. PostgreSQL and PGlite.
 *
 *   npm run bench:progress -- [--rows 10000000] [--requests 30] [--only postgres|pglite] [--keep]
 *
 * PostgreSQL: BENCH_DATABASE_URL or DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) names the
 * server; a scratch database is created there and dropped afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Kysely, sql } from 'kysely';
import { buildApp } from '../src/app/app.js';
import { migrationsFolder } from '../src/app/paths.js';
import { seedDemoContent, seedReferenceData } from '../src/app/seed.js';
import { createServices } from '../src/app/services.js';
import type { Database } from '../src/app/database-schema.js';
import { loadConfig } from '../src/platform/config.js';
import { openDatabase, type DatabaseHandle } from '../src/platform/database/database.js';
import { migrateToLatest } from '../src/platform/database/migrator.js';
import { createLogger } from '../src/platform/logging.js';
import { percentile, withScratchDatabase, withScratchDirectory } from './support/bench-support.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    requests: { type: 'string', default: '30' },
    only: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const ROWS = Number(values.rows);
const REQUESTS = Number(values.requests);
const CHUNK = 1_000_000;
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const logger = createLogger('warn');

const seconds = (from: number) => `${((performance.now() - from) / 1000).toFixed(1)} s`;

/** ROWS spend transactions spread over every current English council, one imported file each with its totals. */
async function generateSpend(db: Kysely<Database>): Promise<void> {
  const councils = await sql<{ id: number }>`
    select id from organisations where kind = 'principal' and nation = 'England' and end_date is null order by id
  `.execute(db);
  const ids = councils.rows.map((row) => row.id);
  const started = performance.now();
  await sql`
    insert into spend_files (organisation_id, file_name, sha256, byte_size, stored_path, status, rows_imported, total_pence, date_from, date_to)
    select id, 'synthetic.csv', md5(id::text || 'progress') || md5(id::text || 'bench'), 0, 'synthetic', 'imported', 0, 0, '2022-01-01', '2025-12-31'
    from unnest(${sql.val(ids)}::int[]) as id
  `.execute(db);
  await sql`alter table spend_transactions disable trigger user`.execute(db);
  for (let from = 1; from <= ROWS; from += CHUNK) {
    const to = Math.min(ROWS, from + CHUNK - 1);
    await sql`
      insert into spend_transactions (organisation_id, file_id, line, payment_date, date_precision, supplier_name, supplier_redacted, amount_pence, service, expense_type)
      select c.id, f.id, g.n, date '2022-01-01' + (g.n % 1461), 'day', 'Supplier ' || (g.n % 5000), false,
             50000 + (g.n::int8 * 7919) % 5000000, 'Service ' || (g.n % 15), 'Expense type ' || (g.n % 40)
      from generate_series(${from}::int, ${to}::int) as g(n)
      join lateral (select ${sql.val(ids)}::int[] as ids) a on true
      join organisations c on c.id = a.ids[1 + g.n % ${ids.length}]
      join spend_files f on f.organisation_id = c.id and f.file_name = 'synthetic.csv'
    `.execute(db);
    process.stdout.write(`  ${to.toLocaleString('en-GB')} spend rows (${seconds(started)})\n`);
  }
  await sql`alter table spend_transactions enable trigger user`.execute(db);
  await sql`
    update spend_files f set rows_imported = t.n, total_pence = t.p
    from (select file_id, count(*)::int as n, sum(amount_pence) as p from spend_transactions group by 1) t
    where t.file_id = f.id and f.file_name = 'synthetic.csv'
  `.execute(db);
  await sql`analyze`.execute(db);
}

async function measure(engine: 'postgres' | 'pglite', handle: DatabaseHandle<Database>): Promise<void> {
  const { db } = handle;
  process.stdout.write(`\n${engine}: migrating and loading demo content…\n`);
  await migrateToLatest(db as never, migrationsFolder);
  const filesDirectory = mkdtempSync(join(tmpdir(), 'progress-bench-files-'));
  const services = createServices({ db, clock: () => new Date(), filesDirectory });
  await seedReferenceData(services, logger);
  await seedDemoContent(services, logger);
  await generateSpend(db);
  const app = await buildApp({
    config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', COMMONS_DATA_DIR: '/nonexistent-bench-dir' }),
    logger,
    services,
    engine: handle.engine,
    secret: 'bench-secret-that-is-at-least-32-characters-long',
    database: db,
    checkDatabase: () => Promise.resolve(true),
  });
  try {
    const { targets } = await services.progressService.listTargets();
    const centres = await services.regionsService.listCentres();
    const paths = [
      '/progress',
      '/api/v1/progress',
      ...targets.map((target) => `/progress/targets/${target.id}`),
      ...centres.map((centre) => `/regional-centres/${centre.slug}`),
    ];
    // A session cookie (even one that names no session) sends the request past the public response cache.
    const headers = { cookie: 'commons_session=bench' };
    const rows: string[] = [];
    const all: number[] = [];
    for (const path of paths) {
      const times: number[] = [];
      for (let index = 0; index <= REQUESTS; index += 1) {
        const start = performance.now();
        const response = await app.inject({ url: path, headers });
        if (response.statusCode !== 200) throw new Error(`${path} answered ${response.statusCode}`);
        times.push(performance.now() - start);
      }
      const [cold, ...warm] = times as [number, ...number[]];
      warm.sort((a, b) => a - b);
      all.push(...warm);
      rows.push(
        `  ${path.padEnd(70)} cold ${cold.toFixed(0).padStart(6)} ms  p50 ${percentile(warm, 50).toFixed(1).padStart(7)} ms  p95 ${percentile(warm, 95).toFixed(1).padStart(7)} ms`,
      );
    }
    all.sort((a, b) => a - b);
    process.stdout.write(
      [
        `${engine}: ${ROWS.toLocaleString('en-GB')} spend rows, ${targets.length} targets, ${centres.length} centres, ${REQUESTS} requests per page after the first`,
        ...rows,
        `  all pages: p95 ${percentile(all, 95).toFixed(1)} ms (goal ≤ ${engine === 'postgres' ? 300 : 1000} ms)`,
        '  Figures are gathered from the modules at most once a minute (in-process) and history comes from the snapshot table,',
        '  so a cold answer (the first after a minute) pays for gathering; the rest do not.',
      ].join('\n') + '\n',
    );
  } finally {
    await app.close();
    rmSync(filesDirectory, { recursive: true, force: true });
  }
}

async function onPostgres(): Promise<void> {
  await withScratchDatabase(
    serverUrl,
    'bench_progress',
    async (url) => {
      const handle = await openDatabase<Database>({ engine: 'postgres', url });
      try {
        await measure('postgres', handle);
      } finally {
        await handle.close();
      }
    },
    { keep: values.keep },
  );
}

async function onPglite(): Promise<void> {
  await withScratchDirectory('progress-bench', async (directory) => {
    const handle = await openDatabase<Database>({ engine: 'pglite', dataDirectory: directory });
    try {
      await measure('pglite', handle);
    } finally {
      await handle.close();
    }
  });
}

if (values.only !== 'pglite') await onPostgres();
if (values.only !== 'postgres') await onPglite();
