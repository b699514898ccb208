/**
 * Spend analysis queries at sector scale: generates synthetic transactions straight in SQL (generate_series),
 * builds the roll-ups and the analysis summaries, then times what the pages run (supplier search, supplier
 * page, council concentration, a two-council comparison) against the same questions asked of the raw
 * spend_transactions table, on PostgreSQL and on PGlite, and reports p50/p95.
 *
 *   npm run bench:spend-queries -- [--rows 10000000] [--councils 300] [--only postgres|pglite] [--iterations 30] [--raw-iterations 3]
 *
 * PostgreSQL: BENCH_DATABASE_URL or DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) names the
 * server; a scratch database is created there and dropped afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { migrationsFolder } from '../src/app/paths.js';
import { seedReferenceData } from '../src/app/seed.js';
import { createServices } from '../src/app/services.js';
import type { Database } from '../src/app/database-schema.js';
import { openDatabase, type DatabaseHandle } from '../src/platform/database/database.js';
import { migrateToLatest } from '../src/platform/database/migrator.js';
import { createLogger } from '../src/platform/logging.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    councils: { type: 'string', default: '300' },
    only: { type: 'string' },
    iterations: { type: 'string', default: '30' },
    'raw-iterations': { type: 'string', default: '3' },
  },
});
const ROWS = Number(values.rows);
const COUNCILS = Number(values.councils);
const ITERATIONS = Number(values.iterations);
const RAW_ITERATIONS = Number(values['raw-iterations']);
const SUPPLIERS = Math.max(1000, Math.round(ROWS / 200));
const CHUNK = 1_000_000;
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const logger = createLogger('warn');

const seconds = (start: number) => `${((performance.now() - start) / 1000).toFixed(1)} s`;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

async function time(iterations: number, run: (iteration: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
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

/** Suppliers, files, transactions, roll-ups and summaries for COUNCILS councils; the summary triggers are off during the bulk load. */
async function generate(db: Kysely<Database>): Promise<number[]> {
  const councils = await sql<{ id: number }>`
    select id from organisations where kind = 'principal' and gss_code is not null order by gss_code limit ${COUNCILS}
  `.execute(db);
  const ids = councils.rows.map((row) => row.id);
  const started = performance.now();
  await sql`
    insert into suppliers (name, normalised_name, company_number)
    select 'Supplier ' || n || ' ' || (array['Services','Care','Digital','Facilities','Transport','Consulting','Software','Homes'])[1 + n % 8] || ' Ltd',
           'SUPPLIER ' || n || ' ' || upper((array['Services','Care','Digital','Facilities','Transport','Consulting','Software','Homes'])[1 + n % 8]),
           lpad(n::text, 8, '0')
    from generate_series(1, ${SUPPLIERS}) as n
  `.execute(db);
  await sql`insert into supplier_aliases (alias, supplier_id, source) select normalised_name, id, 'exact' from suppliers`.execute(db);
  await sql`
    insert into spend_files (organisation_id, file_name, sha256, byte_size, stored_path, status, rows_imported, total_pence, date_from, date_to)
    select id, 'synthetic.csv', md5(id::text) || md5(id::text || 'x'), 0, 'synthetic', 'imported', 0, 0, '2019-01-01', '2022-12-31'
    from unnest(${sql.val(ids)}::int[]) as id
  `.execute(db);
  await sql`alter table spend_transactions disable trigger user`.execute(db);
  for (let from = 1; from <= ROWS; from += CHUNK) {
    const to = Math.min(ROWS, from + CHUNK - 1);
    // Suppliers skewed so a few are paid by every council (as in real data) and most by one or two;
    // each supplier is booked to one or two expense types and services, as councils' ledgers do.
    await sql`
      insert into spend_transactions (organisation_id, file_id, line, payment_date, date_precision, supplier_id, supplier_name,
                                      supplier_redacted, amount_pence, service, expense_type)
      select c.id, f.id, g.n, date '2019-01-01' + (g.n % 1461), 'day', s.supplier, 'Supplier ' || s.supplier, false,
             50000 + (g.n::int8 * 7919) % 5000000, 'Service ' || ((s.supplier + g.n % 2) % 15), 'Expense type ' || ((s.supplier + g.n % 3 / 2) % 40)
      from generate_series(${from}::int, ${to}::int) as g(n)
      cross join lateral (select (1 + floor(power(((g.n * 2654435761::int8) % 1000003) / 1000003.0, 3) * ${SUPPLIERS}))::int as supplier) s
      join lateral (select ${sql.val(ids)}::int[] as ids) a on true
      join organisations c on c.id = a.ids[1 + g.n % ${ids.length}]
      join spend_files f on f.organisation_id = c.id
    `.execute(db);
    process.stdout.write(`  ${to.toLocaleString('en-GB')} rows (${seconds(started)})\n`);
  }
  await sql`alter table spend_transactions enable trigger user`.execute(db);
  let step = performance.now();
  await sql`
    insert into spend_monthly_rollups (organisation_id, supplier_id, month, expense_type, transactions, total_pence)
    select organisation_id, supplier_id, date_trunc('month', payment_date)::date, expense_type, count(*), sum(amount_pence)
    from spend_transactions group by 1, 2, 3, 4
  `.execute(db);
  process.stdout.write(`  roll-ups built in ${seconds(step)}\n`);
  step = performance.now();
  await sql`
    insert into spend_breakdown_totals (organisation_id, supplier_id, expense_type, service, transactions, total_pence)
    select organisation_id, supplier_id, expense_type, service, count(*), sum(amount_pence) from spend_transactions group by 1, 2, 3, 4
  `.execute(db);
  await sql`
    insert into spend_supplier_totals (supplier_id, transactions, total_pence, councils)
    select supplier_id, sum(transactions), sum(total_pence), count(distinct organisation_id) from spend_breakdown_totals
    where supplier_id is not null group by supplier_id
  `.execute(db);
  await sql`select spend_refresh_expense_concentration(${sql.val(ids)}::int[])`.execute(db);
  await sql`
    update spend_files f set rows_imported = t.n, total_pence = t.p
    from (select organisation_id, sum(transactions)::int as n, sum(total_pence) as p from spend_breakdown_totals group by 1) t
    where t.organisation_id = f.organisation_id
  `.execute(db);
  process.stdout.write(`  summaries built in ${seconds(step)}\n`);
  await sql`analyze`.execute(db);
  const counts = await sql<{ rollups: number; breakdown: number }>`
    select (select count(*) from spend_monthly_rollups)::int8 as rollups, (select count(*) from spend_breakdown_totals)::int8 as breakdown
  `.execute(db);
  process.stdout.write(
    `  ${ROWS.toLocaleString('en-GB')} transactions, ${SUPPLIERS.toLocaleString('en-GB')} suppliers, ${ids.length} councils, ` +
      `${counts.rows[0]?.rollups.toLocaleString('en-GB')} roll-up rows, ${counts.rows[0]?.breakdown.toLocaleString('en-GB')} breakdown rows; generated in ${seconds(started)}\n`,
  );
  return ids;
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

async function measure(engine: 'postgres' | 'pglite', handle: DatabaseHandle<Database>): Promise<void> {
  const db = handle.db;
  const clock = () => new Date();
  const started = performance.now();
  await migrateToLatest(db as never, migrationsFolder);
  const services = createServices({ db, clock });
  await seedReferenceData(services, logger);
  process.stdout.write(`${engine}: migrated and loaded the register in ${seconds(started)}\n`);
  // One connection for the bulk load, with room to sort and hash in memory.
  const councilIds = await db.connection().execute(async (connection) => {
    await sql`set work_mem = '256MB'`.execute(connection);
    return generate(connection);
  });
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
  process.stdout.write(`\n${engine}, ${ROWS.toLocaleString('en-GB')} rows (goal: p95 ≤ ${goal} ms)\n`);
  process.stdout.write('query                     pages p50   pages p95   raw p50     raw p95     goal\n');
  for (const result of results) {
    const cell = (ms: number) => `${ms.toFixed(1)} ms`.padEnd(12);
    process.stdout.write(
      `${result.name.padEnd(26)}${cell(result.pages.p50)}${cell(result.pages.p95)}${cell(result.raw.p50)}${cell(result.raw.p95)}${result.pages.p95 <= goal ? 'met' : 'MISSED'}\n`,
    );
  }
  process.stdout.write('\n');
}

async function onPostgres(): Promise<void> {
  const name = `bench_spend_queries_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase<Database>({ engine: 'postgres', url: url.toString() });
  try {
    await measure('postgres', handle);
  } finally {
    await handle.close();
    await admin.query(`drop database if exists ${name}`);
    await admin.end();
  }
}

async function onPglite(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'spend-queries-bench-'));
  const handle = await openDatabase<Database>({ engine: 'pglite', dataDirectory: directory });
  try {
    await measure('pglite', handle);
  } finally {
    await handle.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

if (values.only !== 'pglite') await onPostgres();
if (values.only !== 'postgres') await onPglite();
