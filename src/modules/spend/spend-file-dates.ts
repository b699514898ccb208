import { sql } from 'kysely';
import { formatLongDate, formatMonth, formatMonthRange } from '../../platform/views/views.js';
import type { SpendFileSummary } from './spend.service.js';

/**
 * SQL over spend_files: the first day a file covers, its first payment or the first day of the period it was published
 * for, whichever is earlier. A file without dates has every payment on that first day, so its payment dates alone
 * would say "1 April to 1 April" for a file published for April to June.
 */
export const fileCoversFromSql = sql<string>`least(date_from, to_date(period_from, 'YYYY-MM'))`;

/** SQL over spend_files: the last day a file covers, its last payment or the last day of its period, whichever is later. */
export const fileCoversToSql = sql<string>`greatest(date_to, (to_date(coalesce(period_to, period_from), 'YYYY-MM') + interval '1 month' - interval '1 day')::date)`;

/** How a file's dates read on its page: the period it was published for, and its payment dates in words. */
export interface FileDates {
  /** "April to June 2014", or null when the file was imported without a period. */
  publishedFor: string | null;
  /** Its payments' dates, saying so when the file gave none. */
  dates: string;
}

/** Describes a file's dates for people: a file without dates says so and names the month its payments count in. */
export function describeFileDates(
  file: Pick<SpendFileSummary, 'periodFrom' | 'periodTo' | 'dateFrom' | 'dateTo' | 'rowsImported' | 'rowsWithoutDates'>,
): FileDates {
  const publishedFor = file.periodFrom ? formatMonthRange(file.periodFrom, file.periodTo ?? file.periodFrom) : null;
  const range = file.dateFrom ? `${formatLongDate(file.dateFrom)} to ${formatLongDate(file.dateTo)}` : 'None';
  if (file.rowsWithoutDates === 0 || !file.periodFrom) return { publishedFor, dates: range };
  const month = formatMonth(file.periodFrom);
  if (file.rowsWithoutDates >= file.rowsImported)
    return {
      publishedFor,
      dates: `None: the file gives no payment dates, so each payment is counted in ${month}, the first month of the period it was published for`,
    };
  const count = file.rowsWithoutDates.toLocaleString('en-GB');
  return {
    publishedFor,
    dates: `${range}; ${count} ${file.rowsWithoutDates === 1 ? 'payment has' : 'payments have'} no date in the file and ${file.rowsWithoutDates === 1 ? 'is' : 'are'} counted in ${month}`,
  };
}
