/**
 * Casting a cell to its Table Schema type and checking its constraints, compiled once per field so the
 * per-cell work is a few comparisons. Values come out in a comparable form (numbers for dates and times)
 * so minimum, maximum, enum and unique compare what the cell means, not how it is written.
 */
import type { FieldType, SchemaField } from './table-schema.js';
import { SchemaError } from './table-schema.js';
import { compileDatePattern, type DateParts } from './date-pattern.js';

/** What `cast` returns for a cell that is not of the field's type. */
export const INVALID: unique symbol = Symbol('invalid');
export type Cast = (cell: string) => unknown;

export interface CompiledField {
  field: SchemaField;
  /** "integer/default": the Frictionless way to name a type and format in messages. */
  typeLabel: string;
  missing: ReadonlySet<string>;
  /** True when only the empty string is missing: the check is one comparison. */
  onlyEmptyMissing: boolean;
  cast: Cast;
  /** Why a value breaks a constraint (other than required and unique), or null; null function when none apply. */
  checkConstraints: ((value: unknown, cell: string) => string | null) | null;
  /** A string that is equal for equal values, for unique, primary and foreign keys. */
  key: (value: unknown) => string;
  required: boolean;
  unique: boolean;
}

const DAY_MS = 86_400_000;
const isDigit = (code: number) => code >= 48 && code <= 57;

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

function temporalCast(type: 'date' | 'time' | 'datetime', format: string, location: string): Cast {
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

const NUMBER_SHAPE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, power) => 10 ** power);

/**
 * The value of an optional sign and digits, or INVALID; by character codes. Up to 15 digits the value is built as
 * it is read (exact); longer numbers are left to Number().
 */
function integerValue(text: string): number | typeof INVALID {
  const length = text.length;
  let index = 0;
  const first = text.charCodeAt(0);
  if (first === 43 || first === 45) index = 1;
  if (index >= length) return INVALID;
  let value = 0;
  for (let at = index; at < length; at++) {
    const code = text.charCodeAt(at);
    if (!isDigit(code)) return INVALID;
    value = value * 10 + code - 48;
  }
  if (length - index > 15) value = Math.abs(Number(text));
  return first === 45 ? -value : value;
}

/**
 * The value of a decimal number (sign, digits, one point, an exponent), or INVALID; by character codes. Up to 15
 * digits without an exponent, digits over a power of ten: both exact, so the division rounds once, to the same
 * double Number() gives. Anything else is checked by shape and left to Number().
 */
function decimalValue(text: string): number | typeof INVALID {
  const length = text.length;
  let index = 0;
  const first = text.charCodeAt(0);
  if (first === 43 || first === 45) index = 1;
  let digits = 0;
  let point = -1;
  let mantissa = 0;
  for (; index < length; index++) {
    const code = text.charCodeAt(index);
    if (isDigit(code)) {
      digits++;
      mantissa = mantissa * 10 + code - 48;
    } else if (code === 46 && point < 0) point = index;
    else break;
  }
  if (digits === 0) return INVALID;
  if (index < length) return NUMBER_SHAPE.test(text) ? Number(text) : INVALID;
  if (digits > 15) return Number(text);
  const fraction = point < 0 ? 0 : length - point - 1;
  const value = fraction === 0 ? mantissa : mantissa / (POWERS_OF_TEN[fraction] as number);
  return first === 45 ? -value : value;
}
const CURRENCY_SYMBOLS = /^[£$€¥\s]+|[£$€¥\s]+$/g;
/** With bareNumber false, Table Schema lets text lead or trail the number ("€95", "10%"). */
const NON_NUMERIC_EDGES = /^[^0-9+\-.]+|[^0-9.]+$/g;

function numberCast(field: SchemaField, integer: boolean): Cast {
  const { decimalChar, groupChar, bareNumber, format } = field;
  const plain = decimalChar === '.' && !groupChar && bareNumber && format !== 'currency';
  const valueOf = integer ? integerValue : decimalValue;
  return (cell) => {
    let text = cell;
    if (!plain) {
      // The legacy "currency" format (JSON Table Schema) allows currency symbols and thousands separators.
      if (format === 'currency') text = text.replace(CURRENCY_SYMBOLS, '').replaceAll(',', '');
      if (!bareNumber) text = text.replace(NON_NUMERIC_EDGES, '');
      if (groupChar) text = text.split(groupChar).join('');
      if (decimalChar !== '.' && !integer) text = text.split(decimalChar).join('.');
    }
    const value = valueOf(text);
    if (value === INVALID)
      return integer ? INVALID : text === 'NaN' ? Number.NaN : text === 'INF' ? Infinity : text === '-INF' ? -Infinity : INVALID;
    // A number may be as large as it likes (Frictionless reads decimals); an integer must be finite.
    return integer && !Number.isFinite(value) ? INVALID : value;
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DURATION =
  /^P(?!$)(\d+(?:\.\d+)?Y)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?W)?(\d+(?:\.\d+)?D)?(T(?=\d)(\d+(?:\.\d+)?H)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?S)?)?$/;

function stringCast(format: string): Cast {
  switch (format) {
    case 'email':
      return (cell) => (EMAIL.test(cell) ? cell : INVALID);
    case 'uri':
      return (cell) => (URI.test(cell) ? cell : INVALID);
    case 'uuid':
      return (cell) => (UUID.test(cell) ? cell : INVALID);
    case 'binary':
      return (cell) => (BASE64.test(cell) ? cell : INVALID);
    default:
      return (cell) => cell;
  }
}

function parseJson(cell: string): unknown {
  try {
    return JSON.parse(cell) as unknown;
  } catch {
    return INVALID;
  }
}

function geopointCast(format: string): Cast {
  const inRange = (lon: unknown, lat: unknown) =>
    typeof lon === 'number' && typeof lat === 'number' && Math.abs(lon) <= 180 && Math.abs(lat) <= 90 ? [lon, lat] : INVALID;
  if (format === 'array')
    return (cell) => {
      const value = parseJson(cell);
      return Array.isArray(value) && value.length === 2 ? inRange(value[0], value[1]) : INVALID;
    };
  if (format === 'object')
    return (cell) => {
      const value = parseJson(cell) as { lon?: unknown; lat?: unknown } | typeof INVALID;
      return value !== INVALID && typeof value === 'object' && value !== null ? inRange(value.lon, value.lat) : INVALID;
    };
  return (cell) => {
    const parts = cell.split(',');
    if (parts.length !== 2) return INVALID;
    const [lon, lat] = parts.map((part) => (NUMBER_SHAPE.test(part.trim()) ? Number(part.trim()) : Number.NaN));
    return inRange(lon, lat);
  };
}

const GEOJSON_TYPES = new Set([
  'Point',
  'MultiPoint',
  'LineString',
  'MultiLineString',
  'Polygon',
  'MultiPolygon',
  'GeometryCollection',
  'Feature',
  'FeatureCollection',
]);

/** The cast for a type and format; throws SchemaError for a format the type does not have. */
export function castFor(field: SchemaField, type: FieldType = field.type, location = `field “${field.name}”`): Cast {
  switch (type) {
    case 'string':
      return stringCast(field.format);
    case 'integer':
      return numberCast(field, true);
    case 'number':
      return numberCast(field, false);
    case 'boolean': {
      const trueValues = new Set(field.trueValues);
      const falseValues = new Set(field.falseValues);
      return (cell) => (trueValues.has(cell) ? true : falseValues.has(cell) ? false : INVALID);
    }
    case 'date':
    case 'time':
    case 'datetime':
      return temporalCast(type, field.format, `${location}.format`);
    case 'year':
      return (cell) => (/^-?\d{4}$/.test(cell) ? Number(cell) : INVALID);
    case 'yearmonth':
      return (cell) => {
        const match = /^(-?\d{4})-(\d{2})$/.exec(cell);
        const month = match ? Number(match[2]) : 0;
        return match && month >= 1 && month <= 12 ? Number(match[1]) * 12 + month - 1 : INVALID;
      };
    case 'duration':
      return (cell) => {
        const match = DURATION.exec(cell);
        if (!match) return INVALID;
        const amount = (part: string | undefined) => (part ? Number.parseFloat(part) : 0);
        const [, y, mo, w, d, , h, mi, s] = match;
        return (
          ((amount(y) * 365.25 + amount(mo) * 30.44 + amount(w) * 7 + amount(d)) * 86_400 +
            amount(h) * 3600 +
            amount(mi) * 60 +
            amount(s)) *
          1000
        );
      };
    case 'geopoint':
      return geopointCast(field.format);
    case 'geojson':
      return (cell) => {
        const value = parseJson(cell) as { type?: unknown } | typeof INVALID;
        if (value === INVALID || typeof value !== 'object' || value === null || Array.isArray(value)) return INVALID;
        return field.format === 'topojson'
          ? value.type === 'Topology'
            ? value
            : INVALID
          : GEOJSON_TYPES.has(String(value.type))
            ? value
            : INVALID;
      };
    case 'object':
      return (cell) => {
        const value = parseJson(cell);
        return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : INVALID;
      };
    case 'array':
      return (cell) => {
        const value = parseJson(cell);
        return Array.isArray(value) ? value : INVALID;
      };
    case 'list': {
      const item = castFor(field, field.itemType ?? 'string', location);
      return (cell) => {
        const items = cell === '' ? [] : cell.split(field.delimiter).map(item);
        return items.includes(INVALID) ? INVALID : items;
      };
    }
    case 'any':
      return (cell) => cell;
  }
}

function keyOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A constraint's value in the field's own terms: strings are cast, numbers kept (dates given as strings are cast). */
function constraintValue(field: SchemaField, cast: Cast, raw: unknown, location: string): unknown {
  if (typeof raw === 'string' && field.type !== 'string') {
    const value = cast(raw);
    if (value === INVALID) throw new SchemaError(location, `“${raw}” is not a ${field.type} in this field’s format`);
    return value;
  }
  if (field.type === 'date' && typeof raw === 'number') return raw * DAY_MS;
  return raw;
}

/** Length in characters (code points), or items of an array or object. */
function lengthOf(value: unknown, cell: string): number {
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length;
  let length = cell.length;
  for (let index = 0; index < cell.length; index++) {
    const code = cell.charCodeAt(index);
    if (code >= 0xdc00 && code <= 0xdfff) length--;
  }
  return length;
}

function compileConstraints(field: SchemaField, cast: Cast, location: string): CompiledField['checkConstraints'] {
  const c = field.constraints;
  const checks: ((value: unknown, cell: string) => string | null)[] = [];
  // Text's length in code points is between half its length in UTF-16 units and that length: counting is needed
  // only when the bound falls between the two, which for most cells it does not.
  if (c.minLength !== undefined) {
    const min = c.minLength;
    const note = `constraint "minLength" is "${min}"`;
    checks.push((value, cell) => (typeof value === 'string' && cell.length >= 2 * min ? null : lengthOf(value, cell) < min ? note : null));
  }
  if (c.maxLength !== undefined) {
    const max = c.maxLength;
    const note = `constraint "maxLength" is "${max}"`;
    checks.push((value, cell) => (typeof value === 'string' && cell.length <= max ? null : lengthOf(value, cell) > max ? note : null));
  }
  const bounds = [
    ['minimum', (v: number, b: number) => v < b],
    ['maximum', (v: number, b: number) => v > b],
    ['exclusiveMinimum', (v: number, b: number) => v <= b],
    ['exclusiveMaximum', (v: number, b: number) => v >= b],
  ] as const;
  for (const [name, breaks] of bounds) {
    if (c[name] === undefined) continue;
    const bound = constraintValue(field, cast, c[name], `${location}.constraints.${name}`);
    if (typeof bound !== 'number') continue;
    const written = typeof c[name] === 'number' ? String(c[name]) : (c[name] as string);
    checks.push((value) => (typeof value === 'number' && breaks(value, bound) ? `constraint "${name}" is "${written}"` : null));
  }
  if (c.pattern !== undefined) {
    const pattern = new RegExp(`^(?:${c.pattern})$`, 'u');
    const written = c.pattern;
    checks.push((_value, cell) => (pattern.test(cell) ? null : `constraint "pattern" is "${written}"`));
  }
  if (c.enum !== undefined) {
    const allowed = new Set(c.enum.map((raw, index) => keyOf(constraintValue(field, cast, raw, `${location}.constraints.enum[${index}]`))));
    const written = c.enum.map(String).join(', ');
    checks.push((value) => (allowed.has(keyOf(value)) ? null : `constraint "enum" is "${written}"`));
  }
  if (checks.length === 0) return null;
  if (checks.length === 1) return checks[0] ?? null;
  return (value, cell) => {
    for (const check of checks) {
      const note = check(value, cell);
      if (note) return note;
    }
    return null;
  };
}

/** Compiles a field for validation; primary-key fields are required, as the specification says. */
export function compileField(
  field: SchemaField,
  schemaMissingValues: readonly string[],
  inPrimaryKey: boolean,
  location: string,
): CompiledField {
  const cast = castFor(field, field.type, location);
  const missing = new Set(field.missingValues ?? schemaMissingValues);
  return {
    field,
    typeLabel: `${field.type}/${field.format}`,
    missing,
    onlyEmptyMissing: missing.size === 1 && missing.has(''),
    cast,
    checkConstraints: compileConstraints(field, cast, location),
    key: keyOf,
    required: field.constraints.required === true || inPrimaryKey,
    unique: field.constraints.unique === true,
  };
}
