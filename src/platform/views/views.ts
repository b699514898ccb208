import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { safeExternalUrl } from '../http/safe-links.js';

const require = createRequire(import.meta.url);

/** The folder holding govuk-frontend's built files (dist/), whose `govuk/` holds macros, CSS, JS and assets. */
export const govukFrontendDistFolder = path.resolve(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist');

/** Templates stay in src/ (they are not compiled), found from here whether this file runs from src/ or dist/. */
export const platformTemplatesFolder = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'src',
  'platform',
  'views',
  'templates',
);

/** Configures Nunjucks over the platform layout, the modules' views and govuk-frontend's macros. */
export function createViewEnvironment(options: { moduleFolders: readonly string[]; watch?: boolean }): nunjucks.Environment {
  const loader = new nunjucks.FileSystemLoader([platformTemplatesFolder, ...options.moduleFolders, govukFrontendDistFolder], {
    watch: options.watch ?? false,
    noCache: false,
  });
  const environment = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true });
  environment.addFilter('number', (value: unknown) =>
    typeof value === 'number' ? value.toLocaleString('en-GB') : typeof value === 'string' ? value : '',
  );
  // The href for a link to another site, or null (show the value as text): only http(s) addresses become links.
  environment.addFilter('externalHref', (value: unknown) => safeExternalUrl(value));
  environment.addFilter('longDate', (value: unknown) => formatLongDate(value));
  environment.addFilter('longMonth', (value: unknown) => formatLongMonth(value));
  environment.addFilter('pounds', (pence: unknown) =>
    typeof pence === 'number' ? (pence / 100).toLocaleString('en-GB', { style: 'currency', currency: 'GBP' }) : '',
  );
  environment.addFilter('percentage', (value: unknown, digits = 0) =>
    typeof value === 'number' ? `${(value * 100).toFixed(Number(digits))}%` : '',
  );
  return environment;
}

/** "1 April 2023" from a YYYY-MM-DD string or a Date, as GOV.UK style asks. */
export function formatLongDate(value: unknown): string {
  if (!(value instanceof Date) && typeof value !== 'string') return '';
  const date = value instanceof Date ? value : new Date(`${value.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return typeof value === 'string' ? value : '';
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** "April 2014" from a YYYY-MM (or YYYY-MM-DD) string or a Date; anything else as it was. */
export function formatLongMonth(value: unknown): string {
  if (!(value instanceof Date) && typeof value !== 'string') return '';
  const date = value instanceof Date ? value : /^\d{4}-\d{2}/.test(value) ? new Date(`${value.slice(0, 7)}-01T00:00:00Z`) : null;
  if (date === null || Number.isNaN(date.getTime())) return typeof value === 'string' ? value : '';
  return date.toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/**
 * Folds the indentation and blank lines that templates and macros leave between tags into one newline, which
 * renders the same; text in <pre> and <textarea>, where white space is content, is left as it is.
 */
export function collapseWhitespace(html: string): string {
  return html
    .split(/(<(?:pre|textarea)\b[\s\S]*?<\/(?:pre|textarea)>)/i)
    .map((part, index) => (index % 2 === 1 ? part : part.replace(/[ \t]*\n\s*/g, '\n')))
    .join('');
}
