import { describe, expect, it } from 'vitest';

import { financialYearStart, ledgerPeriodMonth, ledgerPeriodNumber } from './ledger-period.js';

describe('ledger periods', () => {
  it('reads period numbers as ledgers write them, 1 to 13 only', () => {
    expect(['1', '01', 'P1', 'p09', 'Period 12', '13'].map(ledgerPeriodNumber)).toEqual([1, 1, 1, 9, 12, 13]);
    expect(['0', '14', '202204', 'Apr-22', ''].map(ledgerPeriodNumber)).toEqual([null, null, null, null, null]);
  });

  it('reads the year a financial year starts in, and a plain year only when the header says which end it is', () => {
    expect(['2022/23', '2022-2023', '22/23', 'FY2022/23'].map((text) => financialYearStart(text, 'Financial Year'))).toEqual([
      2022, 2022, 2022, 2022,
    ]);
    expect(financialYearStart('2022/24', 'Financial Year')).toBeNull();
    expect(financialYearStart('2023', 'Financial_Year_Ending')).toBe(2022);
    expect(financialYearStart('2022', 'Year Starting')).toBe(2022);
    expect(financialYearStart('2023', 'Financial Year')).toBeNull();
  });

  it('dates period 1 in April and period 12 (and 13, the year-end adjustments) in the next March', () => {
    expect([1, 9, 10, 12, 13].map((period) => ledgerPeriodMonth(period, 2022))).toEqual([
      '2022-04-01',
      '2022-12-01',
      '2023-01-01',
      '2023-03-01',
      '2023-03-01',
    ]);
  });
});
