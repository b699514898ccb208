import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { readSpendFile, type SpendReadOptions } from './index.js';

const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/spend/more/', import.meta.url));

/*
 * Every real file in test/fixtures/spend/more (23 councils and Thames Valley's police and crime commissioner,
 * see SOURCES.md there), read as a newcomer would: no mapping, no period, no sheet named.
 *
 * How the figures were checked, independently of this reader: a short Python 3 script read each file with the
 * standard `csv` module (utf-8-sig, else cp1252; CR, LF and CRLF as row ends), XLSX with openpyxl, XLS with xlrd
 * and the ODS with zipfile and xml.etree (repeated rows expanded), took the header row and the amount and date
 * columns named by hand below, and counted the rows below the header whose amount and date cells are both
 * filled (a repeated header's text amount skipped), summing the amounts with decimal.Decimal. Every count and
 * total below matched that script. The columns are the ones a person reading the file would choose; where a
 * file has several amounts, the one excluding VAT.
 */
interface Expected {
  file: string;
  amount: string;
  date: string;
  supplier: string;
  records: number;
  totalPence: number;
  rejected?: number;
  options?: SpendReadOptions;
  note?: RegExp;
}

const EXPECTED: Expected[] = [
  {
    file: 'barnsley/exp-ex-500-aug-23.csv',
    amount: 'Gross Amount £',
    date: 'Transaction Date',
    supplier: 'Supplier Name',
    records: 5538,
    totalPence: 4971255422,
  },
  // The first data row's amount is a blank cell (" "): rejected; the unlabelled grand total at the end is skipped.
  {
    file: 'bury/bury_apr_2023.xlsx',
    amount: 'Invoiced',
    date: 'Date',
    supplier: 'Supplier',
    records: 2975,
    totalPence: 1119150461,
    rejected: 1,
    note: /read the sheet "Spend Over £500 \( Distributed \)"/,
  },
  {
    file: 'central-bedfordshire/spending_2024_04.csv',
    amount: 'Net Amount',
    date: 'Date',
    supplier: 'Supplier name',
    records: 19593,
    totalPence: 5600591846,
  },
  {
    file: 'county-durham/CouncilTransactionsOver500January2024.csv',
    amount: 'Amount Exc VAT',
    date: 'Payment Date',
    supplier: 'Supplier Name',
    records: 5957,
    totalPence: 5747190730,
  },
  { file: 'craven/payments.csv', amount: 'Amount', date: 'Payment Date', supplier: 'Supplier Name', records: 171, totalPence: 72658394 },
  {
    file: 'croydon/apr_2023.xlsx',
    amount: 'Amount',
    date: 'Payment Date',
    supplier: 'Vendor Name',
    records: 12663,
    totalPence: 10882021172,
  },
  {
    file: 'derby/payments-to-suppliers-april-2024.csv',
    amount: 'Exclusive Amount',
    date: 'Payment Date',
    supplier: 'Supplier Name',
    records: 9426,
    totalPence: 3341007347,
  },
  {
    file: 'ealing/2023_05.csv',
    amount: 'Net Amount',
    date: 'Date',
    supplier: 'Amended Supplier Name',
    records: 10820,
    totalPence: 7171975734,
  },
  // Footnote rows at the end have text but no amount: rejected, never summed.
  {
    file: 'east-suffolk/spending_2025_01_january.csv',
    amount: 'Amount',
    date: 'Date',
    supplier: 'Supplier Name',
    records: 904,
    totalPence: 3003983121,
    rejected: 3,
  },
  { file: 'hackney/2023_04.csv', amount: 'Total', date: '4. DATE PAID', supplier: '5. BENEFICIARY', records: 5877, totalPence: 4475406891 },
  {
    file: 'harrow/q1_apr_jun_2023.xlsx',
    amount: 'Net value',
    date: 'Date incurred -Payment Date',
    supplier: 'Updated Beneficiary',
    records: 11164,
    totalPence: 9259157488,
    note: /amounts read from "Net value" \(the amount excluding VAT/,
  },
  {
    file: 'hillingdon/2023_04.xlsx',
    amount: 'Distrib Amount SUM',
    date: 'Paym Acc Date',
    supplier: 'Vendor Name',
    records: 1866,
    totalPence: 13923319267,
  },
  {
    file: 'isles-of-scilly/Transactions_over_500_-_Q1.2023.2024_0.xlsx',
    amount: 'Net Amount',
    date: 'Payment Date',
    supplier: 'Supplier Name',
    records: 567,
    totalPence: 535048802,
    note: /not used: "Invoice Amount", "Line Amount"/,
  },
  {
    file: 'kirklees/KC-Published-Data-2023-12-31.xlsx',
    amount: 'Amount Excluding VAT',
    date: 'Payment Date',
    supplier: 'Vendor Name',
    records: 4545,
    totalPence: 4629242423,
  },
  { file: 'lancashire/apr_2023.csv', amount: 'Amount', date: 'Date', supplier: 'Supplier name', records: 19195, totalPence: 9620237428 },
  {
    file: 'liverpool/apr_2023.xlsx',
    amount: 'Actual Value',
    date: 'Posting date',
    supplier: 'Vendor',
    records: 10140,
    totalPence: 5306646806,
  },
  // A CSV with an .xls name: read by its content.
  {
    file: 'manchester/Manchester September 2014.xls',
    amount: 'Net Amount',
    date: 'Invoice Payment Date',
    supplier: 'Supplier Name',
    records: 3584,
    totalPence: 6799371165,
  },
  {
    file: 'manchester/spendover500.csv',
    amount: 'Net Amount',
    date: 'Invoice Payment Date',
    supplier: 'Supplier Name',
    records: 3975,
    totalPence: 4955403635,
  },
  {
    file: 'salford/expenditure-report-april-2023.csv',
    amount: 'Net',
    date: 'Date of Payment',
    supplier: 'Vendor Name',
    records: 1858,
    totalPence: 4228006415,
    note: /amounts read from "Net"/,
  },
  {
    file: 'stockport/Stockport September 2014.xls',
    amount: 'Amount £',
    date: 'Clearing Date',
    supplier: 'Supplier Name',
    records: 2620,
    totalPence: 2826719572,
  },
  // A summary row with no date near the end is rejected, not summed; ~1,450 all-comma rows are blank.
  {
    file: 'tameside/payment-10.csv',
    amount: 'Sum of Inv Amount',
    date: 'Paid Date',
    supplier: 'Supplier Name',
    records: 1676,
    totalPence: 1935944804,
    rejected: 3,
  },
  { file: 'trafford/201407-3.csv', amount: 'Amount', date: 'Date', supplier: 'Supplier Name', records: 12479, totalPence: 2694849181 },
  {
    file: 'worcestershire/over_ps500_spend_report_april_2023.xlsx',
    amount: 'Total Net Amount',
    date: 'Payment Date',
    supplier: 'Supplier Name',
    records: 4691,
    totalPence: 5897665031,
    note: /read the sheet "Over £500 Spend April 2023"/,
  },
];

async function readAll(file: string, options: SpendReadOptions = {}) {
  const result = await readSpendFile(createReadStream(FIXTURES + file), { fileName: file, ...options });
  let records = 0;
  let totalPence = 0;
  for await (const batch of result.batches) {
    for (const record of batch) {
      records++;
      totalPence += record.amountPence;
    }
  }
  return { ...result, records, totalPence };
}

describe('real spending files from councils the reader was not built on', () => {
  it.each(EXPECTED)('$file', async (expected) => {
    const result = await readAll(expected.file, expected.options);
    const header = (field: 'amount' | 'date' | 'supplierName') => result.layout.headers[result.layout.mapping[field] ?? -1];
    expect({ amount: header('amount'), date: header('date'), supplier: header('supplierName') }).toEqual({
      amount: expected.amount,
      date: expected.date,
      supplier: expected.supplier,
    });
    expect({ records: result.records, totalPence: result.totalPence, rejected: result.stats.rejectedCount }).toEqual({
      records: expected.records,
      totalPence: expected.totalPence,
      rejected: expected.rejected ?? 0,
    });
    if (expected.note) expect(result.stats.warnings.join('\n')).toMatch(expected.note);
  });

  it('reads the P-card sheet of a two-sheet workbook when asked by name', async () => {
    const result = await readAll('worcestershire/over_ps500_spend_report_april_2023.xlsx', { sheet: 'P-Card April 2023' });
    expect(result.layout.sheet).toBe('P-Card April 2023');
    expect(result.layout.headers[result.layout.mapping.supplierName ?? -1]).toBe('Merchant Name');
    // openpyxl: 313 rows below the header with a date and an amount.
    expect(result.records).toBe(313);
  });

  it("refuses Thames Valley PCC's ODS, which has no date column, unless a period is given", async () => {
    await expect(readAll('thames-valley-pcc/OPCC-Transparency-Report-June-2023.ods')).rejects.toThrow(/no date column .*--period YYYY-MM/);
    // Repeated identical rows (table:number-rows-repeated) are expanded: 7,852 payments, £8,103,983.85.
    const result = await readAll('thames-valley-pcc/OPCC-Transparency-Report-June-2023.ods', {
      period: { from: '2023-06', to: '2023-06' },
    });
    expect({ records: result.records, totalPence: result.totalPence }).toEqual({ records: 7852, totalPence: 810398385 });
  });
});
