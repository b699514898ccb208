/**
 * Spend reader on a spreadsheet: writes a 1M-row XLSX file (Trafford-like columns, serial dates with a date style,
 * numbers with pence and credits, inline strings) in a child process, then reads it with readSpendFile here and
 * reports the time and this process's peak resident memory (VmHWM), so generation does not count.
 *
 *   npm run bench:spend-xlsx -- [--rows N]
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readSpendFile } from '../src/modules/spend/ingest/index.js';
import { writeXlsxFile, type XlsxCell } from '../test/support/xlsx-writer.js';
import { peakResidentMemory } from './support/bench-support.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, generate: { type: 'string' } } });
const rows = Number(values.rows);
const SUPPLIERS = ['ACME SUPPLIES LTD', 'NORTHERN BUSES PLC', 'KENT COUNTY COUNCIL', 'BLUE SKY CARE LIMITED', 'J SMITH & SONS', 'Redacted'];

function* generatedRows(count: number): Generator<XlsxCell[]> {
  yield ['Body', 'Date', 'Transaction number', 'Amount', 'Supplier Name', 'Expense Area', 'Expense Type'];
  for (let i = 0; i < count; i++) {
    const pence = ((i * 7919) % 5_000_000) + 50_000;
    yield [
      'Trafford Council',
      { serialDate: 45383 + (i % 365) },
      `T${i}`,
      (i % 97 === 0 ? -pence : pence) / 100,
      `${SUPPLIERS[i % SUPPLIERS.length] ?? ''} ${i % 5000}`,
      'Children and Families',
      'Professional Services',
    ];
  }
}

if (values.generate) {
  await writeXlsxFile(values.generate, 'Spend', generatedRows(rows));
} else {
  const directory = mkdtempSync(join(tmpdir(), 'spend-xlsx-bench-'));
  const file = join(directory, 'spend.xlsx');
  try {
    const started = Date.now();
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--rows', String(rows), '--generate', file],
      { stdio: 'inherit' },
    );
    if (child.status !== 0) throw new Error('could not write the XLSX file');
    console.log(
      `wrote ${rows.toLocaleString('en-GB')} rows as XLSX: ${(statSync(file).size / 2 ** 20).toFixed(0)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    const before = peakResidentMemory();
    const start = process.hrtime.bigint();
    const result = await readSpendFile(createReadStream(file, { highWaterMark: 1 << 20 }), { fileName: 'spend.xlsx' });
    let records = 0;
    let pence = 0;
    for await (const batch of result.batches) {
      for (const record of batch) {
        records++;
        pence += record.amountPence;
      }
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    console.log(
      `readSpendFile (XLSX): ${records.toLocaleString('en-GB')} records (${result.stats.rejectedCount} rejected) in ${seconds.toFixed(2)} s = ` +
        `${Math.round(records / seconds).toLocaleString('en-GB')} rows/s; total £${(pence / 100).toFixed(2)}; ` +
        `peak RSS ${(peakResidentMemory() / 2 ** 20).toFixed(0)} MB (${(before / 2 ** 20).toFixed(0)} MB before reading)`,
    );
    if (records !== rows) throw new Error(`expected ${rows} records, read ${records}`);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
