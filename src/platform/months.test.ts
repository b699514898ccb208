import { describe, expect, it } from 'vitest';
import { addMonths, addMonthsToDate } from './months.js';

describe('month arithmetic', () => {
  it('keeps the day of the month and the time of day', () => {
    expect(addMonths(new Date('2025-03-15T10:30:00Z'), 2).toISOString()).toBe('2025-05-15T10:30:00.000Z');
    expect(addMonths(new Date('2025-03-15T10:30:00Z'), -3).toISOString()).toBe('2024-12-15T10:30:00.000Z');
  });

  it('clamps to the last day of a shorter month, leap years included', () => {
    expect(addMonthsToDate('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonthsToDate('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonthsToDate('2025-08-31', -2)).toBe('2025-06-30');
    expect(addMonthsToDate('2025-10-31', 18)).toBe('2027-04-30');
  });
});
