import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { monthFirstEvidence, parseSpendDate } from './spend-date.js';

describe('parseSpendDate', () => {
  it.each([
    ['03/09/2014', '2014-09-03'],
    ['3/9/2014', '2014-09-03'],
    ['03/09/14', '2014-09-03'],
    ['03-09-2014', '2014-09-03'],
    ['03.09.2014', '2014-09-03'],
    ['26-May-11', '2011-05-26'],
    ['26 May 2011', '2011-05-26'],
    ['26-MAY-2011', '2011-05-26'],
    ['26 September 2011', '2011-09-26'],
    ['1st Sept 2011', '2011-09-01'],
    ['2019-05-01 00:00:00', '2019-05-01'],
    ['2019-05-01T13:45:00Z', '2019-05-01'],
    ['03/09/2014 14:30', '2014-09-03'],
    ['2019-05-01', '2019-05-01'],
    ['2019/05/01', '2019-05-01'],
    ['41730', '2014-04-01'],
    ['43586', '2019-05-01'],
    ['29/02/2012', '2012-02-29'],
    [' 03/09/2014 ', '2014-09-03'],
  ])('reads %j as %s', (text, expected) => {
    expect(parseSpendDate(text)).toEqual({ ok: true, value: { date: expected, precision: 'day' } });
  });

  it.each([
    ['May 2011', '2011-05-01'],
    ['May-11', '2011-05-01'],
    ['2011-05', '2011-05-01'],
    ['05/2011', '2011-05-01'],
  ])('reads month-only %j with month precision', (text, expected) => {
    expect(parseSpendDate(text)).toEqual({ ok: true, value: { date: expected, precision: 'month' } });
  });

  it.each([
    '',
    '00:00:00',
    '2014-13-01',
    '13/13/2014',
    '05/13/2014',
    '31/02/2014',
    '29/02/2013',
    '00/01/2014',
    '2014-00-10',
    '26-Mai-11',
    '12345',
    '1',
    'yesterday',
    '01/01/1900',
    '2014-1-1-1',
    '41730.5.1',
  ])('rejects %j rather than guess', (text) => {
    expect(parseSpendDate(text).ok).toBe(false);
  });

  it('says why a time-only cell is rejected', () => {
    expect(parseSpendDate('00:00:00')).toEqual({ ok: false, reason: "date '00:00:00' has a time but no date" });
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => typeof parseSpendDate(text).ok === 'boolean'),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9 /:.A-Za-z-]{0,20}$/), (text) => {
        const result = parseSpendDate(text);
        if (result.ok) expect(result.value.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }),
      { numRuns: 5000 },
    );
  });

  it('round-trips every real day in UK and ISO forms, day first', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }),
        (date) => {
          const iso = date.toISOString().slice(0, 10);
          const [year, month, day] = iso.split('-');
          expect(parseSpendDate(`${day}/${month}/${year}`)).toEqual({ ok: true, value: { date: iso, precision: 'day' } });
          expect(parseSpendDate(`${iso} 00:00:00`)).toEqual({ ok: true, value: { date: iso, precision: 'day' } });
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('rejects an impossible month or day whichever way round it is read', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1990, max: 2099 }),
        fc.integer({ min: 13, max: 99 }),
        fc.integer({ min: 1, max: 28 }),
        (year, month, day) => {
          expect(parseSpendDate(`${year}-${month}-${String(day).padStart(2, '0')}`).ok).toBe(false);
          expect(parseSpendDate(`${String(day).padStart(2, '0')}/${month}/${year}`).ok).toBe(false);
        },
      ),
    );
  });
});

describe('spans of months in a date cell', () => {
  it('dates a span by its first month, as a period', () => {
    expect(parseSpendDate('July 2010-September 2010')).toEqual({ ok: true, value: { date: '2010-07-01', precision: 'period' } });
    expect(parseSpendDate('Jan 23 to Mar 23')).toEqual({ ok: true, value: { date: '2023-01-01', precision: 'period' } });
    expect(parseSpendDate('Oct 2022 – Dec 2022')).toEqual({ ok: true, value: { date: '2022-10-01', precision: 'period' } });
  });

  it('refuses a span that ends before it starts, or names a month that does not exist', () => {
    expect(parseSpendDate('September 2010-July 2010')).toEqual({
      ok: false,
      reason: `date 'September 2010-July 2010' ends before it starts`,
    });
    expect(parseSpendDate('Juli 2010-Sept 2010')).toEqual({ ok: false, reason: `date 'Juli 2010-Sept 2010' has an unknown month name` });
  });
});

describe('dates with a time zone', () => {
  it('reads a time with an offset of hours alone, as database exports write it', () => {
    expect(parseSpendDate('2024/04/02 00:00:00+00')).toEqual({ ok: true, value: { date: '2024-04-02', precision: 'day' } });
    expect(parseSpendDate('2024-04-02T10:30:00+0100')).toEqual({ ok: true, value: { date: '2024-04-02', precision: 'day' } });
  });
});

describe('dates written month first', () => {
  it('reads a numeric date month first only when told the column is written so', () => {
    expect(parseSpendDate('04/02/2024')).toEqual({ ok: true, value: { date: '2024-02-04', precision: 'day' } });
    expect(parseSpendDate('04/02/2024', true)).toEqual({ ok: true, value: { date: '2024-04-02', precision: 'day' } });
    expect(parseSpendDate('4/15/2024 12:00:00 AM', true)).toEqual({ ok: true, value: { date: '2024-04-15', precision: 'day' } });
    expect(parseSpendDate('15/04/2024', true).ok).toBe(false);
    // Named months and ISO dates are the same either way.
    expect(parseSpendDate('2024-04-15', true)).toEqual({ ok: true, value: { date: '2024-04-15', precision: 'day' } });
  });

  it('takes a column as month first only when a value can be read no other way and none says day first', () => {
    expect(monthFirstEvidence(['4/2/2024 12:00:00 AM', '4/15/2024 12:00:00 AM'])).toBe('4/15/2024 12:00:00 AM');
    expect(monthFirstEvidence(['04/02/2024', '05/03/2024'])).toBeNull();
    expect(monthFirstEvidence(['4/15/2024', '15/4/2024'])).toBeNull();
    expect(monthFirstEvidence(['2024-04-15', '15 Apr 2024'])).toBeNull();
  });
});
