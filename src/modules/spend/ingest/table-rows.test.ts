import { describe, expect, it } from 'vitest';
import { buildXlsx } from '../../../../test/support/xlsx-writer.js';
import { readTableRows } from './table-rows.js';

async function* once(bytes: Buffer): AsyncGenerator<Buffer> {
  yield bytes;
}

async function all(bytes: Buffer, options: { sheet?: string } = {}) {
  const table = await readTableRows(once(bytes), options);
  const rows = [];
  for await (const batch of table.rows) rows.push(...batch);
  return { ...table, rows };
}

describe('readTableRows: any table file to rows of cells', () => {
  it('reads delimited text with its line numbers', async () => {
    const table = await all(Buffer.from('a;b\r"x\ny";2\r'));
    expect(table).toMatchObject({ kind: 'text', delimiter: ';' });
    expect(table.rows).toEqual([
      { cells: ['a', 'b'], line: 1 },
      { cells: ['x\ny', '2'], line: 2 },
    ]);
  });

  it('reads the named sheet of a spreadsheet', async () => {
    const bytes = buildXlsx([
      { name: 'One', rows: [['a']] },
      {
        name: 'Two',
        rows: [
          ['b', 2],
          [null, { serialDate: 45444 }],
        ],
      },
    ]);
    const table = await all(bytes, { sheet: 'two' });
    expect(table).toMatchObject({ kind: 'xlsx', sheets: ['One', 'Two'], sheet: 'Two' });
    expect(table.rows).toEqual([
      { cells: ['b', '2'], line: 1 },
      { cells: ['', '2024-06-01'], line: 2 },
    ]);
  });
});
