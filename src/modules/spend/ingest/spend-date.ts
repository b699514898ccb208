import type { ParseResult } from './spend-types.js';

export interface SpendDate {
  /** YYYY-MM-DD; the first of the month for month precision, the first of its first month for a period. */
  date: string;
  /** 'period' for a span of months written in the cell ("July 2010 - September 2010"). */
  precision: 'day' | 'month' | 'period';
}

// Spend publishing began in 2010; anything outside this window is a data error, not a date.
const MIN_YEAR = 1990;
const MAX_YEAR = 2099;

// Excel serials for 1990-01-01 and 2099-12-31 (1900 date system, epoch 1899-12-30).
const MIN_SERIAL = 32874;
const MAX_SERIAL = 73415;
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};

const TIME_SUFFIX = /^(.*?)(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?[AaPp][Mm])?(?:Z|[+-]\d{2}(?::?\d{2})?)?)$/;
const TIME_ONLY = /^\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;
const ISO_DAY = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
const UK_DAY = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{2}|\d{4})$/;
const NAMED_MONTH_DAY = /^(\d{1,2})(?:st|nd|rd|th)?[ \-/]*([A-Za-z]{3,9})\.?[ \-/,]*(\d{2}|\d{4})$/;
const NAMED_MONTH = /^([A-Za-z]{3,9})\.?[ \-/,]*(\d{2}|\d{4})$/;
const ISO_MONTH = /^(\d{4})-(\d{1,2})$/;
const UK_MONTH = /^(\d{1,2})\/(\d{4})$/;
const EXCEL_SERIAL = /^(\d{5})(?:\.\d+)?$/;
const MONTH_RANGE = /^([A-Za-z]{3,9})\.?[ \-/,]*(\d{2}|\d{4})\s*(?:-|\u2013|\u2014|to)\s*([A-Za-z]{3,9})\.?[ \-/,]*(\d{2}|\d{4})$/i;

/**
 * Parses a UK spend date (day first) into ISO form, never throwing.
 *
 * Accepts 03/09/2014, 03/09/14, 3.9.2014 (month first, 09/03/2014, when
 * `monthFirst` says the column is written so), 26-May-11, 26 May 2011,
 * 2019-05-01, 2019-05-01 00:00:00, Excel serials (41730), month-only values
 * (May 2011, 2011-05) with precision 'month', and spans of months (July
 * 2010-September 2010) with precision 'period'. Two-digit years are 20yy. Impossible dates
 * (2014-13-01, 31/02/2014) and time-only cells (00:00:00) are rejected, never
 * swapped or guessed.
 */
export function parseSpendDate(text: string, monthFirst = false): ParseResult<SpendDate> {
  if (typeof text !== 'string') return { ok: false, reason: 'date is not text' };
  let s = text.trim();
  if (s === '') return { ok: false, reason: 'date is empty' };
  const fast = parseCommonDate(s, monthFirst);
  if (fast !== null) return fast;
  if (TIME_ONLY.test(s)) return { ok: false, reason: `date '${text}' has a time but no date` };
  const withoutTime = TIME_SUFFIX.exec(s);
  if (withoutTime?.[1]) s = withoutTime[1].trim();

  let match = UK_DAY.exec(s);
  if (match)
    return monthFirst
      ? dayDate(text, match[4] ?? '', match[1] ?? '', match[3] ?? '')
      : dayDate(text, match[4] ?? '', match[3] ?? '', match[1] ?? '');
  match = ISO_DAY.exec(s);
  if (match) return dayDate(text, match[1] ?? '', match[2] ?? '', match[3] ?? '');
  match = NAMED_MONTH_DAY.exec(s);
  if (match) {
    const month = MONTHS[(match[2] ?? '').toLowerCase()];
    if (month === undefined) return { ok: false, reason: `date '${text}' has an unknown month name` };
    return dayDate(text, match[3] ?? '', String(month), match[1] ?? '');
  }
  match = EXCEL_SERIAL.exec(s);
  if (match) return excelDate(text, Number(match[1]));
  match = NAMED_MONTH.exec(s);
  if (match) {
    const month = MONTHS[(match[1] ?? '').toLowerCase()];
    if (month === undefined) return { ok: false, reason: `date '${text}' has an unknown month name` };
    return monthDate(text, match[2] ?? '', month);
  }
  match = ISO_MONTH.exec(s);
  if (match) return monthDate(text, match[1] ?? '', Number(match[2]));
  match = MONTH_RANGE.exec(s);
  if (match) return monthRange(text, match);
  match = UK_MONTH.exec(s);
  if (match) return monthDate(text, match[2] ?? '', Number(match[1]));
  return { ok: false, reason: `date '${text}' is not a recognised date` };
}

function fullYear(yearText: string): number {
  const year = Number(yearText);
  return yearText.length === 2 ? 2000 + year : year;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

function dayDate(text: string, yearText: string, monthText: string, dayText: string): ParseResult<SpendDate> {
  const year = fullYear(yearText);
  const month = Number(monthText);
  const day = Number(dayText);
  if (year < MIN_YEAR || year > MAX_YEAR) return { ok: false, reason: `date '${text}' has an implausible year` };
  if (month < 1 || month > 12) return { ok: false, reason: `date '${text}' has month ${month}, which does not exist` };
  if (day < 1 || day > daysInMonth(year, month))
    return { ok: false, reason: `date '${text}' has day ${day}, which does not exist in that month` };
  return { ok: true, value: { date: isoDate(year, month, day), precision: 'day' } };
}

function monthDate(text: string, yearText: string, month: number): ParseResult<SpendDate> {
  const year = fullYear(yearText);
  if (year < MIN_YEAR || year > MAX_YEAR) return { ok: false, reason: `date '${text}' has an implausible year` };
  if (month < 1 || month > 12) return { ok: false, reason: `date '${text}' has month ${month}, which does not exist` };
  return { ok: true, value: { date: isoDate(year, month, 1), precision: 'month' } };
}

/** A span of months in one cell, such as a quarter: dated by its first month, with precision 'period'. */
function monthRange(text: string, match: RegExpExecArray): ParseResult<SpendDate> {
  const first = MONTHS[(match[1] ?? '').toLowerCase()];
  const last = MONTHS[(match[3] ?? '').toLowerCase()];
  if (first === undefined || last === undefined) return { ok: false, reason: `date '${text}' has an unknown month name` };
  const from = monthDate(text, match[2] ?? '', first);
  const to = monthDate(text, match[4] ?? '', last);
  if (!from.ok) return from;
  if (!to.ok) return to;
  if (to.value.date < from.value.date) return { ok: false, reason: `date '${text}' ends before it starts` };
  return { ok: true, value: { date: from.value.date, precision: 'period' } };
}

function excelDate(text: string, serial: number): ParseResult<SpendDate> {
  if (serial < MIN_SERIAL || serial > MAX_SERIAL)
    return { ok: false, reason: `date '${text}' is a number outside the range of spreadsheet dates` };
  const date = new Date(EXCEL_EPOCH_MS + serial * DAY_MS);
  return { ok: true, value: { date: isoDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()), precision: 'day' } };
}

function digitsAt(s: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const code = s.charCodeAt(i) - 48;
    if (code < 0 || code > 9) return -1;
    value = value * 10 + code;
  }
  return value;
}

// The two forms most files use, read without regular expressions (this runs once per row).
function parseCommonDate(s: string, monthFirst: boolean): ParseResult<SpendDate> | null {
  if (s.length === 10 && s.charCodeAt(2) === 47 && s.charCodeAt(5) === 47) {
    const day = digitsAt(s, monthFirst ? 3 : 0, 2);
    const month = digitsAt(s, monthFirst ? 0 : 3, 2);
    const year = digitsAt(s, 6, 4);
    if (day < 0 || month < 0 || year < 0) return null;
    return dayDate(s, String(year), String(month), String(day));
  }
  if ((s.length === 10 || (s.length === 19 && s.endsWith(' 00:00:00'))) && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45) {
    const year = digitsAt(s, 0, 4);
    const month = digitsAt(s, 5, 2);
    const day = digitsAt(s, 8, 2);
    if (day < 0 || month < 0 || year < 0) return null;
    return dayDate(s, String(year), String(month), String(day));
  }
  return null;
}

const NUMERIC_DAY = /^(\d{1,2})[-/.](\d{1,2})[-/.](?:\d{2}|\d{4})(?:$|[ T])/;

/**
 * Whether a column's dates are written month first (4/13/2024, as US-set software exports them): a value that can
 * only be read that way (its second number is over 12), returned as the evidence, when none can only be read day
 * first. Otherwise null: day first, the UK's way.
 */
export function monthFirstEvidence(values: readonly string[]): string | null {
  let evidence: string | null = null;
  for (const value of values) {
    const match = NUMERIC_DAY.exec(value.trim());
    if (!match) continue;
    if (Number(match[1]) > 12) return null;
    if (Number(match[2]) > 12) evidence ??= value.trim();
  }
  return evidence;
}
