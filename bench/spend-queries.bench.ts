/**
 * Spend analysis at sector scale: generates synthetic payments straight in SQL (`spend-scale-generator.ts`: councils ×
 * monthly files × years), builds the roll-ups and the analysis summaries, then times
 *  1. what the pages run (supplier search, supplier page, council concentration, a two-council comparison) against the
 *     same questions asked of the raw spend_transactions table, and
 *  2. every spend intelligence page and API call through the whole web application (routing, validation, queries,
 *     rendering; `app.inject`, so no network), each with varied parameters, p50 and p95 against the 500 ms goal,
 * on PostgreSQL and on PGlite.
 *
 *   npm run bench:spend-queries -- [--rows 10000000] [--councils 317] [--years 10] [--only postgres|pglite]
 *                                  [--iterations 30] [--raw-iterations 3 (0 skips them)] [--database commons_spend_scale]
 *
 * PostgreSQL: BENCH_DATABASE_URL or DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) names the
 * server; a scratch database is created there and dropped afterwards, unless --database names one that
 * `npm run generate:spend` made (then nothing is generated or dropped, and only PostgreSQL is measured).
 */
import { parseArgs } from 'node:util';
import { type Kysely, sql } from 'kysely';
import { migrationsFolder } from '../src/app/paths.js';
import { seedReferenceData } from '../src/app/seed.js';
import { createServices } from '../src/app/services.js';
import type { Database } from '../src/app/database-schema.js';
import { openDatabase, type DatabaseHandle } from '../src/platform/database/database.js';
import { migrateToLatest } from '../src/platform/database/migrator.js';
import { createLogger } from '../src/platform/logging.js';
import { generateSpend } from './spend-scale-generator.js';
import { measureEveryPage } from './spend-pages.js';
import { percentile, withScratchDatabase, withScratchDirectory } from './support/bench-support.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    councils: { type: 'string', default: '317' },
    years: { type: 'string', default: '10' },
    database: { type: 'string' },
    only: { type: 'string' },
    iterations: { type: 'string', default: '30' },
    'raw-iterations': { type: 'string', default: '3' },
  },
});
const ROWS = Number(values.rows);
const COUNCILS = Number(values.councils);
const ITERATIONS = Number(values.iterations);
const YEARS = Number(values.years);
const RAW_ITERATIONS = Number(values['raw-iterations']);
const SUPPLIERS = Math.min(500_000, Math.max(1000, Math.round(ROWS / 200)));
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const logger = createLogger('warn');

const seconds = (start: number) => `${((performance.now() - start) / 1000).toFixed(1)} s`;

async function time(iterations: number, run: (iteration: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  // --raw-iterations 0 skips the raw-table comparison (full scans: minutes at tens of millions of rows).
  if (iterations === 0) return { p50: Number.NaN, p95: Number.NaN };
  await run(0); // warm the cache and plans once, as a running server would be
  const samples: number[] = [];
  for (let iteration = 1; iteration <= iterations; iteration++) {
    const start = performance.now();
    await run(iteration);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

/** The same questions asked of spend_transactions directly (no summaries). */
function rawQueries(db: Kysely<Database>) {
  return {
    search: (needle: string) =>
      sql`
      select s.id, s.name, sum(t.amount_pence) as total, count(distinct t.organisation_id) as councils
      from spend_transactions t join suppliers s on s.id = t.supplier_id
      where s.normalised_name like ${`%${needle}%`}
      group by s.id, s.name order by total desc limit 50
    `.execute(db),
    supplier: async (id: number) => {
      await sql`select organisation_id, count(*), sum(amount_pence) from spend_transactions where supplier_id = ${id} group by 1`.execute(
        db,
      );
      await sql`select date_trunc('month', payment_date), sum(amount_pence) from spend_transactions where supplier_id = ${id} group by 1`.execute(
        db,
      );
      await sql`select expense_type, sum(amount_pence) from spend_transactions where supplier_id = ${id} group by 1`.execute(db);
      await sql`select service, sum(amount_pence) from spend_transactions where supplier_id = ${id} group by 1`.execute(db);
    },
    concentration: (organisationId: number) =>
      sql`
      with per_supplier as (
        select expense_type, supplier_id, sum(amount_pence) as pence from spend_transactions
        where organisation_id = ${organisationId} and supplier_id is not null group by 1, 2 having sum(amount_pence) > 0
      )
      select expense_type, sum(pence), max(pence), sum(pence::float8 * pence::float8) from per_supplier group by 1
    `.execute(db),
    compare: async (a: number, b: number, supplierId: number) => {
      await sql`select organisation_id, count(*), sum(amount_pence) from spend_transactions where organisation_id in (${a}, ${b}) and supplier_id = ${supplierId} group by 1`.execute(
        db,
      );
      await sql`select organisation_id, date_trunc('month', payment_date), sum(amount_pence) from spend_transactions where organisation_id in (${a}, ${b}) and supplier_id = ${supplierId} group by 1, 2`.execute(
        db,
      );
    },
  };
}

async function measure(engine: 'postgres' | 'pglite', handle: DatabaseHandle<Database>, reuse: boolean): Promise<void> {
  const db = handle.db;
  const clock = () => new Date();
  const started = performance.now();
  const services = createServices({ db, clock });
  let councilIds: number[];
  let payments = ROWS;
  if (reuse) {
    councilIds = (await sql<{ id: number }>`select distinct organisation_id as id from spend_files order by 1`.execute(db)).rows.map(
      (row) => row.id,
    );
    const count = await sql<{ rows: number }>`select sum(rows_imported)::int8 as rows from spend_files`.execute(db);
    payments = count.rows[0]?.rows ?? 0;
    process.stdout.write(`${engine}: measuring an existing database of ${payments.toLocaleString('en-GB')} payments\n`);
  } else {
    await migrateToLatest(db as never, migrationsFolder);
    await seedReferenceData(services, logger);
    process.stdout.write(`${engine}: migrated and loaded the register in ${seconds(started)}\n`);
    const councils = await services.organisationsService.listCurrentPrincipalCouncils('England');
    councilIds = councils.slice(0, COUNCILS).map((council) => council.id);
    // One connection for the bulk load, with room to sort and hash in memory.
    const timings = await db.connection().execute(async (connection) => {
      await sql`set work_mem = '256MB'`.execute(connection);
      return generateSpend(connection, {
        rows: ROWS,
        councilIds,
        years: YEARS,
        suppliers: SUPPLIERS,
        chunk: 1_000_000,
        log: (line) => process.stdout.write(`${line}\n`),
      });
    });
    process.stdout.write(
      `  ${ROWS.toLocaleString('en-GB')} payments, ${SUPPLIERS.toLocaleString('en-GB')} suppliers, ${councilIds.length} councils, ${YEARS} years: ` +
        `generated in ${timings.totalSeconds.toFixed(1)} s (${timings.rollupRows.toLocaleString('en-GB')} roll-up rows)\n`,
    );
  }
  const codes = (
    await sql<{
      id: number;
      gss_code: string;
    }>`select id, gss_code from organisations where id = any(${sql.val(councilIds)}::int[])`.execute(db)
  ).rows;
  const codeOf = new Map(codes.map((row) => [row.id, row.gss_code]));
  const analysis = services.spendAnalysisService;
  const raw = rawQueries(db);
  const needles = ['SUPPLIER 12', 'DIGITAL', 'SUPPLIER 4711', 'CARE', 'SUPPLIER 3'];
  const popular = (iteration: number) => 1 + (iteration % 20);
  const council = (iteration: number) => councilIds[(iteration * 37) % councilIds.length] ?? 0;
  const code = (iteration: number) => codeOf.get(council(iteration)) ?? '';

  const results: { name: string; pages: { p50: number; p95: number }; raw: { p50: number; p95: number } }[] = [];
  results.push({
    name: 'supplier search',
    pages: await time(ITERATIONS, (i) => analysis.searchSuppliers({ q: needles[i % needles.length], page: 1, pageSize: 50 })),
    raw: await time(RAW_ITERATIONS, (i) => raw.search(needles[i % needles.length] ?? '')),
  });
  results.push({
    name: 'supplier page',
    pages: await time(ITERATIONS, (i) => analysis.getSupplier(popular(i))),
    raw: await time(RAW_ITERATIONS, (i) => raw.supplier(popular(i))),
  });
  results.push({
    name: 'council concentration',
    pages: await time(ITERATIONS, (i) => analysis.getConcentration(code(i))),
    raw: await time(RAW_ITERATIONS, (i) => raw.concentration(council(i))),
  });
  results.push({
    name: 'two-council comparison',
    pages: await time(ITERATIONS, (i) => analysis.compareCouncils({ councils: [code(i), code(i + 1)], supplierId: popular(i) })),
    raw: await time(RAW_ITERATIONS, (i) => raw.compare(council(i), council(i + 1), popular(i))),
  });

  const goal = engine === 'postgres' ? 250 : 1000;
  process.stdout.write(`\n${engine}, ${payments.toLocaleString('en-GB')} rows (goal: p95 ≤ ${goal} ms)\n`);
  process.stdout.write('query                     pages p50   pages p95   raw p50     raw p95     goal\n');
  for (const result of results) {
    const cell = (ms: number) => `${ms.toFixed(1)} ms`.padEnd(12);
    process.stdout.write(
      `${result.name.padEnd(26)}${cell(result.pages.p50)}${cell(result.pages.p95)}${cell(result.raw.p50)}${cell(result.raw.p95)}${result.pages.p95 <= goal ? 'met' : 'MISSED'}\n`,
    );
  }
  process.stdout.write('\n');
  await measureEveryPage(engine, handle, services, {
    councilCodes: councilIds.map((id) => codeOf.get(id) ?? '').filter((value) => value !== ''),
    iterations: ITERATIONS,
    rows: payments,
  });
}

async function onExistingPostgres(name: string): Promise<void> {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase<Database>({ engine: 'postgres', url: url.toString() });
  try {
    await measure('postgres', handle, true);
  } finally {
    await handle.close();
  }
}

async function onPostgres(): Promise<void> {
  await withScratchDatabase(serverUrl, 'bench_spend_queries', async (url) => {
    const handle = await openDatabase<Database>({ engine: 'postgres', url });
    try {
      await measure('postgres', handle, false);
    } finally {
      await handle.close();
    }
  });
}

async function onPglite(): Promise<void> {
  await withScratchDirectory('spend-queries-bench', async (directory) => {
    const handle = await openDatabase<Database>({ engine: 'pglite', dataDirectory: directory });
    try {
      await measure('pglite', handle, false);
    } finally {
      await handle.close();
    }
  });
}

if (values.database) await onExistingPostgres(values.database);
else {
  if (values.only !== 'pglite') await onPostgres();
  if (values.only !== 'postgres') await onPglite();
}
