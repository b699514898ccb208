/**
 * Spend reader throughput: builds a messy ~1M-row file from the Trafford
 * fixture (16 columns, the largest real file) in the OS temp directory and
 * reads it with readSpendFile, then with csv-parse for comparison.
 *
 *   npx tsx bench/spend-reader.bench.ts [rows]
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parse } from 'csv-parse';

import { readSpendFile } from '../src/modules/spend/ingest/index.js';
import { sampleResidentMemory } from './support/bench-support.js';

const TARGET_ROWS = Number(process.argv[2] ?? 1_000_000);
const source = fileURLToPath(new URL('../test/fixtures/spend/trafford/trafford-2014-09.csv', import.meta.url));
const target = join(tmpdir(), `spend-reader-bench-${process.pid}.csv`);

/** Writes the synthetic file: preamble, header, the fixture's rows repeated, with blank rows, repeated headers, odd amounts and a total. */
async function writeMessyFile(): Promise<number> {
  const text = readFileSync(source, 'utf8').replace(/^\ufeff/, '');
  const lines = text.split('\r\n').filter((line) => line !== '');
  const header = lines[0] ?? '';
  const rows = lines.slice(1);
  const out = createWriteStream(target);
  const write = async (chunk: string): Promise<void> => {
    if (!out.write(chunk)) await once(out, 'drain');
  };
  await write('\ufeffTrafford Council - payments over £500\r\nPublished under the Transparency Code\r\n\r\n');
  await write(`${header}\r\n`);
  let written = 0;
  let buffer = '';
  while (written < TARGET_ROWS) {
    for (const row of rows) {
      if (written >= TARGET_ROWS) break;
      written++;
      // Sprinkle the quirks real files have: credits in brackets, pound signs, blank rows, repeated headers.
      if (written % 97 === 0) buffer += row.replace(/,"?(-?)([\d,]+\.\d\d)"?,/, ',"(£$2)",') + '\r\n';
      else buffer += `${row}\r\n`;
      if (written % 5003 === 0) buffer += ',,,,,,,,,,,,,,,\r\n';
      if (written % 50_000 === 0) buffer += `${header}\r\n`;
      if (buffer.length > 1 << 20) {
        await write(buffer);
        buffer = '';
      }
    }
  }
  await write(`${buffer},,Total,,,1.00,,,,,,,,,,\r\n`);
  out.end();
  await once(out, 'finish');
  return written;
}

async function benchReader(): Promise<void> {
  const memory = sampleResidentMemory();
  const started = process.hrtime.bigint();
  const result = await readSpendFile(createReadStream(target, { highWaterMark: 256 * 1024 }));
  let records = 0;
  let pence = 0;
  for await (const batch of result.batches) {
    records += batch.length;
    for (const record of batch) pence += record.amountPence;
    memory.peak();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakRss = memory.stop();
  for (const reject of result.stats.rejects.slice(0, 5)) console.log(`reject line ${reject.line} ${reject.column}: ${reject.reason}`);
  console.log(
    `readSpendFile: ${records} records (${result.stats.rejectedCount} rejected, skipped ${JSON.stringify(result.stats.skipped)}) in ${seconds.toFixed(2)} s = ${Math.round(records / seconds).toLocaleString('en-GB')} rows/s; total £${(pence / 100).toFixed(2)}; peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB`,
  );
}

async function benchCsvParse(): Promise<void> {
  const started = process.hrtime.bigint();
  let rows = 0;
  const parser = createReadStream(target).pipe(parse({ relax_column_count: true, bom: true }));
  for await (const row of parser) if (Array.isArray(row)) rows++;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(
    `csv-parse (tokenizing only, for comparison): ${rows} rows in ${seconds.toFixed(2)} s = ${Math.round(rows / seconds).toLocaleString('en-GB')} rows/s`,
  );
}

const rows = await writeMessyFile();
console.log(`synthetic file: ${rows} data rows, ${(statSync(target).size / 2 ** 20).toFixed(0)} MB at ${target}`);
try {
  await benchReader();
  if (!process.argv.includes('--no-compare')) await benchCsvParse();
} finally {
  rmSync(target, { force: true });
}
