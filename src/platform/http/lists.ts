import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { attachmentDisposition } from './content-disposition.js';

/** Query parameters every list takes. */
export const pageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1).describe('Page number, from 1'),
  pageSize: z.coerce.number().int().min(1).max(1000).default(50).describe('Items per page, up to 1000'),
  format: z.enum(['json', 'csv']).optional().describe('Answer as CSV or JSON (default JSON; also `Accept: text/csv`)'),
});

export interface CsvColumn<Item> {
  header: string;
  value: (item: Item) => string | number | boolean | null | undefined | readonly string[];
}

/** True when a list should be answered as CSV: `format=csv` or an Accept header that prefers text/csv. */
export function wantsCsv(request: FastifyRequest, format: string | undefined): boolean {
  if (format) return format === 'csv';
  const accept = request.headers.accept ?? '';
  return /\btext\/csv\b/.test(accept) && !/\bapplication\/json\b/.test(accept.split('text/csv')[0] ?? '');
}

/** Serialises rows as RFC 4180 CSV, guarding against spreadsheet formula injection. */
export function toCsv<Item>(columns: readonly CsvColumn<Item>[], items: readonly Item[]): string {
  const lines = [columns.map((column) => csvCell(column.header)).join(',')];
  for (const item of items) lines.push(columns.map((column) => csvCell(column.value(item))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function csvCell(value: string | number | boolean | null | undefined | readonly string[]): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = typeof value === 'string' ? value : value.join('; ');
  // A cell that starts like a formula would run in a spreadsheet: prefix it so it stays text.
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Sends a list as CSV download. */
export function sendCsv<Item>(
  reply: FastifyReply,
  fileName: string,
  columns: readonly CsvColumn<Item>[],
  items: readonly Item[],
): FastifyReply {
  return reply
    .header('Content-Type', 'text/csv; charset=utf-8')
    .header('Content-Disposition', attachmentDisposition(fileName))
    .send(toCsv(columns, items));
}

export interface PaginationView {
  previous?: { href: string };
  next?: { href: string };
  items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[];
  /** Set when the page asked for is past the last one: the list has items, none on this page. */
  pastTheEnd?: { page: number; lastPage: number; href: string };
}

/** The govukPagination parameters for a list page, keeping the other query parameters. */
export function buildPagination(
  basePath: string,
  query: Record<string, string | number | undefined>,
  page: number,
  pageSize: number,
  total: number,
): PaginationView | undefined {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const href = (number: number) => `${basePath}?${queryString({ ...query, page: number })}`;
  // A page past the end links back to the last page that has something on it, whatever the list's length.
  if (page > pages && total > 0)
    return { previous: { href: href(pages) }, items: [], pastTheEnd: { page, lastPage: pages, href: href(pages) } };
  if (pages <= 1) return undefined;
  const numbers = [...new Set([1, page - 1, page, page + 1, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  const items: PaginationView['items'] = [];
  numbers.forEach((number, index) => {
    const previous = numbers[index - 1];
    if (previous !== undefined && number - previous > 1) items.push({ ellipsis: true });
    items.push({ number, href: href(number), current: number === page });
  });
  return {
    ...(page > 1 ? { previous: { href: href(page - 1) } } : {}),
    ...(page < pages ? { next: { href: href(page + 1) } } : {}),
    items,
  };
}

/** A query string from the parameters that have a value. */
export function queryString(query: Record<string, string | number | boolean | undefined>): string {
  const parameters = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') parameters.set(key, String(value));
  }
  return parameters.toString();
}
