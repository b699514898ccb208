/**
 * Validator throughput and memory.
 *
 * 1. Throughput: a generated 1,000,000-row, 10-column CSV with types and constraints (a primary key, required
 *    fields, a pattern, an enum, minimum/maximum, an email format, dates), about 1% of rows broken. Reads it with
 *    the project's own CSV reader alone (the spend module's decoder and tokenizer, which the validator uses), then
 *    validates it; reports rows per second for each.
 * 2. Memory: a generated file of about 1 GB validated against a schema without keys (keys must remember each
 *    distinct value, by definition); reports the peak resident set size, sampled every 50 ms.
 *
 *   npm run bench:validate -- [--rows 1000000] [--memory-mb 1024]   (--memory-mb 0 skips the memory run)
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readTableSchema } from '../src/modules/data-sharing/validation/table-schema.js';
import { streamCsvRows, validateTable } from '../src/modules/data-sharing/validation/validate-table.js';
import { sampleResidentMemory } from './support/bench-support.js';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, 'memory-mb': { type: 'string', default: '1024' } },
});
const ROWS = Number(values.rows);
const MEMORY_BYTES = Number(values['memory-mb']) * 1024 * 1024;

const FIELDS = [
  { name: 'id', type: 'integer', constraints: { required: true, minimum: 1 } },
  { name: 'reference', type: 'string', constraints: { required: true, pattern: '[A-Z]{3}-[0-9]{5}' } },
  { name: 'supplier', type: 'string', constraints: { required: true, maxLength: 100 } },
  { name: 'amount', type: 'number', constraints: { minimum: -1000000, maximum: 1000000 } },
  { name: 'paid_on', type: 'date', constraints: { required: true, minimum: '2020-01-01' } },
  { name: 'approved', type: 'boolean' },
  { name: 'category', type: 'string', constraints: { enum: ['goods', 'services', 'works', 'grants', 'other'] } },
  { name: 'contact', type: 'string', format: 'email' },
  { name: 'quantity', type: 'integer', constraints: { minimum: 0, maximum: 100000 } },
  { name: 'updated_at', type: 'datetime' },
];
const CATEGORIES = ['goods', 'services', 'works', 'grants', 'other'];

function row(index: number): string {
  const day = String((index % 28) + 1).padStart(2, '0');
  const month = String((index % 12) + 1).padStart(2, '0');
  const cells = [
    String(index + 1),
    `ABC-${String(index % 100_000).padStart(5, '0')}`,
    `Supplier number ${index % 5000} Ltd`,
    (((index * 7919) % 2_000_000) / 100 - 5000).toFixed(2),
    `2024-${month}-${day}`,
    index % 2 === 0 ? 'true' : 'false',
    CATEGORIES[index % 5] ?? 'other',
    `accounts${index % 997}@supplier${index % 5000}.example`,
    String(index % 1000),
    `2024-${month}-${day}T10:${String(index % 60).padStart(2, '0')}:00Z`,
  ];
  // About 1% of rows carry one problem each, of different kinds.
  if (index % 100 === 37) cells[index % 10 === 7 ? 3 : 4] = index % 3 === 0 ? '1,234.00' : '2024-02-30';
  if (index % 1000 === 501) cells[6] = 'misc';
  return cells.join(',');
}

async function writeFile(file: string, limit: { rows?: number; bytes?: number }): Promise<{ rows: number; bytes: number }> {
  const out = createWriteStream(file);
  let buffer = `${FIELDS.map((field) => field.name).join(',')}\n`;
  let rows = 0;
  let bytes = 0;
  while ((limit.rows === undefined || rows < limit.rows) && (limit.bytes === undefined || bytes < limit.bytes)) {
    buffer += `${row(rows)}\n`;
    rows++;
    if (buffer.length > 1 << 20) {
      bytes += buffer.length;
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  bytes += buffer.length;
  out.end(buffer);
  await once(out, 'finish');
  return { rows, bytes };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const rate = (rows: number, ms: number) => Math.round((rows / ms) * 1000);

async function memoryRun(): Promise<void> {
  const file = join(tmpdir(), `validate-bench-memory-${process.pid}.csv`);
  try {
    const written = await writeFile(file, { bytes: MEMORY_BYTES });
    const schema = readTableSchema({ fields: FIELDS });
    global.gc?.();
    const memory = sampleResidentMemory();
    const started = performance.now();
    const report = await validateTable(createReadStream(file, { highWaterMark: 1 << 20 }), { file, schema });
    const elapsed = performance.now() - started;
    const peak = memory.stop();
    console.log(
      `memory: ${mb(statSync(file).size)} file, ${written.rows.toLocaleString('en-GB')} rows validated in ${(elapsed / 1000).toFixed(1)} s ` +
        `(${rate(report.stats.rows, elapsed).toLocaleString('en-GB')} rows/s), ${report.stats.errors.toLocaleString('en-GB')} errors; peak resident ${mb(peak)} (goal: under 300 MB)`,
    );
  } finally {
    rmSync(file, { force: true });
  }
}

async function throughputRun(): Promise<void> {
  const file = join(tmpdir(), `validate-bench-${process.pid}.csv`);
  try {
    const written = await writeFile(file, { rows: ROWS });
    console.log(`throughput file: ${written.rows.toLocaleString('en-GB')} rows, 10 columns, ${mb(statSync(file).size)}`);
    let rows = 0;
    let started = performance.now();
    await streamCsvRows(createReadStream(file, { highWaterMark: 1 << 20 }), () => {
      rows++;
    });
    const readerMs = performance.now() - started;
    const readerRate = rate(rows - 1, readerMs);
    console.log(
      `CSV reader alone (spend module decoder + tokenizer): ${readerRate.toLocaleString('en-GB')} rows/s (${(readerMs / 1000).toFixed(2)} s)`,
    );

    const schema = readTableSchema({ fields: FIELDS, primaryKey: 'id' });
    started = performance.now();
    const report = await validateTable(createReadStream(file, { highWaterMark: 1 << 20 }), { file, schema });
    const validatorMs = performance.now() - started;
    const validatorRate = rate(report.stats.rows, validatorMs);
    console.log(
      `validator (types, constraints, primary key): ${validatorRate.toLocaleString('en-GB')} rows/s (${(validatorMs / 1000).toFixed(2)} s), ` +
        `${report.stats.errors.toLocaleString('en-GB')} errors in ${report.stats.rows.toLocaleString('en-GB')} rows`,
    );
    console.log(
      `validator / reader: ${((validatorRate / readerRate) * 100).toFixed(0)}% (goal: at least 50%); goal of 250,000 rows/s: ${validatorRate >= 250_000 ? 'met' : 'NOT met'}`,
    );
  } finally {
    rmSync(file, { force: true });
  }
}

// Memory first, in a fresh process, so the throughput run's primary-key set does not inflate the figure.
if (MEMORY_BYTES > 0) await memoryRun();
await throughputRun();
