import type { PointInsert, PointRow } from './standards.repository.js';
import type { Outcome, Rating } from './standards.tables.js';
import type { AdoptionFigures, Point, PointInput } from './standards.types.js';

export const URL_PATTERN = /^https?:\/\/[^\s]+$/;
export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** "met" when every point is met or not applicable, otherwise "not-met". */
export function outcomeOfRatings(ratings: readonly (Rating | null)[]): Outcome {
  return ratings.length > 0 && ratings.every((rating) => rating === 'met' || rating === 'not-applicable') ? 'met' : 'not-met';
}

/** The date a number of months before another (YYYY-MM-DD), clamped to the month's last day. */
export function monthsBefore(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const total = year * 12 + (month - 1) - months;
  const targetYear = Math.floor(total / 12);
  const targetMonth = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate();
  return `${String(targetYear).padStart(4, '0')}-${String(targetMonth).padStart(2, '0')}-${String(Math.min(day, lastDay)).padStart(2, '0')}`;
}

/** The last `count` calendar quarters up to a date: each labelled, measured at its end (or the date, for the current one). */
export function quartersUpTo(onDate: string, count: number): { quarter: string; onDate: string }[] {
  const [year, month] = onDate.split('-').map(Number) as [number, number];
  const quarters: { quarter: string; onDate: string }[] = [];
  let index = year * 4 + Math.floor((month - 1) / 3);
  for (let step = 0; step < count; step += 1, index -= 1) {
    const quarterYear = Math.floor(index / 4);
    const quarterNumber = (index % 4) + 1;
    const endMonth = quarterNumber * 3;
    const end = `${quarterYear}-${String(endMonth).padStart(2, '0')}-${String(new Date(Date.UTC(quarterYear, endMonth, 0)).getUTCDate()).padStart(2, '0')}`;
    quarters.unshift({ quarter: `${quarterYear} Q${quarterNumber}`, onDate: end < onDate ? end : onDate });
  }
  return quarters;
}

export function presentPoint(row: PointRow): Point {
  return {
    number: row.point_number,
    title: row.title,
    meaning: row.meaning,
    whyItMatters: row.why_it_matters,
    howToMeet: row.how_to_meet,
    evidenceGuidance: row.evidence_guidance,
  };
}

export function pointValues(number: number, input: PointInput): PointInsert {
  return {
    point_number: number,
    title: input.title,
    meaning: input.meaning,
    why_it_matters: input.whyItMatters,
    how_to_meet: input.howToMeet,
    evidence_guidance: input.evidenceGuidance,
  };
}

export function figures(councils: number, meeting: number): AdoptionFigures {
  return { councils, meeting, percentage: councils === 0 ? 0 : Math.round((meeting / councils) * 1000) / 10 };
}

export function splitLines(text: string): string[] {
  return text
    .split(/[\r\n,]+/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}
