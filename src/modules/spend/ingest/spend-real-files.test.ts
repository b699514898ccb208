import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { readSpendFile, type SpendReadOptions } from './index.js';

const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/spend/', import.meta.url));

/*
 * Pinned figures for every real file in test/fixtures/spend (copied from the
 * councils' publications; see SOURCES.md there).
 *
 * How they were checked, independently of this reader: a throwaway Python 3
 * script read each file with the standard `csv` module (cp1252 for Leeds
 * 2013-09, utf-8-sig otherwise), summed the amount column with `decimal.Decimal`
 * quantised to the penny (ROUND_HALF_UP, which also settles Devon 2019's float
 * noise such as 819.8399999999999), treated the one row with neither supplier
 * nor date (Leeds 2013-09's footer, 88,683,824.09 = the sum of the other rows)
 * as a total, parsed the three date styles with its own regular expressions,
 * and counted suppliers containing the word "redacted". Every figure below
 * matched that script. Supplier redaction counts agree with a manual look at the
 * distinct supplier names (e.g. Leeds 2011-05: 806 "REDACTED PERSONAL DATA" + 5
 * "REDACTED COMMERCIAL CONFIDENTIALITY").
 */
interface Expected {
  file: string;
  options?: SpendReadOptions;
  encoding: 'utf-8' | 'windows-1252';
  bom: boolean;
  records: number;
  rejected: number;
  skipped: { blank: number; 'repeated-header': number; total: number };
  totalPence: number;
  firstDate: string;
  lastDate: string;
  redacted: number;
}

const EXPECTED: Expected[] = [
  {
    file: 'devon/DCCSpendingOver500_201101.csv',
    encoding: 'utf-8',
    bom: false,
    records: 7012,
    rejected: 0,
    skipped: { blank: 0, 'repeated-header': 0, total: 0 },
    totalPence: 2866393181,
    firstDate: '2011-01-04',
    lastDate: '2011-01-31',
    redacted: 91,
  },
  {
    file: 'devon/DCCSpendingOver500_201905.csv',
    encoding: 'utf-8',
    bom: true,
    records: 7590,
    rejected: 0,
    skipped: { blank: 0, 'repeated-header': 0, total: 0 },
    totalPence: 4849888399,
    firstDate: '2019-05-01',
    lastDate: '2019-05-31',
    redacted: 346,
  },
  {
    file: 'leeds/raw-2011-05.csv',
    encoding: 'utf-8',
    bom: false,
    records: 7299,
    rejected: 0,
    skipped: { blank: 0, 'repeated-header': 0, total: 0 },
    totalPence: 7729096866,
    firstDate: '2011-04-01',
    lastDate: '2011-05-31',
    redacted: 811,
  },
  {
    file: 'leeds/raw-2013-09.csv',
    encoding: 'windows-1252',
    bom: false,
    records: 8630,
    rejected: 0,
    skipped: { blank: 0, 'repeated-header': 0, total: 1 },
    totalPence: 8868382409,
    firstDate: '2013-08-01',
    lastDate: '2013-09-30',
    redacted: 767,
  },
  // Every "Paid Date" here is 00:00:00: the rows take the quarter the file covers.
  {
    file: 'oxford/expenditure-over-500-apr-jun-2014.csv',
    options: { period: { from: '2014-04', to: '2014-06' } },
    encoding: 'utf-8',
    bom: false,
    records: 3836,
    rejected: 0,
    skipped: { blank: 0, 'repeated-header': 0, total: 0 },
    totalPence: 1416588728,
    firstDate: '2014-04-01',
    lastDate: '2014-04-01',
    redacted: 81,
  },
  {
    file: 'oxford/expenditure-over-500-oct-dec-2015.csv',
    encoding: 'utf-8',
    bom: false,
    records: 3918,
    rejected: 0,
    skipped: { blank: 0, 'repeated-header': 0, total: 0 },
    totalPence: 1192387403,
    firstDate: '2015-10-02',
    lastDate: '2015-12-29',
    redacted: 60,
  },
  {
    file: 'trafford/trafford-2014-09.csv',
    encoding: 'utf-8',
    bom: true,
    records: 9670,
    rejected: 0,
    skipped: { blank: 0, 'repeated-header': 0, total: 0 },
    totalPence: 2627704622,
    firstDate: '2014-09-01',
    lastDate: '2014-09-29',
    redacted: 1944,
  },
];

async function summarise(file: string, options: SpendReadOptions = {}) {
  const result = await readSpendFile(createReadStream(FIXTURES + file, { highWaterMark: 64 * 1024 }), { fileName: file, ...options });
  let records = 0;
  let totalPence = 0;
  let redacted = 0;
  let firstDate = '9999-12-31';
  let lastDate = '0000-01-01';
  for await (const record of result.records) {
    records++;
    totalPence += record.amountPence;
    if (record.supplierRedacted) redacted++;
    if (record.paymentDate < firstDate) firstDate = record.paymentDate;
    if (record.paymentDate > lastDate) lastDate = record.paymentDate;
  }
  return { result, records, totalPence, redacted, firstDate, lastDate };
}

describe('real council spend files', () => {
  it.each(EXPECTED)('$file', async (expected) => {
    const { result, ...summary } = await summarise(expected.file, expected.options);
    expect(result.layout).toMatchObject({
      encoding: expected.encoding,
      bom: expected.bom,
      delimiter: ',',
      lineEnding: 'CRLF',
      headerLine: 1,
    });
    expect(summary).toEqual({
      records: expected.records,
      totalPence: expected.totalPence,
      redacted: expected.redacted,
      firstDate: expected.firstDate,
      lastDate: expected.lastDate,
    });
    expect(result.stats.rejectedCount).toBe(expected.rejected);
    expect(result.stats.skipped).toEqual(expected.skipped);
  });

  it('maps each layout to the same canonical fields', async () => {
    const devon = await readSpendFile(createReadStream(`${FIXTURES}devon/DCCSpendingOver500_201101.csv`));
    expect(devon.layout.mapping).toEqual({
      organisation: 0,
      organisationName: 1,
      date: 2,
      transactionReference: 3,
      amount: 5,
      supplierName: 6,
      supplierId: 7,
      vatNumber: 8,
      service: 9,
      expenseType: 10,
      expenseCode: 11,
    });
    expect(devon.layout.unmappedColumns).toEqual(['Invoice Number', 'Creditor Type']);
    const leeds = await readSpendFile(createReadStream(`${FIXTURES}leeds/raw-2013-09.csv`));
    expect(leeds.layout.mapping).toEqual({
      organisation: 0,
      organisationName: 1,
      service: 2,
      expenseType: 5,
      expenseCode: 6,
      date: 7,
      transactionReference: 8,
      amount: 9,
      capitalRevenue: 10,
      supplierName: 11,
    });
    const trafford = await readSpendFile(createReadStream(`${FIXTURES}trafford/trafford-2014-09.csv`));
    expect(trafford.layout.mapping).toMatchObject({ procurementCategory: 14, purpose: 15, vatNumber: 8 });
    const oxford = await readSpendFile(createReadStream(`${FIXTURES}oxford/expenditure-over-500-apr-jun-2014.csv`), {
      period: { from: '2014-04', to: '2014-06' },
    });
    // Oxford's plain "Type" column is recognised as capital/revenue by its values.
    expect(oxford.layout.mapping.capitalRevenue).toBe(7);
  });

  it('reads Leeds 2013-09 as Windows-1252 although its first non-ASCII byte is 1.3 MB in', async () => {
    const result = await readSpendFile(createReadStream(`${FIXTURES}leeds/raw-2013-09.csv`));
    const names: string[] = [];
    for await (const record of result.records) if (/[^\x20-\x7e]/.test(record.supplierName)) names.push(record.supplierName);
    expect(names).toEqual(['Papakåta Ltd']);
  });

  it('keeps Devon 2019 float-noise amounts exact to the penny', async () => {
    const result = await readSpendFile(createReadStream(`${FIXTURES}devon/DCCSpendingOver500_201905.csv`));
    let noisy = 0;
    for await (const record of result.records) if (!Number.isInteger(record.amountPence)) noisy++;
    expect(noisy).toBe(0);
  });

  it('rejects every undated Oxford 2014 row when no period is given, saying why', async () => {
    const { result, records } = await summarise('oxford/expenditure-over-500-apr-jun-2014.csv');
    expect(records).toBe(0);
    expect(result.stats.rejectedCount).toBe(3836);
    expect(result.stats.rejects[0]).toEqual(
      expect.objectContaining({
        line: 2,
        column: 'Paid Date',
        reason: "date '00:00:00' has a time but no date, and no period was given for the file",
      }),
    );
  });
});
