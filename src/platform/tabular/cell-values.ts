/** Turning spreadsheet cell values into the text a CSV of the same table would hold. */

const DAY_MS = 86_400_000;
const EPOCH_1900_MS = Date.UTC(1899, 11, 30);
const EPOCH_1904_MS = Date.UTC(1904, 0, 1);

/** A number as plain decimal text (never an exponent), as a spreadsheet shows it in General format. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '';
  const text = String(value);
  if (!text.includes('e')) return text;
  if (Math.abs(value) < 1e-9) return '0';
  return value.toFixed(Math.abs(value) >= 1 ? 2 : 10).replace(/\.?0+$/, '');
}

/** A spreadsheet date serial as YYYY-MM-DD (with HH:MM:SS for a time alone), in the 1900 or 1904 date system. */
export function formatSerialDate(serial: number, date1904: boolean): string {
  if (!Number.isFinite(serial)) return '';
  if (serial >= 0 && serial < 1) {
    const seconds = Math.round(serial * 86_400);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${pad(Math.floor(seconds / 3600) % 24)}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
  }
  // Rounded to the minute first, so 45017.99999999 (float noise for midnight) is the next day, as Excel shows it.
  const ms = Math.round((serial * DAY_MS) / 60_000) * 60_000;
  const date = new Date((date1904 ? EPOCH_1904_MS : EPOCH_1900_MS) + ms);
  if (Number.isNaN(date.getTime())) return formatNumber(serial);
  return date.toISOString().slice(0, 10);
}

// Excel's built-in number formats that show dates or times (ECMA-376 Part 1, 18.8.30).
const BUILT_IN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58,
]);

/** True when a number format (built-in id, or its format code) shows a date or a time. */
export function isDateFormat(id: number, code: string | undefined): boolean {
  if (code === undefined) return BUILT_IN_DATE_FORMATS.has(id);
  // Quoted literals, escaped characters and [..] sections (colours, locales, elapsed time) say nothing of dates.
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/_.|\*./g, '');
  return /[dmyhs]/i.test(bare) && !/^general$/i.test(bare.trim());
}
