import { headerWords } from './column-roles.js';

/**
 * Ledger periods: some finance systems date a payment only by its accounting period within the financial year
 * (1 to 12, with 13 for the year-end adjustments) and the financial year itself. A UK council's financial year
 * starts in April, so period 1 is April and period 12 the next March; period 13 is dated March too.
 */

const LEDGER_PERIOD = /^(?:p(?:eriod|er|d)?\.?\s*)?0?([1-9]|1[0-3])$/i;
const SPAN_YEAR = /^(?:fy\s*)?(\d{4}|\d{2})\s*[/-]\s*(\d{4}|\d{2})$/i;
const PLAIN_YEAR = /^(?:fy\s*)?((?:19|20)\d\d)$/i;

/** A ledger period number written as 1, 01, P1 or "Period 1"; null when the cell is not one. */
export function ledgerPeriodNumber(text: string): number | null {
  const match = LEDGER_PERIOD.exec(text.trim());
  return match ? Number(match[1]) : null;
}

/**
 * The calendar year a financial year starts in, from "2022/23", "2022-2023", "22/23" or "FY2022/23"; a plain year
 * ("2023") only when the column's header says whether it is the year the financial year ends (or starts) in,
 * because either is written. Null when the cell is not a financial year.
 */
export function financialYearStart(text: string, header: string): number | null {
  const value = text.trim();
  const span = SPAN_YEAR.exec(value);
  if (span) {
    const first = fullYear(span[1] ?? '');
    const second = fullYear(span[2] ?? '');
    return second === first + 1 ? first : null;
  }
  const plain = PLAIN_YEAR.exec(value);
  if (!plain) return null;
  const words = headerWords(header);
  if (words.includes('ending') || words.includes('end') || words.includes('ended')) return Number(plain[1]) - 1;
  if (words.includes('starting') || words.includes('start') || words.includes('beginning')) return Number(plain[1]);
  return null;
}

function fullYear(text: string): number {
  return text.length === 2 ? 2000 + Number(text) : Number(text);
}

/** The first day of the month a ledger period stands for ('YYYY-MM-DD'), in the financial year starting in April of `startYear`. */
export function ledgerPeriodMonth(period: number, startYear: number): string {
  const month = period <= 9 ? period + 3 : period <= 12 ? period - 9 : 3;
  const year = period <= 9 ? startYear : startYear + 1;
  return `${year}-${month < 10 ? '0' : ''}${month}-01`;
}
