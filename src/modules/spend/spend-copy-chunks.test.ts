import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readSpendFile } from './ingest/index.js';
import { type CopyChunk, encodeCopyChunks, RecentMap, type SupplierIdentity } from './spend-copy-chunks.js';

const HEADER = 'Date,Supplier,Company Number,Amount,Expense Type,Purpose\r\n';

async function encode(
  csv: string,
  options: { chunkBytes?: number; window?: number; fail?: boolean } = {},
): Promise<{ chunks: CopyChunk[]; requests: SupplierIdentity[][]; text: string; lines: string[] }> {
  const reader = await readSpendFile(Readable.from([Buffer.from(csv)]));
  const requests: SupplierIdentity[][] = [];
  const ids = new Map<string, number>();
  const resolve = (identities: SupplierIdentity[]) => {
    requests.push(identities);
    if (options.fail) return Promise.reject(new Error('the database went away'));
    for (const identity of identities) ids.set(identity.key, ids.get(identity.key) ?? 100 + ids.size);
    return Promise.resolve(new Map(identities.map((identity) => [identity.key, ids.get(identity.key) ?? 0])));
  };
  const chunks: CopyChunk[] = [];
  for await (const chunk of encodeCopyChunks(reader, '7\t9\t', resolve, options)) chunks.push(chunk);
  const text = chunks.map((chunk) => new TextDecoder().decode(chunk.text)).join('');
  // Rows reach COPY in nearly file order (those waiting for a payee come later); sorted by line for comparing.
  const lines = text
    .split('\n')
    .filter((line) => line !== '')
    .sort((a, b) => Number(a.split('\t')[2]) - Number(b.split('\t')[2]));
  return { chunks, requests, text, lines };
}

/** The COPY columns of a line, after the organisation and file ids (TRANSACTION_COPY_COLUMNS order). */
function fields(line: string) {
  const cells = line.split('\t');
  return {
    organisation: cells[0],
    file: cells[1],
    line: cells[2],
    date: cells[3],
    supplierId: cells[6],
    supplierName: cells[7],
    redacted: cells[8],
    amount: cells[9],
    expenseType: cells[12],
    purpose: cells[16],
  };
}

describe('encoding spend rows as COPY text', () => {
  it('writes each row as a COPY line with its supplier id, escaping what COPY treats specially', async () => {
    const { lines, chunks } = await encode(
      HEADER +
        '01/04/2024,Acme Ltd,01234567,"1,500.00",Repairs,"Boiler\\flue\trepair"\r\n' +
        '02/04/2024,REDACTED,,99.50,Care,"two\nlines"\r\n' +
        '03/04/2024,ACME LIMITED,01234567,(12.00),Repairs,Credit\r\n',
    );
    expect(lines).toHaveLength(3);
    const [first, second, third] = lines.map(fields);
    expect(first).toMatchObject({
      organisation: '7',
      file: '9',
      line: '2',
      date: '2024-04-01',
      supplierId: '100',
      supplierName: 'Acme Ltd',
    });
    expect(first?.amount).toBe('150000');
    expect(first?.purpose).toBe('Boiler\\\\flue\\trepair');
    // Redacted payees keep their row but resolve to no supplier.
    expect(second).toMatchObject({ supplierId: '\\N', supplierName: 'REDACTED', redacted: 't', purpose: 'two\\nlines' });
    // The same company number is the same payee: one supplier.
    expect(third).toMatchObject({ supplierId: '100', amount: '-1200' });
    expect(chunks.reduce((sum, chunk) => sum + chunk.rows, 0)).toBe(3);
    expect(chunks.reduce((sum, chunk) => sum + chunk.totalPence, 0)).toBe(150000 + 9950 - 1200);
  });

  it('asks for each payee once, however often and in however many batches it is named', async () => {
    const rows = Array.from({ length: 5000 }, (_, index) => `01/05/2024,Supplier ${index % 7},,${500 + index}.00,Care,\r\n`);
    const { requests, lines } = await encode(HEADER + rows.join(''), { chunkBytes: 10_000, window: 2 });
    const asked = requests.flat().map((identity) => identity.normalisedName);
    expect(new Set(asked).size).toBe(asked.length);
    expect(asked).toHaveLength(7);
    const ids = lines.map((line) => fields(line).supplierId);
    expect(ids).toHaveLength(5000);
    expect(ids.every((id) => id !== '\\N')).toBe(true);
  });

  it('splits into chunks of about the size asked for without changing a byte, a row or a reject', async () => {
    const rows = Array.from({ length: 3000 }, (_, index) =>
      index === 1234
        ? '01/06/2024,Broken Ltd,,not money,Care,\r\n'
        : `0${1 + (index % 9)}/06/2024,Payee ${index % 300},,${index}.25,Care,\r\n`,
    );
    const csv = HEADER + rows.join('');
    const whole = await encode(csv);
    const split = await encode(csv, { chunkBytes: 4096, window: 1 });
    expect(whole.chunks.filter((chunk) => chunk.rows > 0)).toHaveLength(1);
    expect(split.chunks.filter((chunk) => chunk.rows > 0).length).toBeGreaterThan(1);
    expect(split.lines).toEqual(whole.lines);
    expect(split.lines).toHaveLength(2999);
    const sum = (chunks: CopyChunk[], pick: (chunk: CopyChunk) => number) => chunks.reduce((total, chunk) => total + pick(chunk), 0);
    expect(sum(split.chunks, (chunk) => chunk.rows)).toBe(2999);
    expect(sum(split.chunks, (chunk) => chunk.totalPence)).toBe(sum(whole.chunks, (chunk) => chunk.totalPence));
    expect(split.chunks.flatMap((chunk) => chunk.rejects)).toEqual(whole.chunks.flatMap((chunk) => chunk.rejects));
    expect(split.chunks.flatMap((chunk) => chunk.rejects)).toMatchObject([{ line: 1236, column: 'Amount' }]);
    const froms = split.chunks.map((chunk) => chunk.dateFrom).filter((date) => date !== null);
    expect(froms.sort()[0]).toBe('2024-06-01');
    const tos = split.chunks.map((chunk) => chunk.dateTo).filter((date) => date !== null);
    expect(tos.sort().at(-1)).toBe('2024-06-09');
  });

  it('fails when payees cannot be resolved, rather than writing rows without their supplier', async () => {
    await expect(encode(`${HEADER}01/04/2024,Acme Ltd,,10.00,Repairs,\r\n`, { fail: true })).rejects.toThrow('the database went away');
  });
});

describe('remembering recent payees', () => {
  it('keeps at least the last `limit` keys set and forgets older ones', () => {
    const map = new RecentMap<number>(3);
    for (let index = 0; index < 10; index++) map.set(`k${index}`, index);
    for (let index = 7; index < 10; index++) expect(map.get(`k${index}`)).toBe(index);
    expect(map.has('k0')).toBe(false);
    expect(map.get('k0')).toBeUndefined();
  });
});
