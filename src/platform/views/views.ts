import { createRequire } from 'node:module';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { bundled, codeRoot, projectRoot } from '../code-locations.js';
import { safeExternalUrl } from '../http/safe-links.js';
import { readableName } from './readable-name.js';

const require = createRequire(import.meta.url);

/** The folder holding govuk-frontend's built files (dist/), whose `govuk/` holds macros, CSS, JS and assets. */
export const govukFrontendDistFolder = path.resolve(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist');

/** Templates stay in src/ (they are not compiled), whichever way the code runs. */
export const platformTemplatesFolder = path.join(projectRoot, 'src', 'platform', 'views', 'templates');

/** A template as Nunjucks compiles it: a function returning its root and block functions. */
export type CompiledTemplates = Record<string, () => object>;

/**
 * Serves templates compiled when the bundle was built (scripts/bundle.mjs), named from `/` so that the relative
 * includes of govuk-frontend's macros resolve among them. A name it does not hold goes to the next loader.
 */
export function precompiledLoader(compiled: CompiledTemplates): nunjucks.ILoader {
  return {
    getSource(name: string) {
      const key = name.startsWith('/') ? name.slice(1) : name;
      const make = Object.hasOwn(compiled, key) ? compiled[key] : undefined;
      // Nunjucks takes { type: 'code', obj } as a compiled template, though its types say a source is a string.
      return make ? { src: { type: 'code', obj: make() } as unknown as string, path: `/${key}`, noCache: false } : null;
    },
    isRelative: (fileName: string) => fileName.startsWith('./') || fileName.startsWith('../'),
    resolve: (from: string, to: string) => path.posix.resolve(path.posix.dirname(from), to),
  } as nunjucks.ILoader;
}

/** The bundle's compiled templates (templates.cjs beside it), or null when the code does not run from the bundle. */
function bundledTemplates(): CompiledTemplates | null {
  return bundled ? (require(path.join(codeRoot, 'templates.cjs')) as CompiledTemplates) : null;
}

/** Configures Nunjucks over the platform layout, the modules' views and govuk-frontend's macros. */
export function createViewEnvironment(options: {
  moduleFolders: readonly string[];
  watch?: boolean;
  compiled?: CompiledTemplates | null;
}): nunjucks.Environment {
  const files = new nunjucks.FileSystemLoader([platformTemplatesFolder, ...options.moduleFolders, govukFrontendDistFolder], {
    watch: options.watch ?? false,
    noCache: false,
  });
  const compiled = options.compiled === undefined ? bundledTemplates() : options.compiled;
  const loaders = compiled ? [precompiledLoader(compiled), files] : [files];
  // The lexer options (trimBlocks, lstripBlocks) are also those scripts/bundle.mjs compiles the bundle's templates with.
  const environment = new nunjucks.Environment(loaders, {
    autoescape: true,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true,
  });
  environment.addFilter('number', (value: unknown) =>
    typeof value === 'number' ? value.toLocaleString('en-GB') : typeof value === 'string' ? value : '',
  );
  // The href for a link to another site, or null (show the value as text): only http(s) addresses become links.
  environment.addFilter('externalHref', (value: unknown) => safeExternalUrl(value));
  environment.addFilter('longDate', (value: unknown) => formatLongDate(value));
  environment.addFilter('month', (value: unknown) => formatMonth(value));
  environment.addFilter('monthRange', (from: unknown, to: unknown) => formatMonthRange(from, to));
  environment.addFilter('readableName', (value: unknown) => (typeof value === 'string' ? readableName(value) : ''));
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

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])(?:-\d{2})?$/;

/**
 * "April 2014" from a month ("2014-04"), a date in it ("2014-04-17") or a Date, as GOV.UK style writes months; anything
 * else is given back as it is (so a label such as "Unknown" stays).
 */
export function formatMonth(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : formatMonth(value.toISOString().slice(0, 10));
  if (typeof value !== 'string') return '';
  const match = MONTH.exec(value.trim());
  if (!match) return value;
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)).toLocaleDateString('en-GB', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** "April 2014", "April to June 2014" or "December 2014 to February 2015", from two months ("2014-04"). */
export function formatMonthRange(from: unknown, to: unknown): string {
  const first = formatMonth(from);
  const last = formatMonth(to ?? from);
  if (first === last || last === '') return first;
  const [firstMonth, firstYear] = first.split(' ');
  const [, lastYear] = last.split(' ');
  return firstYear !== undefined && firstYear === lastYear ? `${firstMonth} to ${last}` : `${first} to ${last}`;
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
