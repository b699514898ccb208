import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openSpendFile, type ResolveSuppliers, startSpendFileWorker } from './spend-copy-chunks.js';

/**
 * What the spend file worker keeps alive while it reads. A cell cut from a file's decoded text is a view of the whole
 * text, so a worker that remembered payees by such cells kept every chunk that named a new one, and a file naming a
 * new payee every few rows ran it out of memory. Here the worker reads a file well over the size of the heap it is
 * given; it gets through only if what it remembers of each payee is its own copy (ownCopy). Measured on a file of
 * 30,000 such rows: with ownCopy the worker read it in a 64 MB heap (not in 48 MB, its code and chunks in flight);
 * with ownCopy returning the cell itself, it ran out of memory in 96 MB and got through in 128 MB.
 */

const ROWS = 40_000;
/** A long description on every row, so the file (about 130 MB) is well over the worker's heap below. */
const DESCRIPTION = 'Supported living placement: weekly charge as agreed; '.repeat(60);
const WORKER_OLD_GENERATION_MB = 80;

let directory: string;
let file: string;

beforeAll(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'spend-memory-'));
  file = path.join(directory, 'spend.csv');
  const descriptor = fs.openSync(file, 'w');
  let text = 'Date,Supplier Name,Amount,Description\n';
  for (let row = 0; row < ROWS; row++) {
    // One row in ten names a payee seen nowhere else in the file; the others the same two payees.
    const payee = row % 10 === 0 ? `Harbour Lane Care Services ${row} Ltd` : row % 2 === 0 ? 'Acme Supplies Ltd' : 'Blue Sky Care Ltd';
    text += `01/04/2024,${payee},${(500 + (row % 997)).toFixed(2)},${DESCRIPTION}\n`;
    if (text.length > 2 ** 20 || row === ROWS - 1) {
      fs.writeSync(descriptor, text);
      text = '';
    }
  }
  fs.closeSync(descriptor);
});

afterAll(() => {
  fs.rmSync(directory, { recursive: true, force: true });
});

it('reads a file well over the size of its heap that names a new payee every ten rows', async () => {
  expect(fs.statSync(file).size).toBeGreaterThan(1.5 * WORKER_OLD_GENERATION_MB * 2 ** 20);
  const worker = startSpendFileWorker({ oldGenerationMb: WORKER_OLD_GENERATION_MB });
  const opened = await openSpendFile(file, {}, { byteSize: fs.statSync(file).size, worker });
  const ids = new Map<string, number>();
  const resolve: ResolveSuppliers = (identities) => {
    for (const identity of identities) if (!ids.has(identity.key)) ids.set(identity.key, ids.size + 1);
    return Promise.resolve(new Map(identities.map((identity) => [identity.key, ids.get(identity.key) ?? 0])));
  };
  let rows = 0;
  try {
    for await (const chunk of opened.chunks('1\t1\t', resolve)) rows += chunk.rows;
  } finally {
    await opened.close();
  }
  expect(rows).toBe(ROWS);
  expect(ids.size).toBe(ROWS / 10 + 2);
}, 60_000);
