/**
 * Calendar-month arithmetic in UTC, one way for every module: the same day of the month so many months later (or
 * earlier, with a negative count), clamped to the last day of a shorter month, so 31 January plus one month is
 * 28 (or 29) February, never 3 March.
 */
export function addMonths(instant: Date, months: number): Date {
  const result = new Date(instant.getTime());
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}

/** The same, for a YYYY-MM-DD date: the date so many calendar months later, clamped to the month's last day. */
export function addMonthsToDate(date: string, months: number): string {
  return addMonths(new Date(`${date}T00:00:00Z`), months)
    .toISOString()
    .slice(0, 10);
}
