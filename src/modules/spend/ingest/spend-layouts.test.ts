import { describe, expect, it } from 'vitest';

import { buildOds, buildXlsx } from '../../../../test/support/xlsx-writer.js';
import { readSpendFile, type SpendReadOptions, type SpendRecord } from './index.js';

/*
 * Small files written for these tests, one per layout feature. Their figures are plain: each test says the rows
 * it wrote, and the totals are the sums of the amounts written in it.
 */
async function* chunksOf(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function read(file: string | Buffer, options: SpendReadOptions = {}) {
  const bytes = typeof file === 'string' ? Buffer.from(file, 'utf8') : file;
  const result = await readSpendFile(chunksOf(bytes, 4096), options);
  const records: SpendRecord[] = [];
  for await (const record of result.records) records.push(record);
  const mapped = (field: keyof typeof result.layout.mapping) => result.layout.headers[result.layout.mapping[field] ?? -1];
  return { ...result, records, mapped, total: records.reduce((sum, record) => sum + record.amountPence, 0) };
}

const SUPPLIERS = ['ACME SUPPLIES LTD', 'NORTHERN BUSES PLC', 'KENT COUNTY COUNCIL', 'BLUE SKY CARE LIMITED', 'J SMITH & SONS'];

function payments(count: number, render: (i: number, supplier: string) => string[]): string[] {
  return Array.from({ length: count }, (_, i) => render(i, SUPPLIERS[i % SUPPLIERS.length] as string).join(','));
}

describe('spend layouts the reader recognises by content', () => {
  it('finds the header below title and metadata rows', async () => {
    const text = [
      'Organisation Name,Anytown Borough Council,,',
      'Document Title,Payments over £500 May 2024,,',
      ',,,',
      'Paid On,Payee,Value (£),Ledger',
      ...payments(6, (i, s) => [`0${i + 1}/05/2024`, s, `${100 + i}.50`, 'Revenue']),
    ].join('\n');
    const result = await read(text);
    expect(result.layout.headerLine).toBe(4);
    expect([result.mapped('date'), result.mapped('supplierName'), result.mapped('amount')]).toEqual(['Paid On', 'Payee', 'Value (£)']);
    expect(result.records).toHaveLength(6);
    expect(result.total).toBe((100 + 101 + 102 + 103 + 104 + 105) * 100 + 6 * 50);
  });

  it('ignores spacer columns, before, between and after', async () => {
    const text = [',Date,,Supplier Name,,Amount,,', ...payments(4, (i, s) => ['', `1${i}/06/2024`, '', s, '', '750.00', '', ''])].join(
      '\r\n',
    );
    const result = await read(text);
    expect(result.layout.mapping).toMatchObject({ date: 1, supplierName: 3, amount: 5 });
    expect(result.total).toBe(4 * 75000);
  });

  it('reads the payees’ postcodes by a header that names them, or by values that are postcodes', async () => {
    const postcodes = ['M1 1AE', 'LS1 4AP', 'B33 8TH', 'OX1 2JD'];
    const named = await read(
      ['Date,Supplier,Amount,Payee Postcode', ...payments(4, (i, s) => [`0${i + 1}/02/2024`, s, '10', postcodes[i] ?? ''])].join('\n'),
    );
    expect(named.mapped('supplierPostcode')).toBe('Payee Postcode');
    expect(named.records.map((record) => record.supplierPostcode)).toEqual(postcodes);
    const unnamed = await read(
      ['Date,Supplier,Amount,Addr 3', ...payments(4, (i, s) => [`0${i + 1}/02/2024`, s, '10', postcodes[i] ?? ''])].join('\n'),
    );
    expect(unnamed.mapped('supplierPostcode')).toBe('Addr 3');
    const none = await read(['Date,Supplier,Amount,Site', ...payments(4, (i, s) => [`0${i + 1}/02/2024`, s, '10', 'OX1 1BX'])].join('\n'));
    expect(none.layout.mapping.supplierPostcode).toBeUndefined();
  });

  it('reads CR-only line endings (classic Mac)', async () => {
    const text = ['Date,Supplier,Amount', ...payments(3, (i, s) => [`0${i + 1}/01/2024`, s, '1000'])].join('\r') + '\r';
    const result = await read(text);
    expect(result.layout.lineEnding).toBe('CR');
    expect(result.records.map((record) => record.line)).toEqual([2, 3, 4]);
  });

  it('uses a period column only when there is no date column, and says so', async () => {
    const text = ['Period,Supplier,Amount', ...payments(3, (_, s) => ['202205', s, '600'])].join('\n');
    const result = await read(text);
    expect(result.mapped('period')).toBe('Period');
    expect(result.records.map((record) => [record.paymentDate, record.datePrecision])).toEqual(Array(3).fill(['2022-05-01', 'month']));
    expect(result.stats.warnings.join()).toMatch(
      /no column holds payment dates: each row is dated by the month in the period column "Period"/,
    );

    const named = await read(['Month,Supplier,Amount', ...payments(2, (_, s) => ['Apr-23', s, '600'])].join('\n'));
    expect(named.records[0]).toMatchObject({ paymentDate: '2023-04-01', datePrecision: 'month' });

    const withDate = await read(['Period,Date,Supplier,Amount', ...payments(2, (_, s) => ['202205', '03/05/2022', s, '600'])].join('\n'));
    expect(withDate.layout.mapping.period).toBeUndefined();
    expect(withDate.records[0]?.paymentDate).toBe('2022-05-03');
  });

  it('never loses a payment over its irrecoverable VAT: a Y/N column is not read as VAT, and odd values are left empty', async () => {
    const flags = await read(
      ['Date,Supplier,Amount,Irrecoverable VAT', ...payments(4, (i, s) => [`0${i + 1}/03/2024`, s, '900.00', i % 2 ? 'Y' : 'N'])].join(
        '\n',
      ),
    );
    expect(flags.layout.mapping.irrecoverableVat).toBeUndefined();
    expect(flags.records).toHaveLength(4);
    expect(flags.stats.warnings.join()).toMatch(
      /"Irrecoverable VAT" was not read as irrecoverable VAT: its values are not amounts \(such as 'N'\)/,
    );

    const values = ['12.50', 'Nil', ' -  ', 'see note'];
    const mixed = await read(
      ['Date,Supplier,Amount,Irrecoverable VAT', ...payments(4, (i, s) => [`0${i + 1}/03/2024`, s, '900.00', values[i] ?? ''])].join('\n'),
    );
    expect(mixed.mapped('irrecoverableVat')).toBe('Irrecoverable VAT');
    expect(mixed.records.map((record) => record.irrecoverableVatPence)).toEqual([1250, 0, 0, null]);
    expect(mixed.stats.rejectedCount).toBe(0);
    expect(mixed.stats.warnings.join()).toMatch(/1 value\(s\) in Irrecoverable VAT are not amounts \(the first, 'see note', on line 5\)/);
  });

  it('reads the dash a spreadsheet writes for zero as a payment of nothing', async () => {
    const result = await read(
      ['Date,Supplier,Amount', '01/03/2024,ACME SUPPLIES LTD,600.00', '02/03/2024,NORTHERN BUSES PLC," £ -   "'].join('\n'),
    );
    expect(result.records.map((record) => record.amountPence)).toEqual([60000, 0]);
  });

  it('reads a date column written month first when its values say so, and says it did', async () => {
    const dates = ['4/2/2024 12:00:00 AM', '4/15/2024 12:00:00 AM', '5/1/2024 12:00:00 AM'];
    const result = await read(['Payment Date,Supplier,Amount', ...payments(3, (i, s) => [dates[i] ?? '', s, '510.00'])].join('\n'));
    expect(result.records.map((record) => record.paymentDate)).toEqual(['2024-04-02', '2024-04-15', '2024-05-01']);
    expect(result.stats.warnings.join()).toMatch(
      /dates in "Payment Date" are written month first \(such as '4\/15\/2024 12:00:00 AM'\), and read that way/,
    );

    const ukDates = await read(['Payment Date,Supplier,Amount', ...payments(2, (i, s) => [`0${i + 4}/02/2024`, s, '510.00'])].join('\n'));
    expect(ukDates.records.map((record) => record.paymentDate)).toEqual(['2024-02-04', '2024-02-05']);
  });

  it('dates rows by the first month of a span written in the date column, as a period', async () => {
    const result = await read(['Date,Supplier,Amount', ...payments(3, (_, s) => ['July 2010-September 2010', s, '1500'])].join('\n'));
    expect(result.mapped('date')).toBe('Date');
    expect(result.records.map((record) => [record.paymentDate, record.datePrecision])).toEqual(Array(3).fill(['2010-07-01', 'period']));
  });

  it('does not date rows by a "Period" column of ledger period numbers: the file needs its period', async () => {
    const text = ['Supplier,Amount,Period', ...payments(4, (i, s) => [s, '700.00', String(i + 1)])].join('\n');
    await expect(read(text, { fileName: 'periods.csv' })).rejects.toThrow(
      /periods\.csv: not a transaction-level spending file: no date column.*--period YYYY-MM/,
    );
    const dated = await read(text, { period: { from: '2023-04', to: '2023-04' } });
    expect(dated.layout.mapping.period).toBeUndefined();
    expect(dated.records.map((record) => [record.paymentDate, record.datePrecision])).toEqual(Array(4).fill(['2023-04-01', 'month']));
  });

  it('dates rows by a ledger period and its financial year when the file has nothing else, and says so', async () => {
    const rows = [
      ['2022/23', '1'],
      ['2022/23', '9'],
      ['2022/23', '10'],
      ['2022/23', '13'],
      ['2023/24', '1'],
    ];
    const result = await read(
      ['Supplier,Net Value,Fin Year,Period', ...payments(5, (i, s) => [s, '650.00', ...(rows[i] ?? [])])].join('\n'),
    );
    expect([result.mapped('period'), result.mapped('financialYear')]).toEqual(['Period', 'Fin Year']);
    expect(result.records.map((record) => record.paymentDate)).toEqual([
      '2022-04-01',
      '2022-12-01',
      '2023-01-01',
      '2023-03-01',
      '2023-04-01',
    ]);
    expect(result.stats.warnings.join()).toMatch(
      /dated by the month of its ledger period in "Period" \(period 1 is April\) in the financial year in "Fin Year"/,
    );

    const badYear = await read(
      ['Supplier,Net Value,Fin Year,Period', ...payments(10, (i, s) => [s, '650.00', i === 9 ? 'unknown' : '2022/23', '2'])].join('\n'),
    );
    expect(badYear.records).toHaveLength(9);
    expect(badYear.stats.rejects).toMatchObject([
      { line: 11, column: 'Fin Year', reason: `financial year 'unknown' is not a year such as 2022/23` },
    ]);
  });

  it('keeps a payment with an empty payee as one whose payee was withheld, and says how many', async () => {
    const result = await read(
      [
        'Date,Supplier,Department,Amount',
        '01/05/2024,ACME SUPPLIES LTD,Housing,600',
        '02/05/2024,,Housing,700',
        '03/05/2024,,Social Care,800',
      ].join('\n'),
    );
    expect(result.records.map((record) => record.supplierRedacted)).toEqual([false, true, true]);
    expect(result.stats.warnings.join()).toMatch(
      /2 payment\(s\) have no payee in Supplier; they are kept, and counted as payees whose names were withheld/,
    );
  });

  it('finds the payee column when every payee is withheld, whatever its header', async () => {
    const categories = ['Supplies & Services', 'Third Party Payments', 'Premises-Related Expenditure', 'Transport Services'];
    const text = [
      'Date,Amount,Account ID(T),Category',
      ...Array.from({ length: 12 }, (_, i) => [`${10 + i}/08/2023`, `${600 + i}.00`, 'Redacted', categories[i % 4] ?? ''].join(',')),
    ].join('\n');
    const result = await read(text);
    expect(result.mapped('supplierName')).toBe('Account ID(T)');
    expect(result.records.every((record) => record.supplierRedacted)).toBe(true);
  });

  it('knows a Capital/Revenue column by its values under any header, and dates written as spreadsheet serials with a time', async () => {
    const result = await read(
      [
        'Invoice Posted Date,Name of Organisation,Supplier Name,Amount,Unrecoverable VAT,Spend',
        ...payments(4, (i, s) => [
          `${45383 + i}.${['520833', '000000', '999988', '250000'][i]}`,
          'Anytown Council',
          s,
          '800.00',
          '0',
          i ? 'Revenue' : 'Capital',
        ]),
      ].join('\n'),
    );
    expect([
      result.mapped('date'),
      result.mapped('organisationName'),
      result.mapped('irrecoverableVat'),
      result.mapped('capitalRevenue'),
    ]).toEqual(['Invoice Posted Date', 'Name of Organisation', 'Unrecoverable VAT', 'Spend']);
    // 45383 is 1 April 2024 in the 1900 date system; the fraction is the time of day.
    expect(result.records.map((record) => [record.paymentDate, record.capitalRevenue])).toEqual([
      ['2024-04-01', 'Capital'],
      ['2024-04-02', 'Revenue'],
      ['2024-04-03', 'Revenue'],
      ['2024-04-04', 'Revenue'],
    ]);
  });

  it('reads a finance system\'s "(T)" headers as the text of their codes', async () => {
    const result = await read(
      [
        'Cost Centre,Cost Centre(T),Supplier ID,Supplier ID(T),Pay Date,Net Amount',
        ...payments(4, (i, s) => ['R401501', 'Housing Revenue Account', `10${i}`, s, `0${i + 1}/04/2023`, '1000.00']),
      ].join('\n'),
    );
    expect([result.mapped('service'), result.mapped('supplierName'), result.mapped('supplierId')]).toEqual([
      'Cost Centre(T)',
      'Supplier ID(T)',
      'Supplier ID',
    ]);
    expect(result.records[0]).toMatchObject({ service: 'Housing Revenue Account', supplierName: 'ACME SUPPLIES LTD', supplierId: '100' });
  });

  it('finds the service and the expense type by the words of unfamiliar headers, never a code column or the purpose', async () => {
    const result = await read(
      [
        'Sub Ledger,Directorate where expenditure incurred,Nominal Description,Nominal Code,Summary of Purpose of Expenditure,Date,Supplier,Amount',
        ...payments(4, (i, s) => [
          'Trade Creditors',
          'Adult Social Care',
          'Residential Care',
          `5${i}100`,
          'Care home placements',
          `0${i + 1}/06/2024`,
          s,
          '2500.00',
        ]),
      ].join('\n'),
    );
    expect([result.mapped('service'), result.mapped('expenseType')]).toEqual([
      'Directorate where expenditure incurred',
      'Nominal Description',
    ]);
    expect(result.records[0]).toMatchObject({ service: 'Adult Social Care', expenseType: 'Residential Care' });

    const codesOnly = await read(
      ['Account,Date,Supplier,Amount', ...payments(3, (i, s) => [`4${i}01`, `0${i + 1}/06/2024`, s, '90.00'])].join('\n'),
    );
    expect(codesOnly.layout.mapping.expenseType).toBeUndefined();
  });

  it('prefers the amount excluding VAT among net, VAT and gross, and says which it used', async () => {
    const text = ['Gross,VAT,Net,Date,Supplier', ...payments(4, (i, s) => ['1200.00', '200.00', '1000.00', `0${i + 1}/02/2024`, s])].join(
      '\n',
    );
    const result = await read(text);
    expect(result.mapped('amount')).toBe('Net');
    expect(result.total).toBe(4 * 100000);
    expect(result.stats.warnings.join()).toMatch(/amounts read from "Net" \(the amount excluding VAT.*not used: "Gross"/);
  });

  it('recognises finance-system code headers and unknown names by their values', async () => {
    const codes = [
      'PAY_DT,VNDR_NM,AP_AMT,CC_CD',
      ...payments(8, (i, s) => [`2024-03-0${i + 1}`, s, `${(i + 1) * 111}.11`, `CC${100 + i}`]),
    ];
    const coded = await read(codes.join('\n'));
    expect([coded.mapped('date'), coded.mapped('supplierName'), coded.mapped('amount')]).toEqual(['PAY_DT', 'VNDR_NM', 'AP_AMT']);

    // Headers no list knows: the values decide (money with pence, dates, names with LTD / PLC / COUNCIL).
    const unknown = ['Col A,Col B,Col C,Col D', ...payments(8, (i, s) => [`REF${i}`, `0${i + 1}/07/2024`, s, `"${i + 1},250.75"`])];
    const result = await read(unknown.join('\n'));
    expect([result.mapped('date'), result.mapped('supplierName'), result.mapped('amount')]).toEqual(['Col B', 'Col C', 'Col D']);
    // 1,250.75 + 2,250.75 + ... + 8,250.75 = 36,000 + 8 × 250.75 = £38,006.00
    expect(result.total).toBe(3800600);
  });

  it('refuses two columns that fit the amount equally, naming them and the --mapping that settles it', async () => {
    const text = ['Date,Supplier,Amount 1,Amount 2', ...payments(4, (i, s) => [`0${i + 1}/02/2024`, s, '500.00', '500.00'])].join('\n');
    await expect(read(text)).rejects.toThrow(
      /cannot tell which column is the amount: "Amount 1" and "Amount 2" fit equally well; say which with --mapping amount="Amount 1" or --mapping amount="Amount 2"/,
    );
    const settled = await read(text, { mapping: { amount: 'Amount 2' } });
    expect(settled.layout.mapping.amount).toBe(3);
  });

  it('refuses a file with no amount, naming the columns and the --mapping to give', async () => {
    await expect(
      read(['Date,Supplier,Notes', ...payments(3, (i, s) => [`0${i + 1}/02/2024`, s, 'paid in full'])].join('\n')),
    ).rejects.toThrow(
      /no amount column \(columns: Date, Supplier, Notes\); no column holds money in nearly every row\. If one does, name it with --mapping amount=COLUMN/,
    );
  });

  it('does not take total rows at the end as payments', async () => {
    const text = [
      'Date,Supplier,Amount',
      ...payments(3, (i, s) => [`0${i + 1}/02/2024`, s, '100.00']),
      ',,300.00',
      'Grand Total,,300.00',
    ].join('\n');
    const result = await read(text);
    expect(result.records).toHaveLength(3);
    expect(result.stats.skipped.total).toBe(2);
  });

  it('removes NUL characters rather than failing, and says so', async () => {
    const text = `Date,Supplier,Amount\n01/02/2024,ACME\u0000 LTD,100.00\n`;
    const result = await read(text);
    expect(result.records[0]?.supplierName).toBe('ACME LTD');
    expect(result.stats.warnings.join()).toMatch(/1 NUL character\(s\) were removed/);
  });
});

describe('spreadsheets', () => {
  const transactions = {
    name: 'Spend',
    rows: [
      ['Payments over £500 for June 2024', null, null],
      [null, null, null],
      ['Payment Date', 'Beneficiary', 'Amount'],
      [{ serialDate: 45444 }, 'ACME SUPPLIES LTD', 1234.5],
      [{ serialDate: 45445 }, 'NORTHERN BUSES PLC', 819.8399999999999],
      [{ serialDate: 45446.5 }, 'KENT COUNTY COUNCIL', -250],
      [null, null, 1804.34],
    ],
  };
  const notes = { name: 'Notes', rows: [['About this file'], ['Published under the Open Government Licence']] };

  it('reads an XLSX file: serial dates, float noise, title rows, the total row, and the sheet that holds transactions', async () => {
    const result = await read(buildXlsx([notes, transactions]));
    expect(result.layout).toMatchObject({ format: 'xlsx', sheet: 'Spend', headerLine: 3 });
    // 45444 is 1 June 2024 in the 1900 date system (Excel: =DATE(2024,6,1) shows 45444).
    expect(result.records.map((record) => [record.paymentDate, record.amountPence])).toEqual([
      ['2024-06-01', 123450],
      ['2024-06-02', 81984],
      ['2024-06-03', -25000],
    ]);
    expect(result.stats.skipped.total).toBe(1);
    expect(result.stats.warnings.join()).toMatch(/read the sheet "Spend".*"Notes", "Spend"/);
  });

  it('reads the sheet named by --sheet, and names the sheets when there is no such sheet', async () => {
    const file = buildXlsx([transactions, { ...transactions, name: 'Spend May', rows: transactions.rows.slice(0, 4) }]);
    expect((await read(file, { sheet: 'spend may' })).records).toHaveLength(1);
    await expect(read(file, { sheet: 'Nope' })).rejects.toThrow(/no sheet "Nope"; the sheets are "Spend", "Spend May"/);
  });

  it('reads every sheet with the same columns, in order, when a workbook has a sheet per month, and names the sheet of a reject', async () => {
    const month = (name: string, day: number, amounts: (number | string)[]) => ({
      name,
      rows: [
        ['Payment Date', 'Beneficiary', 'Amount'],
        ...amounts.map((amount, i) => [{ serialDate: day + i }, SUPPLIERS[i] ?? '', amount]),
      ],
    });
    // 45383 is 1 April 2024, 45413 is 1 May 2024 and 45444 is 1 June 2024 in the 1900 date system.
    const file = buildXlsx([
      notes,
      month('Apr 24', 45383, [100, 200]),
      month('May 24', 45413, [300, 'n/a']),
      month('Jun 24', 45444, [400]),
    ]);
    const result = await read(file);
    expect(result.records.map((record) => [record.paymentDate, record.amountPence, record.line])).toEqual([
      ['2024-04-01', 10000, 2],
      ['2024-04-02', 20000, 3],
      ['2024-05-01', 30000, 2],
      ['2024-06-01', 40000, 2],
    ]);
    expect(result.stats.rejects).toMatchObject([{ line: 3, column: 'Amount', reason: `sheet "May 24": amount 'n/a' is not a number` }]);
    expect(result.stats.warnings.join()).toMatch(
      /read the sheets "Apr 24", "May 24", "Jun 24" one after another: they have the same columns/,
    );
    expect((await read(file, { sheet: 'May 24' })).records).toHaveLength(1);
  });

  it('leaves out a hidden sheet of an ODS file, even one with the same columns', async () => {
    const month = (name: string, hidden: boolean, amount: number) => ({
      name,
      hidden,
      rows: [
        ['Payment Date', 'Beneficiary', 'Amount'],
        ['02/04/2024', 'ACME SUPPLIES LTD', amount],
      ],
    });
    const result = await read(buildOds([month('March (old)', true, 999), month('April', false, 250.5)]));
    expect(result.layout).toMatchObject({ format: 'ods', sheet: 'April' });
    expect(result.records.map((record) => record.amountPence)).toEqual([25050]);
  });

  it('reads a file by its content, never its name: a CSV called .xls, and a damaged spreadsheet refused clearly', async () => {
    const csv = await read('Date,Supplier,Amount\n01/02/2024,ACME LTD,10\n', { fileName: 'payments.xls' });
    expect(csv.layout.format).toBe('csv');
    const damaged = buildXlsx([transactions]).subarray(0, 200);
    await expect(read(damaged, { fileName: 'broken.xlsx' })).rejects.toThrow(/broken\.xlsx: .*table of contents is missing/);
  });
});
