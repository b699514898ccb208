import { describe, expect, it } from 'vitest';
import { cleanPostcode, findPostcodeColumn } from './postcode.js';

describe('UK postcodes', () => {
  it('writes every shape of postcode as Royal Mail does, whatever its case and spacing', () => {
    expect(cleanPostcode('m1 1ae')).toBe('M1 1AE');
    expect(cleanPostcode('B33 8TH')).toBe('B33 8TH');
    expect(cleanPostcode('cr26xh')).toBe('CR2 6XH');
    expect(cleanPostcode('DN55  1PT')).toBe('DN55 1PT');
    expect(cleanPostcode('W1A 0AX')).toBe('W1A 0AX');
    expect(cleanPostcode(' EC1A-1BB ')).toBe('EC1A 1BB');
  });

  it('says a cell holds no postcode when it holds something else', () => {
    for (const value of [null, '', 'N/A', '12345', 'M1', 'SW1A 2A', 'SW1A 2AAA', 'Manchester', '1M1 1AE'])
      expect(cleanPostcode(value)).toBeNull();
  });
});

describe('finding the payees’ postcode column', () => {
  const rows = [
    ['ACME LTD', '100.00', 'M1 1AE', 'OX1 1BX'],
    ['BLUE SKY CARE', '20.00', 'LS1 4AP', 'OX1 1BX'],
    ['NORTHERN BUSES PLC', '35.50', 'b33 8th', 'OX1 1BX'],
  ];

  it('finds it by its values when its header is not one the reader knows', () => {
    expect(findPostcodeColumn(['Supplier', 'Amount', 'Addr', 'Council address'], rows, new Set())).toBe(2);
    expect(findPostcodeColumn(['', '', '', ''], rows, new Set())).toBe(2);
  });

  it('does not take codes that only fit a postcode’s letters and digits for postcodes, unless the header says so', () => {
    const codes = rows.map((cells, index) => [cells[0] ?? '', cells[1] ?? '', ['CC12AB', 'HR10AA', 'FN22XY'][index] ?? '', '']);
    expect(findPostcodeColumn(['Supplier', 'Amount', 'Cost centre', 'Site'], codes, new Set())).toBeNull();
    expect(findPostcodeColumn(['Supplier', 'Amount', 'Postcode', 'Site'], codes, new Set())).toBe(2);
  });

  it('finds it by a header that speaks of a postcode when some cells hold something else', () => {
    const messy = rows.map((cells, index) => (index === 0 ? [cells[0] ?? '', cells[1] ?? '', 'unknown', cells[3] ?? ''] : cells));
    expect(findPostcodeColumn(['Supplier', 'Amount', 'Creditor Post Code', 'Site'], messy, new Set())).toBe(2);
    expect(findPostcodeColumn(['Supplier', 'Amount', 'Creditor', 'Site'], messy, new Set())).toBeNull();
  });

  it('leaves out a column the mapping has taken, and one with the same postcode on every row (the council’s own)', () => {
    expect(findPostcodeColumn(['Supplier', 'Amount', 'Postcode', 'Council postcode'], rows, new Set([2]))).toBeNull();
  });
});
