/**
 * Spend import, end to end: builds a messy synthetic "spending over £500" file (1M rows by default) in the real
 * Trafford layout, then imports it with the spend service on PostgreSQL and on PGlite, and compares PostgreSQL
 * with `psql \copy` of the same rows, already normalised, into the same table.
 *
 *   npm run bench:spend -- [--rows N] [--suppliers N] [--few-suppliers] [--rounds N] [--only postgres|pglite]
 *                          [--memory [--memory-rows N]]
 *
 * By default (the realistic mode) the file names 20,000 distinct suppliers (--suppliers), none known before: a
 * council's first file. Then a second file of the same council with the same suppliers (other rows) is imported
 * into the same database, and its rate reported too. --few-suppliers is the earlier mode: Trafford's own payees,
 * made messy, with a long tail of about one new name in 40 rows.
 *
 * Each engine is measured in --rounds rounds (3 by default), each in a fresh database; the medians are the figures.
 *
 * With --memory it also writes a file of about 1 GB and imports it with `commons import spend` on each engine, in a
 * process of its own, and reports that process's peak resident memory (VmHWM), so the figure is the command's alone.
 *
 * PostgreSQL: BENCH_DATABASE_URL or DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) names the
 * server; the benchmark creates a scratch database there and drops it afterwards.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { moduleDatabase } from '../src/app/database-schema.js';
import { councilRegisterFile, migrationsFolder } from '../src/app/paths.js';
import { createServices } from '../src/app/services.js';
import type { Database } from '../src/app/database-schema.js';
import { openDatabase, type DatabaseHandle } from '../src/platform/database/database.js';
import { migrateToLatest } from '../src/platform/database/migrator.js';
import type { SpendTables } from '../src/modules/spend/index.js';
import { TRANSACTION_COPY_COLUMNS } from '../src/modules/spend/spend.repository.js';
import { normaliseSupplierName } from '../src/modules/spend/ingest/index.js';
import { median, sampleChildPeakMemory, sampleResidentMemory, withScratchDatabase } from './support/bench-support.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    only: { type: 'string' },
    memory: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '3' },
    'memory-rows': { type: 'string', default: '4700000' },
    suppliers: { type: 'string', default: '20000' },
    'few-suppliers': { type: 'boolean', default: false },
  },
});
const TARGET_ROWS = Number(values.rows);
const ROUNDS = Math.max(1, Number(values.rounds));
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const workDirectory = mkdtempSync(join(tmpdir(), 'spend-ingest-bench-'));
const target = join(workDirectory, 'spend.csv');
const secondTarget = join(workDirectory, 'spend-second.csv');
const SUPPLIERS = Number(values.suppliers);
const REALISTIC = !values['few-suppliers'];
/** Rows of the --memory file: the synthetic rows average 216 bytes, so this makes about 1 GB. */
const MEMORY_ROWS = Number(values['memory-rows']);

const megabytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const rate = (rows: number, seconds: number) => `${Math.round(rows / seconds).toLocaleString('en-GB')} rows/s`;

/**
 * Trafford's layout with names made messy the way ledgers are: case, legal forms, "&"/"AND", truncation,
 * and a long tail of suppliers (about 1 in 40 rows names a supplier seen nowhere else), plus blank rows,
 * repeated headers, bracketed credits and a total row.
 */
async function writeMessyFile(target: string, targetRows: number): Promise<number> {
  const source = readFileSync(new URL('../test/fixtures/spend/trafford/trafford-2014-09.csv', import.meta.url), 'utf8').replace(
    /^\ufeff/,
    '',
  );
  const lines = source.split('\r\n').filter((line) => line !== '');
  const header = lines[0] ?? '';
  const rows = lines.slice(1);
  const supplierColumn = columnOf(header, 'Supplier Name');
  const vatColumn = columnOf(header, 'VAT Registration Number');
  const out = createWriteStream(target);
  let buffer = '';
  let written = 0;
  const variants = [
    (name: string) => name,
    (name: string) => name.toUpperCase(),
    (name: string) => `${name} Ltd`,
    (name: string) => name.replace(/ and /i, ' & '),
  ];
  buffer += `\ufeff${header}\r\n`;
  while (written < targetRows) {
    for (const row of rows) {
      if (written >= targetRows) break;
      written++;
      const cells = row.split(',');
      // Rows whose quoted cells hold commas (split apart here) are left alone.
      const supplier = cells[supplierColumn];
      if (cells.length === 16 && supplier && !supplier.includes('"')) {
        const variant = variants[written % variants.length] ?? variants[0];
        const longTail = written % 40 === 0;
        cells[supplierColumn] = longTail
          ? `Supplier ${randomBytes(3).toString('hex')} ${written % 997} Services`
          : (variant ?? ((n: string) => n))(supplier);
        // A supplier seen nowhere else does not carry the VAT number of the payee whose row it took.
        if (longTail) cells[vatColumn] = '';
      }
      let line = cells.join(',');
      if (written % 97 === 0) line = line.replace(/,"?(-?)([\d,]+\.\d\d)"?,/, ',"(£$2)",');
      buffer += `${line}\r\n`;
      if (written % 5003 === 0) buffer += ',,,,,,,,,,,,,,,\r\n';
      if (written % 50_000 === 0) buffer += `${header}\r\n`;
      if (buffer.length > 1 << 20) {
        if (!out.write(buffer)) await once(out, 'drain');
        buffer = '';
      }
    }
  }
  out.write(buffer);
  out.end();
  await once(out, 'finish');
  return written;
}

/** A seeded pseudo-random generator (mulberry32), so every run writes the same files. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The position of a column of the Trafford sample's header (rows without quoted commas split on ","). */
function columnOf(header: string, name: string): number {
  const index = header.split(',').indexOf(name);
  if (index < 0) throw new Error(`the Trafford sample has no column "${name}"`);
  return index;
}

/**
 * `count` distinct supplier names as councils' ledgers write them: two or three words from the real Trafford
 * payees' vocabulary, often a trade word, and a legal form in one of its spellings. Words recur across names, as
 * they do in real files, so the matcher meets similar names that are different suppliers.
 */
function supplierNames(count: number): string[] {
  const source = readFileSync(new URL('../test/fixtures/spend/trafford/trafford-2014-09.csv', import.meta.url), 'utf8');
  const [header = '', ...lines] = source.replace(/^\ufeff/, '').split('\r\n');
  const supplierColumn = columnOf(header, 'Supplier Name');
  const vocabulary = [
    ...new Set(
      lines
        .filter((line) => line.split(',').length === 16)
        .map((line) => line.split(',')[supplierColumn] ?? '')
        .flatMap((name) => name.toUpperCase().split(/[^A-Z]+/))
        .filter((word) => word.length >= 3 && !['LTD', 'LIMITED', 'PLC', 'THE', 'AND', 'LLP'].includes(word)),
    ),
  ];
  const trades = ['SERVICES', 'CARE', 'CONSTRUCTION', 'SUPPLIES', 'TRAVEL', 'HOME', 'NURSERY', 'CONSULTING', 'SOLUTIONS', 'GROUP'];
  const forms = ['Ltd', 'LTD', 'Limited', 'LIMITED', 'Ltd.', 'PLC', '', '', 'LLP'];
  const random = seeded(20_000);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const names = new Set<string>();
  const suppliers = new Set<string>();
  while (names.size < count) {
    const words = [pick(vocabulary), pick(vocabulary), ...(random() < 0.3 ? [pick(vocabulary)] : [])];
    if (random() < 0.6) words.push(pick(trades));
    let name = `${words.join(' ')} ${pick(forms)}`.trim();
    if (random() < 0.5) name = name.replace(/\b([A-Z])([A-Z]+)\b/g, (_w, first: string, rest: string) => first + rest.toLowerCase());
    if (random() < 0.1) name = name.replace(' ', ' & ');
    // One spelling per supplier: names that normalise alike ("X Ltd", "X LIMITED") would be one supplier.
    const key = normaliseSupplierName(name);
    if (suppliers.has(key)) continue;
    suppliers.add(key);
    names.add(name);
  }
  return [...names];
}

/**
 * Each name's VAT number: a third of suppliers give one (as in Trafford's sample), nine digits, distinct per name
 * (while there are fewer than 100 million), written as councils do with and without "GB".
 */
function supplierIdentifiers(names: readonly string[]): string[] {
  const random = seeded(names.length);
  return names.map((_name, index) => {
    if (random() >= 1 / 3) return '';
    const digits = String(100_000_000 + index * 7);
    return random() < 0.5 ? `GB${digits}` : digits;
  });
}

/** Rows of a month in the realistic files: about as many as Trafford's own monthly file (9,670). */
const ROWS_PER_MONTH = 10_000;
/** Suppliers paid in a month of the realistic files: real monthly files name 706 to 2,469. */
const PAYEES_PER_MONTH = 1_500;

/** A sample row's date (DD/MM/YYYY, September 2014) moved `months` later, its day kept where the month has it. */
function monthlyDate(sampleDate: string, months: number): string {
  const day = Math.min(Number(sampleDate.slice(0, 2)) || 1, 28);
  const month = 8 + months;
  return `${String(day).padStart(2, '0')}/${String((month % 12) + 1).padStart(2, '0')}/${2014 + Math.floor(month / 12)}`;
}

/**
 * Trafford's layout with a supplier from `names` on every row, chosen so that a few suppliers take many rows and
 * most take a few (as in real files), every name appearing at least once, the rows running through the months
 * from September 2014; amounts vary with `seed`.
 */
async function writeRealisticFile(target: string, targetRows: number, names: readonly string[], seed: number): Promise<number> {
  const source = readFileSync(new URL('../test/fixtures/spend/trafford/trafford-2014-09.csv', import.meta.url), 'utf8').replace(
    /^\ufeff/,
    '',
  );
  const lines = source.split('\r\n').filter((line) => line !== '');
  const header = lines[0] ?? '';
  const rows = lines.slice(1).filter((row) => row.split(',').length === 16);
  const supplierColumn = columnOf(header, 'Supplier Name');
  const supplierIdColumn = columnOf(header, 'Supplier ID');
  const vatColumn = columnOf(header, 'VAT Registration Number');
  const amountColumn = columnOf(header, 'Amount');
  const dateColumn = columnOf(header, 'Date');
  const random = seeded(seed);
  // A supplier's own ledger code and VAT number go with its name, as in a real file: the sample row's belong to
  // the payee the name replaced, and a VAT number shared by unrelated names would make them one supplier.
  const identifiers = supplierIdentifiers(names);
  const out = createWriteStream(target);
  let buffer = `\ufeff${header}\r\n`;
  for (let written = 0; written < targetRows; written++) {
    // Each name once in the first rows, then a skewed choice among the month's payees (the square of a uniform draw
    // favours the first of them); the payees of a month move on through the names from month to month.
    const month = Math.floor(written / ROWS_PER_MONTH);
    const index =
      written < names.length ? written : (month * PAYEES_PER_MONTH + Math.floor(random() ** 2 * PAYEES_PER_MONTH)) % names.length;
    // A supplier is paid for a few things, not for everything a council buys: its rows copy one of three sample
    // rows of its own (service, expense type), so groups of supplier × month × expense type × service come to
    // about as many per row as in real monthly files (0.22 to 0.46 in seven of them).
    const cells = (rows[(index * 3 + Math.floor(random() * 3)) % rows.length] ?? '').split(',');
    cells[dateColumn] = monthlyDate(cells[dateColumn] ?? '', month);
    const name = names[index] ?? '';
    cells[supplierColumn] = name.includes(',') ? `"${name}"` : name;
    cells[supplierIdColumn] = String(100_000 + index);
    cells[vatColumn] = identifiers[index] ?? '';
    cells[amountColumn] = (500 + Math.floor(random() * 5_000_000) / 100).toFixed(2);
    buffer += `${cells.join(',')}\r\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.write(buffer);
  out.end();
  await once(out, 'finish');
  return targetRows;
}

async function prepare(handle: DatabaseHandle<Database>): Promise<{ services: ReturnType<typeof createServices>; organisationId: number }> {
  await migrateToLatest(handle.db as never, migrationsFolder);
  const services = createServices({
    db: handle.db,
    clock: () => new Date(),
    filesDirectory: join(workDirectory, `files-${handle.engine}`),
  });
  await services.organisationsService.loadCouncilRegister(councilRegisterFile);
  const organisation = await services.organisationsService.getOrganisation('E08000009');
  return { services, organisationId: organisation.id };
}

interface Run {
  rows: number;
  seconds: number;
}

async function importOnce(
  engine: string,
  handle: DatabaseHandle<Database>,
  file = target,
  prepared?: Awaited<ReturnType<typeof prepare>>,
): Promise<Run> {
  const { services, organisationId } = prepared ?? (await prepare(handle));
  const memory = sampleResidentMemory();
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const outcome = await services.spendService.importSpendFile({
    organisationId,
    path: file,
    fileName: file === target ? 'bench.csv' : 'bench-second.csv',
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakRss = memory.stop();
  const cpu = process.cpuUsage(cpuBefore);
  // On a shared machine wall time moves with the load; this process's CPU time does not (much).
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const suppliers = await sql<{ count: number }>`select count(*)::int8 as count from suppliers`.execute(handle.db);
  console.log(
    `${engine}${file === target ? '' : ' (second file, same suppliers)'}: ${outcome.status} ${outcome.rowsImported.toLocaleString('en-GB')} rows (${outcome.rowsRejected} rejected, ${outcome.rowsSkipped} skipped, ` +
      `${suppliers.rows[0]?.count ?? 0} suppliers) in ${seconds.toFixed(2)} s = ${rate(outcome.rowsImported, seconds)} end to end ` +
      `(hashing, storing the original, reading, resolving suppliers, COPY, roll-ups); ` +
      `Node CPU ${cpuSeconds.toFixed(2)} s (${rate(outcome.rowsImported, cpuSeconds)} of CPU); peak RSS ${megabytes(peakRss)}`,
  );
  return { rows: outcome.rowsImported, seconds };
}

function psql(url: string, command: string): number {
  const started = process.hrtime.bigint();
  const result = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', url, '-c', command], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** One PostgreSQL round in a scratch database: the import, then psql \copy of the rows it wrote. */
async function postgresRound(): Promise<{ import: Run; copy: Run; second: Run | null }> {
  return withScratchDatabase(serverUrl, 'spend_bench', async (url) => {
    const handle = await openDatabase<Database>({ engine: 'postgres', url });
    try {
      const prepared = await prepare(handle);
      const imported = await importOnce('PostgreSQL', handle, target, prepared);
      // The same rows, already normalised, dumped and loaded back by psql \copy into the same (emptied) table.
      const dump = join(workDirectory, 'normalised.tsv');
      const columns = TRANSACTION_COPY_COLUMNS.join(', ');
      psql(url, `\\copy (select ${columns} from spend_transactions) to '${dump}'`);
      await sql`truncate spend_transactions`.execute(moduleDatabase<SpendTables>(handle.db));
      const seconds = psql(url, `\\copy spend_transactions (${columns}) from '${dump}'`);
      rmSync(dump, { force: true });
      console.log(
        `psql \\copy of the same ${imported.rows.toLocaleString('en-GB')} normalised rows into spend_transactions: ${seconds.toFixed(2)} s = ${rate(imported.rows, seconds)}`,
      );
      const second = REALISTIC ? await importOnce('PostgreSQL', handle, secondTarget, prepared) : null;
      return { import: imported, copy: { rows: imported.rows, seconds }, second };
    } finally {
      await handle.close();
    }
  });
}

/** Rounds of import and \copy; the medians are the figures, since one round on a shared machine moves with its load. */
async function benchPostgres(): Promise<void> {
  const imports: number[] = [];
  const copies: number[] = [];
  const seconds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const result = await postgresRound();
    imports.push(result.import.rows / result.import.seconds);
    copies.push(result.copy.rows / result.copy.seconds);
    if (result.second) seconds.push(result.second.rows / result.second.seconds);
  }
  console.log(`PostgreSQL import rows/s by round: ${imports.map((value) => Math.round(value).toLocaleString('en-GB')).join(', ')}`);
  if (seconds.length > 0) {
    console.log(
      `PostgreSQL, median of ${ROUNDS}: second file of the same council with the same suppliers ${Math.round(median(seconds)).toLocaleString('en-GB')} rows/s (goal: at least as fast as the first)`,
    );
  }
  const importRate = median(imports);
  const copyRate = median(copies);
  console.log(
    `PostgreSQL, median of ${ROUNDS}: import ${Math.round(importRate).toLocaleString('en-GB')} rows/s (goal 150,000), ` +
      `psql \\copy ${Math.round(copyRate).toLocaleString('en-GB')} rows/s; import / \\copy = ${((100 * importRate) / copyRate).toFixed(0)}% (goal 50%)`,
  );
}

async function benchPGlite(): Promise<void> {
  const rates: number[] = [];
  const seconds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const handle = await openDatabase<Database>({ engine: 'pglite', dataDirectory: join(workDirectory, `pglite-${round}`) });
    try {
      const prepared = await prepare(handle);
      const run = await importOnce('PGlite', handle, target, prepared);
      rates.push(run.rows / run.seconds);
      if (REALISTIC) {
        const second = await importOnce('PGlite', handle, secondTarget, prepared);
        seconds.push(second.rows / second.seconds);
      }
    } finally {
      await handle.close();
      rmSync(join(workDirectory, `pglite-${round}`), { recursive: true, force: true });
    }
  }
  console.log(`PGlite import rows/s by round: ${rates.map((value) => Math.round(value).toLocaleString('en-GB')).join(', ')}`);
  console.log(`PGlite, median of ${ROUNDS}: import ${Math.round(median(rates)).toLocaleString('en-GB')} rows/s (goal 50,000)`);
  if (seconds.length > 0) {
    console.log(`PGlite, median of ${ROUNDS}: second file, same suppliers ${Math.round(median(seconds)).toLocaleString('en-GB')} rows/s`);
  }
}

/** Runs `commons import spend` on a file in a child process, sampling its peak resident memory (VmHWM). */
async function importInChild(engine: string, file: string, rows: number, environment: NodeJS.ProcessEnv): Promise<void> {
  const commons = fileURLToPath(new URL('../bin/commons.js', import.meta.url));
  const seeded = spawnSync(process.execPath, [commons, 'seed', '--reference-only'], { env: environment, encoding: 'utf8' });
  if (seeded.status !== 0) throw new Error(`commons seed failed: ${seeded.stderr}`);
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [commons, 'import', 'spend', '--org', 'E08000009', '--json', file], {
    env: environment,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (data: Buffer) => (output += data.toString()));
  const sampling = sampleChildPeakMemory(child.pid ?? 0);
  const [code] = (await once(child, 'exit')) as [number | null];
  const peakBytes = sampling.stop();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`commons import spend exited with ${code}: ${output}`);
  const outcome = JSON.parse(output) as { rowsImported: number };
  console.log(
    `memory: ${megabytes(statSync(file).size)} file, ${rows.toLocaleString('en-GB')} rows; commons import spend (${engine}) imported ` +
      `${outcome.rowsImported.toLocaleString('en-GB')} rows in ${seconds.toFixed(1)} s = ${rate(outcome.rowsImported, seconds)} ` +
      `with peak resident memory ${megabytes(peakBytes)} (goal: under 500 MB)`,
  );
}

/** Imports a ~1 GB file with the command line, on each engine asked for, and reports the command's peak memory. */
async function benchMemory(): Promise<void> {
  const big = join(workDirectory, 'spend-1gb.csv');
  const rows = await writeMessyFile(big, MEMORY_ROWS);
  const base: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
  try {
    if (values.only !== 'pglite') {
      await withScratchDatabase(serverUrl, 'spend_bench', (url) =>
        importInChild('PostgreSQL', big, rows, { ...base, DATABASE_URL: url, COMMONS_DATA_DIR: join(workDirectory, 'memory-postgres') }),
      );
    }
    if (values.only !== 'postgres') {
      const { DATABASE_URL: _server, ...embedded } = base;
      await importInChild('PGlite', big, rows, { ...embedded, COMMONS_DATA_DIR: join(workDirectory, 'memory-pglite') });
      rmSync(join(workDirectory, 'memory-pglite'), { recursive: true, force: true });
    }
  } finally {
    rmSync(big, { force: true });
  }
}

try {
  let rows: number;
  if (REALISTIC) {
    const names = supplierNames(SUPPLIERS);
    rows = await writeRealisticFile(target, TARGET_ROWS, names, 1);
    await writeRealisticFile(secondTarget, TARGET_ROWS, names, 2);
    console.log(
      `synthetic files (Trafford's layout): ${rows.toLocaleString('en-GB')} data rows each, ${names.length.toLocaleString('en-GB')} distinct supplier names none known before, ${megabytes(statSync(target).size)}; the machine may be loaded by other work, so read the per-round figures`,
    );
  } else {
    rows = await writeMessyFile(target, TARGET_ROWS);
    console.log(`synthetic file: ${rows.toLocaleString('en-GB')} data rows, ${megabytes(statSync(target).size)}`);
  }
  if (values.only !== 'pglite') await benchPostgres();
  if (values.only !== 'postgres') await benchPGlite();
  rmSync(target, { force: true });
  if (values.memory) await benchMemory();
} finally {
  rmSync(workDirectory, { recursive: true, force: true });
}
