import { describe, expect, it } from 'vitest';
import { idSchema, MAX_ID, parseId } from './ids.js';

describe('parseId', () => {
  it('accepts canonical positive integers below 2^31', () => {
    expect(parseId('1')).toBe(1);
    expect(parseId('42')).toBe(42);
    expect(parseId(String(MAX_ID))).toBe(MAX_ID);
    expect(parseId(7)).toBe(7);
  });

  it.each(['0', '-1', '+1', '01', '1.0', '1e3', '0x1F', ' 1', '1 ', '', '2147483648', '99999999999', '1\u0000', '١'])(
    'refuses %j',
    (value) => {
      expect(parseId(value)).toBeNull();
    },
  );

  it('refuses numbers that are not ids', () => {
    for (const value of [0, -3, 1.5, Number.NaN, Infinity, MAX_ID + 1]) expect(parseId(value)).toBeNull();
    expect(parseId(undefined)).toBeNull();
    expect(parseId(['1'])).toBeNull();
  });

  it('has a zod schema that agrees with it', () => {
    expect(idSchema.parse('12')).toBe(12);
    expect(idSchema.safeParse('1e3').success).toBe(false);
    expect(idSchema.safeParse('2147483648').success).toBe(false);
  });
});
