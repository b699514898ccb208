import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';

import { previewSpendFile, readSpendFile, SpendFileError, type SpendReadOptions, type SpendRecord } from './index.js';

async function* chunksOf(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function read(text: string | Buffer, options: SpendReadOptions = {}, chunkSize = 7) {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const result = await readSpendFile(chunksOf(bytes, chunkSize), options);
  const records: SpendRecord[] = [];
  for await (const record of result.records) records.push(record);
  return { ...result, records };
}

const HEADER = 'Body Name,Date,Transaction Number,Amount,Supplier Name,Expense Area\n';

describe('readSpendFile', () => {
  it('reads a plain file into records with canonical fields', async () => {
    const { layout, records, stats } = await read(`${HEADER}Oxford City Council,03/09/2014,T1,"1,100.00",ACME LTD,Housing\n`);
    expect(layout).toMatchObject({ encoding: 'utf-8', bom: false, delimiter: ',', lineEnding: 'LF', headerLine: 1 });
    expect(layout.mapping).toEqual({ organisationName: 0, date: 1, transactionReference: 2, amount: 3, supplierName: 4, service: 5 });
    expect(records).toEqual([
      expect.objectContaining({
        line: 2,
        paymentDate: '2014-09-03',
        datePrecision: 'day',
        transactionReference: 'T1',
        supplierName: 'ACME LTD',
        supplierRedacted: false,
        amountPence: 110000,
        service: 'Housing',
        body: 'Oxford City Council',
        bodyName: 'Oxford City Council',
        supplierId: null,
      }),
    ]);
    expect(stats.recordCount).toBe(1);
  });

  it('detects a byte-order mark, CRLF and semicolons', async () => {
    const text = `\ufeffDate;Supplier;Amount\r\n01/02/2020;A;5\r\n`;
    const { layout, records } = await read(text);
    expect(layout).toMatchObject({ bom: true, delimiter: ';', lineEnding: 'CRLF', headers: ['Date', 'Supplier', 'Amount'] });
    expect(records.map((r) => r.amountPence)).toEqual([500]);
  });

  it.each([
    ['\t', 'LF', '\n'],
    ['|', 'CR', '\r'],
  ])('detects delimiter %j and line ending %s', async (delimiter, lineEnding, end) => {
    const text = ['Date', 'Supplier Name', 'Amount'].join(delimiter) + end + ['01/02/2020', 'A, B and C', '5'].join(delimiter) + end;
    const { layout, records } = await read(text);
    expect(layout).toMatchObject({ delimiter, lineEnding });
    expect(records[0]).toMatchObject({ supplierName: 'A, B and C', line: 2 });
  });

  it('decodes Windows-1252 even when the first non-ASCII byte is far into the file', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `01/02/2020,Supplier ${i},10\r\n`).join('');
    const bytes = iconv.encode(`Date,Supplier,Amount\r\n${rows}01/02/2020,Papakåta £ Ltd,10\r\n`, 'win1252');
    expect(bytes.length).toBeGreaterThan(64 * 1024);
    const { layout, records, stats } = await read(bytes, {}, 4096);
    expect(records.at(-1)?.supplierName).toBe('Papakåta £ Ltd');
    expect(layout.encoding).toBe('windows-1252');
    expect(stats.warnings.join()).toMatch(/Windows-1252/);
  });

  it('keeps UTF-8 split across chunk boundaries', async () => {
    const { layout, records } = await read('Date,Supplier,Amount\n01/02/2020,Café £ Ltd,10\n', {}, 1);
    expect(layout.encoding).toBe('utf-8');
    expect(records[0]?.supplierName).toBe('Café £ Ltd');
  });

  it('finds the header below a preamble and ignores blank merged-cell columns', async () => {
    const text = [
      'Oxford City Council,,,,',
      'Expenditure over £500 April 2014,,,,',
      ',,,,',
      ',Date,,Supplier Name,Amount',
      ',03/09/2014,,ACME,12.00',
      ',,,,',
      ',04/09/2014,,BETA,(3.00)',
    ].join('\n');
    const { layout, records, stats } = await read(text);
    expect(layout.headerLine).toBe(4);
    expect(layout.mapping).toEqual({ date: 1, supplierName: 3, amount: 4 });
    expect(records.map((r) => [r.line, r.amountPence])).toEqual([
      [5, 1200],
      [7, -300],
    ]);
    expect(stats.skipped.blank).toBe(1);
    expect(stats.warnings).toContain('2 line(s) before the header row were ignored');
  });

  it('skips repeated headers and total rows, and counts them', async () => {
    const text = `${HEADER}B,03/09/2014,T1,10.00,ACME,X\nBody Name,Date,Transaction Number,Amount,Supplier Name,Expense Area\nB,03/09/2014,T2,5.00,BETA,X\n,,,15.00,,\n,Total,,15.00,,\n,,,Grand total,,\n`;
    const { records, stats } = await read(text);
    expect(records.map((r) => r.transactionReference)).toEqual(['T1', 'T2']);
    expect(stats.skipped).toEqual({ blank: 0, 'repeated-header': 1, total: 3 });
    expect(stats.rejects).toEqual([]);
  });

  it('warns when a total row does not add up', async () => {
    const { stats } = await read(`${HEADER}B,03/09/2014,T1,10.00,ACME,X\n,,,99.00,,\n`);
    expect(stats.skipped.total).toBe(1);
    expect(stats.warnings).toEqual(['line 3: total row of £99.00 does not match the sum of the rows read (£10.00)']);
  });

  it('keeps redacted suppliers, including blank ones with an amount', async () => {
    const text = `${HEADER}B,03/09/2014,T1,10.00,REDACTED,X\nB,03/09/2014,T2,11.00,Redacted - personal data,X\nB,03/09/2014,T3,12.00,,X\nB,03/09/2014,T4,13.00,Personal Information,X\n`;
    const { records } = await read(text);
    expect(records.map((r) => [r.supplierName, r.supplierRedacted])).toEqual([
      ['REDACTED', true],
      ['Redacted - personal data', true],
      ['', true],
      ['Personal Information', true],
    ]);
  });

  it('rejects unreadable rows with line, column as in the file, and reason', async () => {
    const text = `${HEADER}B,03/09/2014,T1,12.5.3,ACME,X\nB,2014-13-01,T2,5,ACME,X\nB,"multi\nline",T3,1.234,ACME,X\nB,04/09/2014,T4,5,ACME,X\n`;
    const { records, stats } = await read(text);
    expect(records.map((r) => r.line)).toEqual([6]);
    expect(stats.rejects).toEqual([
      { line: 2, column: 'Amount', reason: "amount '12.5.3' is not a number", raw: 'B,03/09/2014,T1,12.5.3,ACME,X' },
      { line: 3, column: 'Date', reason: "date '2014-13-01' has month 13, which does not exist", raw: 'B,2014-13-01,T2,5,ACME,X' },
      { line: 4, column: 'Amount', reason: "amount '1.234' has more than 2 decimal places", raw: 'B,"multi\nline",T3,1.234,ACME,X' },
    ]);
    expect(stats.rejectedCount).toBe(3);
  });

  it('dates undated rows from the period, or rejects them without one', async () => {
    const text = `${HEADER}B,00:00:00,T1,10,ACME,X\nB,,T2,10,ACME,X\nB,05/02/2017,T3,10,ACME,X\nB,31/02/2017,T4,10,ACME,X\n`;
    const quarter = await read(text, { period: { from: '2017-01', to: '2017-03' } });
    expect(quarter.records.map((r) => [r.paymentDate, r.datePrecision])).toEqual([
      ['2017-01-01', 'period'],
      ['2017-01-01', 'period'],
      ['2017-02-05', 'day'],
    ]);
    // A date that is present but impossible is bad data, not a missing date.
    expect(quarter.stats.rejects.map((r) => r.line)).toEqual([5]);

    const month = await read(text, { period: { from: '2017-02', to: '2017-02' } });
    expect(month.records[0]).toMatchObject({ paymentDate: '2017-02-01', datePrecision: 'month' });

    const none = await read(text);
    expect(none.stats.rejects.map((r) => [r.line, r.column, r.reason])).toEqual([
      [2, 'Date', "date '00:00:00' has a time but no date, and no period was given for the file"],
      [3, 'Date', 'date is empty, and no period was given for the file'],
      [5, 'Date', "date '31/02/2017' has day 31, which does not exist in that month"],
    ]);
  });

  it('warns about rows dated outside the period', async () => {
    const { stats } = await read(`${HEADER}B,05/06/2017,T1,10,ACME,X\n`, { period: { from: '2017-01', to: '2017-03' } });
    expect(stats.warnings).toContain('1 row(s) are dated outside the period 2017-01 to 2017-03');
  });

  it('reads a file without a header using a mapping by index', async () => {
    const text = 'ACME,03/09/2014,1500\nBETA,04/09/2014,(2.50)\n';
    const { layout, records } = await read(text, { hasHeader: false, mapping: { supplierName: 0, date: 1, amount: 2 } });
    expect(layout.headerLine).toBeNull();
    expect(records.map((r) => [r.line, r.supplierName, r.amountPence])).toEqual([
      [1, 'ACME', 150000],
      [2, 'BETA', -250],
    ]);
  });

  it('lets an explicit mapping by header name override the synonyms', async () => {
    const text = 'Paid On,Payee Ref,Who,Net,Gross\n03/09/2014,P1,ACME,10.00,12.00\n';
    const { layout, records } = await read(text, { mapping: { date: 'Paid On', supplierName: 'Who', amount: 'gross' } });
    expect(layout.mapping).toMatchObject({ date: 0, supplierName: 2, amount: 4 });
    expect(layout.unmappedColumns).toEqual(['Payee Ref', 'Net']);
    expect(records[0]?.amountPence).toBe(1200);
  });

  it('names the missing column in a no-header rejection', async () => {
    const text = 'ACME,notadate,1500\n';
    const { stats } = await read(text, { hasHeader: false, mapping: { supplierName: 0, date: 1, amount: 2 } });
    expect(stats.rejects[0]).toMatchObject({ line: 1, column: 'column 2' });
  });

  it('refuses a list of supplier totals as not transaction-level', async () => {
    // A list of supplier totals has an amount (found by its values) but no dates.
    await expect(read('Supplier Name,Total Spend\nACME,1000\n')).rejects.toThrow(/not a transaction-level spending file: no date column/);
    await expect(read('Supplier Name,Date\nACME,01/01/2020\n')).rejects.toThrow(/no amount column/);
    await expect(read('Supplier Name,Amount\nACME,1000\n')).rejects.toThrow(/no date column/);
    await expect(read('Date,Amount\n01/01/2020,1000\n')).rejects.toThrow(/no supplier column/);
    await expect(read('hello\nworld\n')).rejects.toBeInstanceOf(SpendFileError);
  });

  it('accepts a supplier-and-amount file when the period is given', async () => {
    const { records } = await read('Supplier Name,Amount\nACME,1000\n', { period: { from: '2020-04', to: '2020-04' } });
    expect(records[0]).toMatchObject({ paymentDate: '2020-04-01', datePrecision: 'month', amountPence: 100000 });
  });

  it('refuses bad options with a clear message', async () => {
    await expect(read(HEADER, { period: { from: '2017-1', to: '2017-03' } })).rejects.toThrow(/YYYY-MM/);
    await expect(read(HEADER, { mapping: { amount: 'Nope' } })).rejects.toThrow(/no column 'Nope'/);
    await expect(read(Buffer.from([0xff, 0xfe, 0x41, 0]))).rejects.toThrow(/UTF-16/);
  });

  it('yields batches of about a thousand and counts bytes', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => `B,03/09/2014,T${i},1,ACME,X\n`).join('');
    const bytes = Buffer.from(HEADER + rows);
    const result = await readSpendFile(chunksOf(bytes, 65536));
    const sizes: number[] = [];
    for await (const batch of result.batches) sizes.push(batch.length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(2500);
    expect(sizes.slice(0, -1).every((size) => size === 1000)).toBe(true);
    expect(result.stats.bytesRead).toBe(bytes.length);
  });

  it('caps stored rejects but counts them all', async () => {
    const rows = Array.from({ length: 30 }, () => 'B,03/09/2014,T,bad,ACME,X\n').join('');
    const { stats } = await read(HEADER + rows, { maxStoredRejects: 10 });
    expect(stats.rejects).toHaveLength(10);
    expect(stats.rejectedCount).toBe(30);
  });
});

describe('previewSpendFile', () => {
  it('returns the layout and the first ten data rows', () => {
    const rows = Array.from({ length: 20 }, (_, i) => `B,03/09/2014,T${i},1,ACME,X`).join('\n');
    const preview = previewSpendFile(Buffer.from(`Title line\n\n${HEADER}${rows}`));
    expect(preview.layout.headerLine).toBe(3);
    expect(preview.rows).toHaveLength(10);
    expect(preview.rows[0]).toEqual(['B', '03/09/2014', 'T0', '1', 'ACME', 'X']);
  });

  it('does not refuse a file with missing columns, so the mapping can be fixed', () => {
    const preview = previewSpendFile(Buffer.from('Supplier Name,Code\nACME,X1\n'));
    expect(preview.layout.mapping).toEqual({ supplierName: 0 });
    expect(preview.layout.unmappedColumns).toEqual(['Code']);
    expect(preview.rows).toEqual([['ACME', 'X1']]);
  });
});
