/**
 * Dates, times and date-times of a Table Schema field as comparable numbers (milliseconds since 1970 in UTC; seconds
 * of the day for times): the default ISO forms by character codes, "any" with the UK's spellings, and patterns.
 */
import { type Cast, INVALID, isDigit } from './cast-value.js';
import { compileDatePattern, type DateParts } from './date-pattern.js';
import { SchemaError } from './table-schema.js';

export const DAY_MS = 86_400_000;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The start of each month of the years 0–9999 as a UTC time, filled as months are first seen (NaN: not yet). */
let monthStarts: Float64Array | null = null;

/** The UTC time at the start of a day of the years 0–9999: the month's start, worked out once and kept, plus whole days. */
function dayStartMs(year: number, month: number, day: number): number {
  monthStarts ??= new Float64Array(10_000 * 12).fill(Number.NaN);
  const slot = year * 12 + month - 1;
  let start = monthStarts[slot] as number;
  if (Number.isNaN(start)) {
    // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, 1);
    start = date.getTime();
    monthStarts[slot] = start;
  }
  return start + (day - 1) * DAY_MS;
}

function partsToMs(parts: DateParts): number | typeof INVALID {
  const { year, month, day, hour, minute, second, offsetMinutes } = parts;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return INVALID;
  if (hour > 24 || minute > 59 || second >= 61 || (hour === 24 && (minute > 0 || second > 0))) return INVALID;
  return Date.UTC(year, month - 1, day, hour, minute, 0) + second * 1000 - offsetMinutes * 60_000;
}

/** The number written by `length` digits from `from`, or -1; by character codes, so nothing is allocated. */
function digitsAt(cell: string, from: number, length: number): number {
  let value = 0;
  for (let index = from; index < from + length; index++) {
    const code = cell.charCodeAt(index);
    if (!isDigit(code)) return -1;
    value = value * 10 + code - 48;
  }
  return value;
}

/** The number written by two digits at `from`, or -1. */
function twoDigitsAt(cell: string, from: number): number {
  const tens = cell.charCodeAt(from) - 48;
  const units = cell.charCodeAt(from + 1) - 48;
  return tens >= 0 && tens <= 9 && units >= 0 && units <= 9 ? tens * 10 + units : -1;
}

/** YYYY-MM-DD, checked by character codes: the common case, kept fast. */
function castIsoDate(cell: string): number | typeof INVALID {
  return cell.length === 10 ? isoDateAt(cell) : INVALID;
}

/** The YYYY-MM-DD at the start of the text, as a UTC time. */
function isoDateAt(cell: string): number | typeof INVALID {
  if (cell.charCodeAt(4) !== 45 || cell.charCodeAt(7) !== 45) return INVALID;
  const year = digitsAt(cell, 0, 4);
  const month = twoDigitsAt(cell, 5);
  const day = twoDigitsAt(cell, 8);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return INVALID;
  return dayStartMs(year, month, day);
}

const ISO_TIME = /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?$/;
const ISO_DATETIME = /^(-?\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;

function castIsoDateTime(cell: string): number | typeof INVALID {
  // Fast path: YYYY-MM-DDThh:mm:ssZ, the form the specification gives as the default.
  if (
    cell.length === 20 &&
    cell.charCodeAt(19) === 90 &&
    (cell.charCodeAt(10) === 84 || cell.charCodeAt(10) === 32) &&
    cell.charCodeAt(13) === 58 &&
    cell.charCodeAt(16) === 58
  ) {
    const date = isoDateAt(cell);
    const hour = twoDigitsAt(cell, 11);
    const minute = twoDigitsAt(cell, 14);
    const second = twoDigitsAt(cell, 17);
    if (date === INVALID || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return INVALID;
    return date + (hour * 3600 + minute * 60 + second) * 1000;
  }
  const match = ISO_DATETIME.exec(cell);
  if (!match) return INVALID;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  let offsetMinutes = 0;
  if (zone && zone !== 'Z') {
    const digits = zone.replace(':', '');
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  return partsToMs({
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s) + (fraction ? Number(fraction) : 0),
    offsetMinutes,
  });
}

function castIsoTime(cell: string): number | typeof INVALID {
  const match = ISO_TIME.exec(cell);
  if (!match) return INVALID;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  const second = Number(match[3]) + (match[4] ? Number(match[4]) : 0);
  if (hour > 23 || minute > 59 || second >= 61) return INVALID;
  return hour * 3600 + minute * 60 + second;
}

/** The formats "any" tries for dates: ISO first, then the UK's day-first spellings. */
const ANY_DATE_PATTERNS = ['%Y-%m-%d', '%d/%m/%Y', '%d-%m-%Y', '%d.%m.%Y', '%d %b %Y', '%d %B %Y', '%Y/%m/%d', '%d/%m/%y'].map((pattern) =>
  compileDatePattern(pattern),
);

export function temporalCast(type: 'date' | 'time' | 'datetime', format: string, location: string): Cast {
  const legacy = format.startsWith('fmt:') ? format.slice(4) : format;
  if (legacy === 'default') return type === 'date' ? castIsoDate : type === 'time' ? castIsoTime : castIsoDateTime;
  if (legacy === 'any') {
    return (cell) => {
      const iso = type === 'date' ? castIsoDate(cell) : type === 'time' ? castIsoTime(cell) : castIsoDateTime(cell);
      if (iso !== INVALID || type !== 'date') return iso;
      for (const parse of ANY_DATE_PATTERNS) {
        const parts = parse(cell.trim());
        if (parts) return partsToMs(parts);
      }
      return INVALID;
    };
  }
  let parse: ReturnType<typeof compileDatePattern>;
  try {
    parse = compileDatePattern(legacy);
  } catch (error) {
    throw new SchemaError(location, (error as Error).message);
  }
  return (cell) => {
    const parts = parse(cell);
    if (!parts) return INVALID;
    if (type === 'time')
      return partsToMs({ ...parts, year: 1970, month: 1, day: 1 }) === INVALID
        ? INVALID
        : parts.hour * 3600 + parts.minute * 60 + parts.second;
    return partsToMs(parts);
  };
}
