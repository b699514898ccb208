/**
 * Synthetic spend at sector scale, written by the database server itself (INSERT … SELECT over generate_series: no
 * rows cross the network): councils × monthly files × payments, then the roll-ups and summaries the pages read, built
 * once in bulk as an import would add them file by file. Used by `npm run generate:spend` and the spend-queries bench.
 *
 * Shape: every payment belongs to one council's file for one month (one file per council per month, as councils publish
 * them); suppliers are skewed so a few are paid by every council and most by one or two; each supplier is booked to
 * one or two expense types and services, as councils' ledgers do.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../src/app/database-schema.js';

export interface SpendScale {
  rows: number;
  councilIds: readonly number[];
  years: number;
  suppliers: number;
  /** Rows per INSERT statement (each one a transaction). */
  chunk?: number;
  log?: (line: string) => void;
}

export interface GenerationTimings {
  transactionsSeconds: number;
  summariesSeconds: number;
  totalSeconds: number;
  rollupRows: number;
  breakdownRows: number;
  files: number;
}

const FIRST_MONTH = '2016-04-01';
const since = (start: number) => (performance.now() - start) / 1000;

/** Writes the synthetic spend on one connection (session settings such as work_mem apply to it). */
export async function generateSpend(db: Kysely<Database>, scale: SpendScale): Promise<GenerationTimings> {
  const log = scale.log ?? (() => undefined);
  const chunk = scale.chunk ?? 2_000_000;
  const councils = scale.councilIds.length;
  const months = scale.years * 12;
  const started = performance.now();
  await sql`
    insert into suppliers (name, normalised_name, company_number)
    select 'Supplier ' || n || ' ' || (array['Services','Care','Digital','Facilities','Transport','Consulting','Software','Homes'])[1 + n % 8] || ' Ltd',
           'SUPPLIER ' || n || ' ' || upper((array['Services','Care','Digital','Facilities','Transport','Consulting','Software','Homes'])[1 + n % 8]),
           lpad(n::text, 8, '0')
    from generate_series(1, ${scale.suppliers}) as n
  `.execute(db);
  const supplierBase = (await sql<{ base: number }>`select min(id) - 1 as base from suppliers`.execute(db)).rows[0]?.base ?? 0;
  await sql`insert into supplier_aliases (alias, supplier_id, source) select normalised_name, id, 'exact' from suppliers`.execute(db);
  // One file per council per month, inserted in (council, month) order so a payment can name its file by arithmetic.
  await sql`
    insert into spend_files (organisation_id, file_name, sha256, byte_size, stored_path, status, rows_imported, total_pence, date_from, date_to)
    select c.id, 'synthetic-' || m || '.csv', md5(c.id || '-' || m) || md5(m || '-' || c.id), 0, 'synthetic', 'imported', 0, 0,
           (${FIRST_MONTH}::date + make_interval(months => m))::date, (${FIRST_MONTH}::date + make_interval(months => m + 1))::date - 1
    from unnest(${sql.val(scale.councilIds)}::int[]) with ordinality as c(id, position)
    cross join generate_series(0, ${months - 1}) as m
    order by c.position, m
  `.execute(db);
  const fileBase = (await sql<{ base: number }>`select min(id) as base from spend_files where file_name like 'synthetic-%'`.execute(db))
    .rows[0]?.base;
  if (fileBase === undefined) throw new Error('no synthetic files were made');
  log(
    `  ${scale.suppliers.toLocaleString('en-GB')} suppliers, ${(councils * months).toLocaleString('en-GB')} files (${since(started).toFixed(1)} s)`,
  );

  // The summary triggers are off during the bulk load; the summaries are built once below. The payments' indexes are
  // dropped and built again after the load, as PostgreSQL's guide to populating a database advises: kept during the
  // load, they outgrew memory and the rate fell from 113,000 to 40,000 rows/s by 100M.
  await sql`alter table spend_transactions disable trigger user`.execute(db);
  const indexes = await dropIndexes(db, 'spend_transactions');
  const loadStarted = performance.now();
  try {
    for (let from = 1; from <= scale.rows; from += chunk) {
      const to = Math.min(scale.rows, from + chunk - 1);
      await sql`
        insert into spend_transactions (organisation_id, file_id, line, payment_date, date_precision, supplier_id, supplier_name,
                                        supplier_redacted, amount_pence, service, expense_type)
        select (${sql.val(scale.councilIds)}::int[])[1 + c], ${fileBase}::int + c * ${months} + m, g.n,
               (${FIRST_MONTH}::date + make_interval(months => m))::date + (g.n % 28)::int, 'day',
               ${supplierBase}::int + s.supplier, 'Supplier ' || s.supplier, false,
               50000 + (g.n::int8 * 7919) % 5000000, 'Service ' || ((s.supplier + g.n % 2) % 15),
               'Expense type ' || ((s.supplier + g.n % 3 / 2) % 40)
        from generate_series(${from}::int8, ${to}::int8) as g(n)
        cross join lateral (select (g.n % ${councils})::int as c, ((g.n / ${councils}) % ${months})::int as m) p(c, m)
        cross join lateral (select (1 + floor(power(((g.n * 2654435761::int8) % 1000003) / 1000003.0, 3) * ${scale.suppliers}))::int as supplier) s
      `.execute(db);
      log(`  ${to.toLocaleString('en-GB')} payments (${since(loadStarted).toFixed(1)} s)`);
    }
  } finally {
    await sql`alter table spend_transactions enable trigger user`.execute(db);
    await recreateIndexes(db, indexes, log);
  }
  const transactionsSeconds = since(loadStarted);

  const summariesStarted = performance.now();
  await buildSummaries(db, scale.councilIds, log);
  const summariesSeconds = since(summariesStarted);
  log(`  summaries and statistics (${summariesSeconds.toFixed(1)} s)`);
  const counts = await sql<{ rollups: number; breakdown: number; files: number }>`
    select (select count(*) from spend_monthly_rollups)::int8 as rollups, (select count(*) from spend_breakdown_totals)::int8 as breakdown,
           (select count(*) from spend_files)::int8 as files
  `.execute(db);
  return {
    transactionsSeconds,
    summariesSeconds,
    totalSeconds: since(started),
    rollupRows: counts.rows[0]?.rollups ?? 0,
    breakdownRows: counts.rows[0]?.breakdown ?? 0,
    files: counts.rows[0]?.files ?? 0,
  };
}

interface DroppedIndex {
  name: string;
  /** `alter table … add constraint …` for a primary key or unique constraint, else the `create index` statement. */
  statement: string;
}

/** Drops a table's indexes (its key and unique constraints included) and returns the statements that make them again. */
async function dropIndexes(db: Kysely<Database>, table: string): Promise<DroppedIndex[]> {
  const found = await sql<DroppedIndex & { constraint: boolean }>`
    select i.relname as name, c.conname is not null as constraint,
           case when c.conname is not null
                then format('alter table %I add constraint %I %s', ${table}::text, c.conname, pg_get_constraintdef(c.oid))
                else pg_get_indexdef(x.indexrelid) end as statement
    from pg_index x
    join pg_class i on i.oid = x.indexrelid
    left join pg_constraint c on c.conindid = x.indexrelid and c.conrelid = x.indrelid
    where x.indrelid = ${table}::regclass
  `.execute(db);
  for (const index of found.rows) {
    await (
      index.constraint ? sql`alter table ${sql.table(table)} drop constraint ${sql.id(index.name)}` : sql`drop index ${sql.id(index.name)}`
    ).execute(db);
  }
  return found.rows.map(({ name, statement }) => ({ name, statement }));
}

async function recreateIndexes(db: Kysely<Database>, indexes: readonly DroppedIndex[], log: (line: string) => void): Promise<void> {
  for (const index of indexes) {
    const started = performance.now();
    await sql.raw(index.statement).execute(db);
    log(`  index ${index.name} (${since(started).toFixed(1)} s)`);
  }
}

/**
 * The roll-ups and summaries of every payment, built in bulk. Rows go in in the order of each table's unique key, so
 * its index grows at one end instead of reading a random page per row (measured: the unordered insert of 10M
 * roll-up rows had not finished after 14 minutes on the loaded machine).
 */
export async function buildSummaries(db: Kysely<Database>, councilIds: readonly number[], log: (line: string) => void): Promise<void> {
  await withoutForeignKeyChecks(db, () => buildSummaryTables(db, councilIds, log));
  await sql`analyze`.execute(db);
}

/**
 * Runs the bulk build without the per-row foreign-key checks when the connection may (a superuser): every row comes
 * from payments whose council and supplier exist. PostgreSQL queues one check per inserted row to the end of the
 * statement: at 100M payments the monthly roll-ups' queue held 3 GB and was still being checked 45 minutes after the
 * rows were written. The summary tables have no other triggers, so nothing else is skipped.
 */
async function withoutForeignKeyChecks(db: Kysely<Database>, build: () => Promise<void>): Promise<void> {
  const role = await sql<{ superuser: boolean }>`select rolsuper as superuser from pg_roles where rolname = current_user`.execute(db);
  const skip = role.rows[0]?.superuser === true;
  if (skip) await sql`set session_replication_role = replica`.execute(db);
  try {
    await build();
  } finally {
    if (skip) await sql`set session_replication_role = default`.execute(db);
  }
}

async function buildSummaryTables(db: Kysely<Database>, councilIds: readonly number[], log: (line: string) => void): Promise<void> {
  const started = performance.now();
  const tables = [
    'spend_monthly_rollups',
    'spend_organisation_month_totals',
    'spend_organisation_supplier_totals',
    'spend_organisation_year_supplier_totals',
    'spend_organisation_breakdown_totals',
    'spend_breakdown_totals',
    'spend_supplier_totals',
  ];
  await sql`truncate ${sql.join(tables.map((table) => sql.table(table)))}`.execute(db);
  // Empty tables fill fastest without their indexes; they are built again once every row is in.
  const indexes: DroppedIndex[] = [];
  for (const table of tables) indexes.push(...(await dropIndexes(db, table)));
  await sql`
    insert into spend_monthly_rollups (organisation_id, supplier_id, month, expense_type, transactions, total_pence)
    select organisation_id, supplier_id, date_trunc('month', payment_date)::date, expense_type, count(*), sum(amount_pence)
    from spend_transactions group by 1, 2, 3, 4 order by 1, 2, 3, 4
  `.execute(db);
  log(`  monthly roll-ups (${since(started).toFixed(1)} s)`);
  // The organisation totals the council pages read (migration 0173), from the roll-ups.
  await sql`
    insert into spend_organisation_month_totals (organisation_id, month, transactions, total_pence)
    select organisation_id, month, sum(transactions), sum(total_pence) from spend_monthly_rollups group by 1, 2 order by 1, 2
  `.execute(db);
  await sql`
    insert into spend_organisation_supplier_totals (organisation_id, supplier_id, transactions, total_pence)
    select organisation_id, supplier_id, sum(transactions), sum(total_pence) from spend_monthly_rollups group by 1, 2 order by 1, 2
  `.execute(db);
  await sql`
    insert into spend_organisation_year_supplier_totals (organisation_id, supplier_id, year, expense_type, transactions, total_pence)
    select organisation_id, supplier_id, extract(year from month)::int, expense_type, sum(transactions), sum(total_pence)
    from spend_monthly_rollups where supplier_id is not null group by 1, 2, 3, 4 order by 1, 3, 2, 4
  `.execute(db);
  log(`  organisation totals (${since(started).toFixed(1)} s)`);
  await sql`
    insert into spend_breakdown_totals (organisation_id, supplier_id, expense_type, service, transactions, total_pence)
    select organisation_id, supplier_id, expense_type, service, count(*), sum(amount_pence) from spend_transactions
    group by 1, 2, 3, 4 order by 1, 2, 3, 4
  `.execute(db);
  await sql`
    insert into spend_organisation_breakdown_totals (organisation_id, dimension, value, transactions, total_pence)
    select organisation_id, 'expense_type', expense_type, sum(transactions), sum(total_pence) from spend_breakdown_totals group by 1, 3
    union all
    select organisation_id, 'service', service, sum(transactions), sum(total_pence) from spend_breakdown_totals group by 1, 3
    order by 1, 2, 3
  `.execute(db);
  log(`  breakdown totals (${since(started).toFixed(1)} s)`);
  await sql`
    insert into spend_supplier_totals (supplier_id, transactions, total_pence, councils)
    select supplier_id, sum(transactions), sum(total_pence), count(distinct organisation_id) from spend_breakdown_totals
    where supplier_id is not null group by supplier_id order by supplier_id
  `.execute(db);
  await recreateIndexes(db, indexes, log);
  await sql`select spend_refresh_expense_concentration(${sql.val(councilIds)}::int[])`.execute(db);
  await sql`
    update spend_files f set rows_imported = t.n, total_pence = t.p
    from (select file_id, count(*)::int as n, sum(amount_pence) as p from spend_transactions group by 1) t
    where t.file_id = f.id
  `.execute(db);
}
