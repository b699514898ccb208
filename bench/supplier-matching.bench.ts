/**
 * Supplier matching: precision and recall of automatic merges on the labelled pairs of real names
 * (test/fixtures/spend/supplier-pairs.csv and supplier-variants.csv; see SOURCES.md there), and the time to
 * resolve new payees against many known suppliers, as an import does (requests of 1,000 new names).
 *
 *   npm run bench:supplier-matching -- [--known N] [--new N] [--engine postgres|pglite]
 *
 * Defaults: 200,000 known (published) suppliers and 20,000 new names, half of them other spellings of known
 * suppliers (case, legal form, a typing error, a cut-off end), half new; on PostgreSQL (BENCH_DATABASE_URL or
 * DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test; a scratch database is made and dropped).
 * Goals: precision >= 0.98, recall >= 0.90, and 20,000 names resolved in <= 5 s. The machine may be loaded by
 * other work: read the figures with that in mind.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { moduleDatabase, type Database } from '../src/app/database-schema.js';
import { councilRegisterFile, migrationsFolder } from '../src/app/paths.js';
import { createServices } from '../src/app/services.js';
import { openDatabase, type DatabaseHandle } from '../src/platform/database/database.js';
import { migrateToLatest } from '../src/platform/database/migrator.js';
import { normaliseSupplierName } from '../src/modules/spend/ingest/index.js';
import type { SupplierIdentity } from '../src/modules/spend/spend-copy-chunks.js';
import { createSpendRepository, type SpendDatabase } from '../src/modules/spend/spend.repository.js';
import { classifySupplierPair, cleanVatNumber } from '../src/modules/spend/supplier-matching.js';
import { ImportSupplierResolution } from '../src/modules/spend/supplier-resolution.js';
import { withScratchDatabase, withScratchDirectory } from './support/bench-support.js';
import { stagingFileRecord } from '../test/support/spend-records.js';

const { values } = parseArgs({
  options: {
    known: { type: 'string', default: '200000' },
    new: { type: 'string', default: '20000' },
    engine: { type: 'string', default: 'postgres' },
  },
});
const KNOWN = Number(values.known);
const NEW = Number(values.new);
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function labelledSet(): void {
  const read = (file: string) =>
    parse<{ name_a: string; name_b: string; same_supplier: string; vat_a?: string; vat_b?: string }>(
      readFileSync(new URL(`../test/fixtures/spend/${file}`, import.meta.url)),
      { columns: true, bom: true },
    );
  const rows = [...read('supplier-pairs.csv'), ...read('supplier-variants.csv')];
  let same = 0;
  let merged = 0;
  let correct = 0;
  let reviewed = 0;
  const started = performance.now();
  for (const row of rows) {
    // As an import decides: a shared VAT number (cleaned: "GB" dropped) is one supplier, two different ones are two.
    const vatA = (row.vat_a ?? '').split('|').flatMap((value) => cleanVatNumber(value) ?? []);
    const vatB = (row.vat_b ?? '').split('|').flatMap((value) => cleanVatNumber(value) ?? []);
    const shared = vatA.some((vat) => vatB.includes(vat));
    const conflict = vatA.length > 0 && vatB.length > 0 && !shared;
    const verdict = shared ? 'merge' : conflict ? 'separate' : classifySupplierPair(row.name_a, row.name_b);
    const isMerged = verdict === 'same' || verdict === 'merge';
    if (verdict === 'review') reviewed++;
    if (row.same_supplier === 'yes') same++;
    if (isMerged) merged++;
    if (isMerged && row.same_supplier === 'yes') correct++;
  }
  const milliseconds = performance.now() - started;
  console.log(
    `labelled set: ${rows.length} pairs (${same} the same supplier): precision ${(correct / merged).toFixed(3)} (${correct}/${merged}, goal 0.98), ` +
      `recall ${(correct / same).toFixed(3)} (${correct}/${same}, goal 0.90); ${reviewed} pairs sent to review; ${milliseconds.toFixed(0)} ms`,
  );
}

/** A seeded pseudo-random generator (mulberry32). */
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

/** Distinct supplier names from the real payees' vocabulary (all fixtures' Trafford and Devon names). */
function knownNames(count: number, random: () => number): string[] {
  const words = new Set<string>();
  for (const file of ['trafford/trafford-2014-09.csv', 'devon/DCCSpendingOver500_201905.csv']) {
    const text = readFileSync(new URL(`../test/fixtures/spend/${file}`, import.meta.url), 'utf8');
    for (const word of text.toUpperCase().split(/[^A-Z]+/)) if (word.length >= 3) words.add(word);
  }
  const vocabulary = [...words];
  const trades = ['SERVICES', 'CARE', 'CONSTRUCTION', 'SUPPLIES', 'TRAVEL', 'HOME', 'NURSERY', 'CONSULTING', 'SOLUTIONS'];
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const names = new Map<string, string>();
  while (names.size < count) {
    const parts = [pick(vocabulary), pick(vocabulary), ...(random() < 0.4 ? [pick(vocabulary)] : [])];
    if (random() < 0.5) parts.push(pick(trades));
    const name = `${parts.join(' ')} LTD`;
    const key = normaliseSupplierName(name);
    if (!names.has(key)) names.set(key, name);
  }
  return [...names.values()];
}

/** Another spelling of a known name: lower case, another legal form, a doubled letter, or a cut-off end. */
function variant(name: string, random: () => number): string {
  const choice = Math.floor(random() * 4);
  if (choice === 0) return name.replace(/ LTD$/, ' Limited').toLowerCase();
  if (choice === 1) return name.replace(/ LTD$/, ' (UK) Ltd.');
  if (choice === 2) {
    const at = 4 + Math.floor(random() * Math.max(1, name.length - 10));
    return `${name.slice(0, at)}${name[at] ?? ''}${name.slice(at)}`;
  }
  return name.length > 28 ? name.slice(0, 27) : `THE ${name}`;
}

async function resolutionTime(handle: DatabaseHandle<Database>): Promise<void> {
  await migrateToLatest(handle.db as never, migrationsFolder);
  const services = createServices({ db: handle.db, clock: () => new Date(), filesDirectory: mkdtempSync(join(tmpdir(), 'match-bench-')) });
  await services.organisationsService.loadCouncilRegister(councilRegisterFile);
  const organisation = await services.organisationsService.getOrganisation('E08000009');
  const random = seeded(200_000);
  const known = knownNames(KNOWN + NEW, random);
  const published = known.slice(0, KNOWN);
  const unseen = known.slice(KNOWN);
  const setUp = performance.now();
  const db = moduleDatabase<SpendDatabase>(handle.db);
  for (let start = 0; start < published.length; start += 5000) {
    const slice = published.slice(start, start + 5000);
    await sql`
      insert into suppliers (name, normalised_name)
      select n, m from unnest(${sql.val(slice)}::text[], ${sql.val(slice.map(normaliseSupplierName))}::text[]) as t(n, m)
    `.execute(db);
  }
  await sql`insert into supplier_aliases (alias, supplier_id, source) select normalised_name, id, 'exact' from suppliers on conflict do nothing`.execute(
    db,
  );
  // As an import leaves them once it has published its suppliers.
  await createSpendRepository(db).settleSupplierNameIndexes();
  await sql`analyze suppliers`.execute(db);
  await sql`analyze supplier_aliases`.execute(db);
  console.log(
    `${handle.engine}: ${published.length.toLocaleString('en-GB')} known suppliers loaded in ${((performance.now() - setUp) / 1000).toFixed(1)} s`,
  );

  const names: string[] = [];
  for (let i = 0; i < NEW; i++) {
    names.push(i % 2 === 0 ? variant(published[Math.floor(random() * published.length)] ?? '', random) : (unseen[i] ?? `NEW NAME ${i}`));
  }
  const identities: SupplierIdentity[] = [];
  const keys = new Set<string>();
  for (const rawName of names) {
    const normalisedName = normaliseSupplierName(rawName);
    const key = `||${normalisedName}`;
    if (normalisedName === '' || keys.has(key)) continue;
    keys.add(key);
    identities.push({ key, rawName, normalisedName, companyNumber: null, vatNumber: null, postcode: null });
  }
  const repository = createSpendRepository(db);
  const fileId = await repository.insertFile(
    stagingFileRecord(organisation.id, { file_name: 'bench.csv', sha256: createHash('sha256').update(randomBytes(8)).digest('hex') }),
  );
  const resolution = new ImportSupplierResolution(fileId);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  for (let start = 0; start < identities.length; start += 1000) {
    await repository.inTransaction((queries) => resolution.resolve(queries, identities.slice(start, start + 1000)));
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const made = await sql<{ count: number }>`select count(*)::int8 as count from suppliers where staged_file_id = ${fileId}`.execute(db);
  const reviews = await sql<{ count: number }>`select count(*)::int8 as count from supplier_match_reviews`.execute(db);
  console.log(
    `${handle.engine}: ${identities.length.toLocaleString('en-GB')} new names (half other spellings of known suppliers) resolved against ` +
      `${published.length.toLocaleString('en-GB')} known suppliers in ${seconds.toFixed(2)} s (goal 5 s; Node CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s): ` +
      `${String(made.rows[0]?.count ?? 0)} new suppliers, ${String(reviews.rows[0]?.count ?? 0)} queued for review`,
  );
}

labelledSet();
if (values.engine === 'pglite') {
  await withScratchDirectory('match-bench-pglite', async (directory) => {
    const handle = await openDatabase<Database>({ engine: 'pglite', dataDirectory: directory });
    try {
      await resolutionTime(handle);
    } finally {
      await handle.close();
    }
  });
} else {
  await withScratchDatabase(serverUrl, 'match_bench', async (url) => {
    const handle = await openDatabase<Database>({ engine: 'postgres', url });
    try {
      await resolutionTime(handle);
    } finally {
      await handle.close();
    }
  });
}
