import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { isAccountingZero, parseAmountPence, parseOptionalAmountPence } from './spend-amount.js';

function pence(text: string): number | string {
  const result = parseAmountPence(text);
  return result.ok ? result.value : `rejected: ${result.reason}`;
}

function formatPounds(value: number, thousands: boolean): string {
  const abs = Math.abs(value);
  const pounds = String(Math.floor(abs / 100));
  const grouped = thousands ? pounds.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : pounds;
  return `${grouped}.${String(abs % 100).padStart(2, '0')}`;
}

describe('parseAmountPence', () => {
  it.each([
    ['1500', 150000],
    ['1,100.00', 110000],
    [' 504.00 ', 50400],
    ['£1,100', 110000],
    ['£ 1,100.50', 110050],
    ['(12.00)', -1200],
    ['12.00-', -1200],
    ['-12.00', -1200],
    ['-£12.00', -1200],
    ['£-12.00', -1200],
    ['(£12.00)', -1200],
    ['+7', 700],
    ['676', 67600],
    ['1336.2', 133620],
    ['.50', 50],
    ['12.', 1200],
    ['0', 0],
    ['-0.00', 0],
    ['12.340', 1234],
    ['1,234,567.89', 123456789],
    ['\u00a0504.00\u00a0', 50400],
  ])('reads %j as %d pence', (text, expected) => {
    expect(pence(text)).toBe(expected);
  });

  it.each([
    ['819.8399999999999', 81984],
    ['1409.6000000000001', 140960],
    ['0.30000000000000004', 30],
    ['-2000.7000000000003', -200070],
    ['99.99999999', 10000],
  ])('rounds float noise %j to %d pence', (text, expected) => {
    expect(pence(text)).toBe(expected);
  });

  it.each([
    '',
    '   ',
    '12.5.3',
    '1.234,56',
    '1234,56',
    '1,10.00',
    '12,34',
    ',123',
    '1,2345',
    '12.345',
    '12.3456',
    '1.5E+3',
    'abc',
    '£',
    '-',
    '(12.00',
    '--12',
    '(-12.00)',
    '-12.00-',
    '12 34',
    '££12',
    'NaN',
    'Infinity',
  ])('rejects %j rather than guess', (text) => {
    expect(parseAmountPence(text).ok).toBe(false);
  });

  it('rejects values too large to hold exactly', () => {
    expect(parseAmountPence('99999999999999.00').ok).toBe(false);
    expect(parseAmountPence('9999999999999.99')).toEqual({ ok: true, value: 999999999999999 });
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 30 }), (text) => {
        const result = parseAmountPence(text);
        expect(typeof result.ok).toBe('boolean');
        if (result.ok) expect(Number.isSafeInteger(result.value)).toBe(true);
      }),
      { numRuns: 5000 },
    );
    fc.assert(fc.property(fc.string(), (text) => typeof parseAmountPence(text).ok === 'boolean'));
  });

  it('round-trips any integer pence in every published format', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), (value) => {
        const plain = formatPounds(value, false);
        const grouped = formatPounds(value, true);
        const forms =
          value < 0 ? [`-${grouped}`, `£-${plain}`, `(${grouped})`, `${grouped}-`, `(£${plain})`] : [grouped, `£${plain}`, ` ${grouped} `];
        for (const form of forms) expect(pence(form)).toBe(value);
        // The same magnitude printed as a credit is negative.
        if (value > 0) {
          expect(pence(`(${grouped})`)).toBe(-value);
          expect(pence(`${grouped}-`)).toBe(-value);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects a continental decimal comma for any value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 999 }),
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 0, max: 99 }),
        (thousands, units, cents) => {
          const text = `${thousands}.${String(units).padStart(3, '0')},${String(cents).padStart(2, '0')}`;
          expect(parseAmountPence(text).ok).toBe(false);
        },
      ),
    );
  });

  it('rejects a third decimal that is not float noise', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 1, max: 9 }), (value, third) => {
        expect(parseAmountPence(`${formatPounds(value, false)}${third}`).ok).toBe(false);
      }),
    );
  });
});

describe('zero and none as ledgers write them', () => {
  it('knows the dash a spreadsheet writes for zero, and nothing else, as an accounting zero', () => {
    for (const zero of ['-', ' - ', ' £ -   ', '£-', '\u2212']) expect(isAccountingZero(zero), zero).toBe(true);
    for (const other of ['', '--', '- 1', '0', 'n/a', '£']) expect(isAccountingZero(other), other).toBe(false);
  });

  it('reads an optional amount as pence, zero for a dash or nil, and null for anything else', () => {
    expect(['12.50', 'Nil', 'NONE', ' - ', 'Y', 'see note'].map(parseOptionalAmountPence)).toEqual([1250, 0, 0, 0, null, null]);
  });
});
