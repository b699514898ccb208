import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { castFor, compileField, INVALID } from './field-cast.js';
import { readTableSchema } from './table-schema.js';

/** The cast of a one-field schema's field. */
function castOf(field: Record<string, unknown>) {
  const schema = readTableSchema({ fields: [{ name: 'f', ...field }] });
  return castFor(schema.fields[0]!);
}

describe('number and integer casts read digits themselves', () => {
  const number = castOf({ type: 'number' });
  const integer = castOf({ type: 'integer' });

  it('give exactly the double Number() gives for any plain decimal', () => {
    const decimal = fc
      .tuple(fc.constantFrom('', '+', '-'), fc.stringMatching(/^\d{0,18}$/), fc.boolean(), fc.stringMatching(/^\d{0,18}$/))
      .filter(([, whole, point, fraction]) => whole.length + (point ? fraction.length : 0) > 0)
      .map(([sign, whole, point, fraction]) => `${sign}${whole}${point ? `.${fraction}` : ''}`);
    fc.assert(
      fc.property(decimal, (text) => Object.is(number(text), Number(text))),
      { numRuns: 5000 },
    );
  });

  it('give exactly what Number() gives for whole numbers, long ones too', () => {
    const whole = fc.tuple(fc.constantFrom('', '+', '-'), fc.stringMatching(/^\d{1,25}$/)).map(([sign, digits]) => `${sign}${digits}`);
    fc.assert(
      fc.property(whole, (text) => Object.is(integer(text), Number(text))),
      { numRuns: 5000 },
    );
  });

  it('keep exponents, and refuse what is not a number', () => {
    expect(number('1.5e3')).toBe(1500);
    expect(number('1e999')).toBe(Infinity);
    expect(integer('1' + '0'.repeat(400))).toBe(INVALID);
    for (const text of ['', '+', '-', '.', '1.2.3', '1,000', ' 1', '1e', 'abc', '--1']) expect(number(text)).toBe(INVALID);
    for (const text of ['', '+', '1.0', '1e3', ' 1', '0x10']) expect(integer(text)).toBe(INVALID);
  });
});

describe('dates and times', () => {
  const date = castOf({ type: 'date' });
  const datetime = castOf({ type: 'datetime' });

  it('give the UTC time of the day for every valid YYYY-MM-DD, years before 100 included', () => {
    const day = fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(day, (moment) => {
        const start = new Date(moment.getTime());
        start.setUTCHours(0, 0, 0, 0);
        const text = start.toISOString().slice(0, 10);
        return date(text) === start.getTime();
      }),
      { numRuns: 5000 },
    );
    expect(date('0050-03-01')).toBe(new Date('0050-03-01T00:00:00Z').getTime());
  });

  it('refuse days a month does not have', () => {
    expect(date('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    for (const text of ['2023-02-29', '2100-02-29', '2024-04-31', '2024-13-01', '2024-00-10', '2024-1-01', '24-01-01'])
      expect(date(text)).toBe(INVALID);
    expect(date('2000-02-29')).toBe(Date.UTC(2000, 1, 29));
  });

  it('read date-times in the default form as Date does', () => {
    for (const text of ['2024-06-30T23:59:59Z', '1999-01-01T00:00:00Z', '2024-06-30 10:00:00Z'])
      expect(datetime(text)).toBe(Date.parse(text.replace(' ', 'T')));
    expect(datetime('2024-06-30T24:00:00Z')).toBe(INVALID);
    expect(datetime('2024-06-31T10:00:00Z')).toBe(INVALID);
  });
});

describe('length constraints count characters, not UTF-16 units', () => {
  const field = (constraints: Record<string, unknown>) =>
    compileField(readTableSchema({ fields: [{ name: 'f', type: 'string', constraints }] }).fields[0]!, [''], false, 'f');

  it('pass a string of emoji at its length in characters and fail one over', () => {
    const max = field({ maxLength: 3 }).checkConstraints!;
    expect(max('😀😀😀', '😀😀😀')).toBeNull();
    expect(max('😀😀😀😀', '😀😀😀😀')).toMatch(/maxLength/);
    const min = field({ minLength: 3 }).checkConstraints!;
    expect(min('😀😀😀', '😀😀😀')).toBeNull();
    expect(min('😀😀', '😀😀')).toMatch(/minLength/);
    expect(min('abcdef', 'abcdef')).toBeNull();
    expect(min('ab', 'ab')).toMatch(/minLength/);
  });
});

describe('minimum, maximum and their exclusive forms, checked as one', () => {
  const BOUNDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const;
  const breaks = {
    minimum: (v: number, b: number) => v < b,
    maximum: (v: number, b: number) => v > b,
    exclusiveMinimum: (v: number, b: number) => v <= b,
    exclusiveMaximum: (v: number, b: number) => v >= b,
  };

  it('name the first bound broken, in the order minimum, maximum, exclusiveMinimum, exclusiveMaximum, as each alone would', () => {
    const bound = fc.option(fc.integer({ min: -5, max: 5 }), { nil: undefined });
    fc.assert(
      fc.property(
        fc.tuple(bound, bound, bound, bound),
        fc.oneof(fc.integer({ min: -7, max: 7 }), fc.constant(Number.NaN)),
        (limits, value) => {
          const constraints = Object.fromEntries(
            BOUNDS.flatMap((name, index) => (limits[index] === undefined ? [] : [[name, limits[index]]])),
          );
          const check = compileField(
            readTableSchema({ fields: [{ name: 'f', type: 'number', constraints }] }).fields[0]!,
            [''],
            false,
            'f',
          ).checkConstraints;
          const broken = BOUNDS.find((name, index) => limits[index] !== undefined && breaks[name](value, limits[index]));
          return (
            (check?.(value, String(value)) ?? null) === (broken ? `constraint "${broken}" is "${limits[BOUNDS.indexOf(broken)]}"` : null)
          );
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('compare dates by the day they name, and leave values that are not numbers alone', () => {
    const field = readTableSchema({
      fields: [{ name: 'f', type: 'date', constraints: { minimum: '2020-01-01', exclusiveMaximum: '2021-01-01' } }],
    }).fields[0]!;
    const { cast, checkConstraints } = compileField(field, [''], false, 'f');
    expect(checkConstraints!(cast('2019-12-31'), '2019-12-31')).toBe('constraint "minimum" is "2020-01-01"');
    expect(checkConstraints!(cast('2020-01-01'), '2020-01-01')).toBeNull();
    expect(checkConstraints!(cast('2021-01-01'), '2021-01-01')).toBe('constraint "exclusiveMaximum" is "2021-01-01"');
    expect(checkConstraints!('text', 'text')).toBeNull();
  });
});

describe('booleans', () => {
  it('read the default spellings, refuse others, and take a value in both lists as true', () => {
    const plain = castOf({ type: 'boolean' });
    expect(['true', 'True', 'TRUE', '1', 'false', 'False', 'FALSE', '0', 'yes', '', 'tRUE'].map(plain)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      INVALID,
      INVALID,
      INVALID,
    ]);
    const both = castOf({ type: 'boolean', trueValues: ['y', 'x'], falseValues: ['n', 'x'] });
    expect(['y', 'n', 'x', 'true'].map(both)).toEqual([true, false, true, INVALID]);
  });
});
