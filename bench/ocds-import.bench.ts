/**
 * OCDS import of a bulk download: writes a release package of about 500 MB (releases shaped like Contracts Finder's,
 * with parties, an award, a contract, items and documents), then imports it with `commons import ocds` in a process of
 * its own and reports the time and that process's peak resident memory (VmHWM). A second, ten times smaller file is
 * imported the same way, so the two peaks show whether memory grows with the file (it should not).
 *
 *   npm run bench:ocds -- [--megabytes 500] [--engine pglite|postgres]
 *
 * PostgreSQL: BENCH_DATABASE_URL or DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) names the server;
 * the benchmark creates a scratch database there and drops it afterwards.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sampleChildPeakMemory, withScratchDatabase } from './support/bench-support.js';

const { values } = parseArgs({
  options: { megabytes: { type: 'string', default: '500' }, engine: { type: 'string', default: 'pglite' } },
});
const TARGET_BYTES = Number(values.megabytes) * 2 ** 20;
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const workDirectory = mkdtempSync(join(tmpdir(), 'ocds-import-bench-'));
const megabytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

const suppliers = [
  'Acme Highways Ltd',
  'Northern Care Services Limited',
  'Bins Software (Trading) Ltd',
  'City Print PLC',
  'Greenfield Consulting LLP',
];
const buyers = ['Kent County Council', 'Derby City Council', 'Leeds City Council', 'Oxford City Council', 'Trafford Council'];

/** One release: a tender awarded and contracted, about 2.5 KB, with values that vary by index. */
function releaseFor(index: number): object {
  const ocid = `ocds-b5fd17-bench-${index}`;
  const buyer = buyers[index % buyers.length] ?? 'Kent County Council';
  const supplier = suppliers[index % suppliers.length] ?? 'Acme Highways Ltd';
  const companyNumber = String(1_000_000 + (index % 50_000)).padStart(8, '0');
  const year = 2020 + (index % 8);
  return {
    ocid,
    id: `${ocid}-award-1`,
    date: `${year}-03-01T09:00:00Z`,
    tag: ['award', 'contract'],
    initiationType: 'tender',
    language: 'en-GB',
    parties: [
      { id: `buyer-${index % buyers.length}`, name: buyer, roles: ['buyer'], address: { countryName: 'GB', postalCode: 'ME14 1XQ' } },
      { id: `GB-COH-${companyNumber}`, name: supplier, identifier: { scheme: 'GB-COH', id: companyNumber }, roles: ['supplier'] },
    ],
    buyer: { id: `buyer-${index % buyers.length}`, name: buyer },
    tender: {
      id: `tender-${index}`,
      title: `Provision of services, lot ${index % 97}`,
      description:
        'The council seeks a provider for a multi-year service, with mobilisation in the first quarter, quarterly reviews, ' +
        'social value commitments and a break clause after the second year. Suppliers of all sizes are encouraged to bid.',
      status: 'complete',
      procurementMethod: 'open',
      mainProcurementCategory: 'services',
      value: { amount: 10_000 + (index % 1000) * 250, currency: 'GBP' },
      items: [{ id: '1', description: 'Services', classification: { scheme: 'CPV', id: `${72 + (index % 8)}000000` } }],
      tenderPeriod: { startDate: `${year - 1}-10-01T00:00:00Z`, endDate: `${year - 1}-11-15T12:00:00Z` },
      documents: [{ id: 'notice', documentType: 'tenderNotice', url: `https://example.gov.uk/notices/${index}`, format: 'text/html' }],
    },
    awards: [
      {
        id: 'award-1',
        status: 'active',
        date: `${year}-02-20T00:00:00Z`,
        value: { amount: 9_500 + (index % 1000) * 240, currency: 'GBP' },
        suppliers: [{ id: `GB-COH-${companyNumber}`, name: supplier }],
        contractPeriod: { startDate: `${year}-04-01T00:00:00Z`, endDate: `${year + 3}-03-31T23:59:59Z` },
      },
    ],
    contracts: [
      {
        id: 'contract-1',
        awardID: 'award-1',
        status: 'active',
        title: `Contract for lot ${index % 97}`,
        period: { startDate: `${year}-04-01T00:00:00Z`, endDate: `${year + 3}-03-31T23:59:59Z` },
        value: { amount: 9_500 + (index % 1000) * 240, currency: 'GBP' },
        dateSigned: `${year}-03-01T00:00:00Z`,
      },
    ],
  };
}

/** Writes a release package of about `bytes`, streamed, and returns how many releases it holds. */
async function writePackage(file: string, bytes: number): Promise<number> {
  const out = createWriteStream(file);
  const head = {
    uri: 'https://example.gov.uk/ocds/bulk.json',
    version: '1.1',
    publisher: { name: 'Benchmark publisher' },
    publishedDate: '2026-01-01T00:00:00Z',
  };
  out.write(`${JSON.stringify(head).slice(0, -1)},"releases":[\n`);
  let written = 0;
  let releases = 0;
  let buffer = '';
  while (written < bytes) {
    const text = `${releases === 0 ? '' : ',\n'}${JSON.stringify(releaseFor(releases))}`;
    buffer += text;
    written += text.length;
    releases += 1;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.write(`${buffer}\n]}\n`);
  out.end();
  await once(out, 'finish');
  return releases;
}

/** Runs `commons import ocds` in a child process, sampling its peak resident memory (VmHWM). */
async function importInChild(file: string, releases: number, environment: NodeJS.ProcessEnv): Promise<void> {
  const commons = fileURLToPath(new URL('../bin/commons.js', import.meta.url));
  const seeded = spawnSync(process.execPath, [commons, 'seed', '--reference-only'], { env: environment, encoding: 'utf8' });
  if (seeded.status !== 0) throw new Error(`commons seed failed: ${seeded.stderr}`);
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [commons, 'import', 'ocds', '--json', file], {
    env: environment,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (data: Buffer) => (output += data.toString()));
  const sampling = sampleChildPeakMemory(child.pid ?? 0);
  const [code] = (await once(child, 'exit')) as [number | null];
  const peakBytes = sampling.stop();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const outcome = JSON.parse(output) as { status: string; releases: number; contracts: number; errors: string[] };
  if (code !== 0 || outcome.status !== 'imported') throw new Error(`commons import ocds exited with ${code}: ${outcome.errors.join('\n')}`);
  const size = statSync(file).size;
  console.log(
    `${megabytes(size)} release package, ${releases.toLocaleString('en-GB')} releases: imported ${outcome.contracts.toLocaleString('en-GB')} ` +
      `contracts in ${seconds.toFixed(1)} s (${(size / 2 ** 20 / seconds).toFixed(1)} MB/s, ` +
      `${Math.round(outcome.releases / seconds).toLocaleString('en-GB')} releases/s), peak resident memory ${megabytes(peakBytes)}`,
  );
}

async function run(bytes: number): Promise<void> {
  const file = join(workDirectory, `bulk-${Math.round(bytes / 2 ** 20)}.json`);
  const releases = await writePackage(file, bytes);
  const base: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
  const dataDirectory = join(workDirectory, `data-${releases}`);
  try {
    if (values.engine === 'postgres') {
      await withScratchDatabase(serverUrl, 'ocds_bench', (url) =>
        importInChild(file, releases, { ...base, DATABASE_URL: url, COMMONS_DATA_DIR: dataDirectory }),
      );
    } else {
      const { DATABASE_URL: _server, ...embedded } = base;
      await importInChild(file, releases, { ...embedded, COMMONS_DATA_DIR: dataDirectory });
    }
  } finally {
    rmSync(file, { force: true });
    rmSync(dataDirectory, { recursive: true, force: true });
  }
}

try {
  console.log(`OCDS import on ${values.engine === 'postgres' ? 'PostgreSQL' : 'PGlite'}: a file a tenth the size, then the full one`);
  await run(TARGET_BYTES / 10);
  await run(TARGET_BYTES);
} finally {
  rmSync(workDirectory, { recursive: true, force: true });
}
