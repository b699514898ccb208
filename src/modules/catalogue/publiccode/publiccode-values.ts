import { createRequire } from 'node:module';
import { iso3166Alpha2Codes } from './publiccode-vocabularies.js';

/** Checks for the value formats publiccode.yml names: URLs, dates, e-mail addresses, SPDX expressions, media types, language tags. */

const require = createRequire(import.meta.url);
const spdxIdentifiers = indexByLowerCase([
  ...(require('spdx-license-ids') as string[]),
  ...(require('spdx-license-ids/deprecated.json') as string[]),
]);
const spdxExceptions = indexByLowerCase([
  ...(require('spdx-exceptions') as string[]),
  ...(require('spdx-exceptions/deprecated.json') as string[]),
]);

function indexByLowerCase(values: string[]): ReadonlySet<string> {
  return new Set(values.map((value) => value.toLowerCase()));
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Length in characters as people see them (extended grapheme clusters), as the standard's limits are meant. */
export function graphemeLength(text: string): number {
  // Below U+0300 every character stands alone except CR LF, which is one cluster: no need for the (slow) segmenter.
  // eslint-disable-next-line no-control-regex -- the range starts at U+0000 on purpose: every character below U+0300
  if (/^[\u0000-\u02ff]*$/.test(text)) return text.length - (text.match(/\r\n/g)?.length ?? 0);
  let count = 0;
  for (const _ of segmenter.segment(text)) count += 1;
  return count;
}

/** An absolute URL with a scheme and a host, such as a code repository's address (git, svn, https...). */
export function isUrl(text: string): boolean {
  const url = parseUrl(text);
  return url !== null && /^[a-z][a-z0-9+.-]*:$/i.test(url.protocol) && url.host !== '';
}

/** An absolute http:// or https:// URL with a host. */
export function isHttpUrl(text: string): boolean {
  const url = parseUrl(text);
  return url !== null && (url.protocol === 'http:' || url.protocol === 'https:') && url.host !== '' && !/\s/.test(text);
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text.trim() === text ? text : '');
  } catch {
    return null;
  }
}

/** A calendar date written exactly YYYY-MM-DD (the only ISO 8601 form the standard allows). */
export function isIsoDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

// The HTML standard's "valid e-mail address": what browsers accept in an e-mail field.
const emailPattern =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

export function isEmail(text: string): boolean {
  return emailPattern.test(text);
}

// RFC 6838 section 4.2: type and subtype names start with a letter or digit, then up to 126 of the allowed characters.
const mediaTypePattern = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;

export function isMediaType(text: string): boolean {
  return mediaTypePattern.test(text.trim());
}

/**
 * An SPDX licence expression (SPDX specification, annex D): licence identifiers from the SPDX list (any case),
 * `LicenseRef-`/`DocumentRef-` references, an optional `+`, `WITH` an exception, joined by `AND`/`OR` with parentheses.
 */
export function isSpdxExpression(text: string): boolean {
  const tokens = text.match(/\(|\)|[^\s()]+/g);
  if (tokens === null) return false;
  let index = 0;
  const peek = (): string | undefined => tokens[index];
  const licence = (): boolean => {
    const token = peek();
    if (token === '(') {
      index += 1;
      if (!expression() || peek() !== ')') return false;
      index += 1;
      return true;
    }
    if (token === undefined || !isLicenceReference(token)) return false;
    index += 1;
    if (peek()?.toUpperCase() === 'WITH') {
      index += 1;
      const exception = peek();
      if (exception === undefined || !spdxExceptions.has(exception.toLowerCase())) return false;
      index += 1;
    }
    return true;
  };
  const expression = (): boolean => {
    if (!licence()) return false;
    while (peek()?.toUpperCase() === 'AND' || peek()?.toUpperCase() === 'OR') {
      index += 1;
      if (!licence()) return false;
    }
    return true;
  };
  return expression() && index === tokens.length;
}

function isLicenceReference(token: string): boolean {
  if (/^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/.test(token)) return true;
  const identifier = token.endsWith('+') ? token.slice(0, -1) : token;
  return spdxIdentifiers.has(identifier.toLowerCase());
}

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
const scriptNames = new Intl.DisplayNames(['en'], { type: 'script', fallback: 'none' });

/**
 * A BCP 47 language tag whose subtags exist: well formed (RFC 5646), a known two-letter language or any
 * three-letter one (ISO 639-2/3), a known script and a known region. Underscores, as in "en_GB", are not BCP 47.
 */
export function isLanguageTag(text: string): boolean {
  let canonical: string | undefined;
  try {
    canonical = Intl.getCanonicalLocales(text)[0];
  } catch {
    return false;
  }
  if (canonical === undefined || /^x-/i.test(text)) return false;
  const locale = new Intl.Locale(canonical);
  const language = locale.language;
  if (language.length === 2 && languageNames.of(language) === undefined) return false;
  if (language.length > 3) return false;
  if (locale.script !== undefined && scriptNames.of(locale.script) === undefined) return false;
  if (locale.region !== undefined && regionNames.of(locale.region) === undefined) return false;
  return true;
}

/** A lower-case ISO 3166-1 alpha-2 country code, as `intendedAudience` and country sections use. */
export function isLowerCaseCountryCode(text: string): boolean {
  return /^[a-z]{2}$/.test(text) && iso3166Alpha2Codes.has(text.toUpperCase());
}

/** The known name closest to an unknown one, when it is close enough to be a slip ("maintainance" → "maintenance"). */
export function closestName(name: string, candidates: Iterable<string>): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  const lower = name.toLowerCase();
  for (const candidate of candidates) {
    const distance = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  return bestDistance <= allowed ? best : null;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3 || a.length > 64 || b.length > 64) return Infinity;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? Infinity;
}
