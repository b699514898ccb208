/** The source of "now", passed in so tests can fix the date. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** The calendar date of an instant as YYYY-MM-DD (UTC). */
export function isoDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}
