/**
 * Casting a cell to its Table Schema type and checking its constraints, compiled once per field so the
 * per-cell work is a few comparisons. Values come out in a comparable form (numbers for dates and times)
 * so minimum, maximum, enum and unique compare what the cell means, not how it is written.
 */
import { type Cast, INVALID } from './cast-value.js';
import { NUMBER_SHAPE, numberCast } from './number-cast.js';
import type { FieldType, SchemaField } from './table-schema.js';
import { SchemaError } from './table-schema.js';
import { DAY_MS, temporalCast } from './temporal-cast.js';

export { type Cast, INVALID } from './cast-value.js';

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
      // One look-up per cell; a value in both lists is true, as when the true values were asked first.
      const meanings = new Map<string, boolean>([
        ...field.falseValues.map((value) => [value, false] as const),
        ...field.trueValues.map((value) => [value, true] as const),
      ]);
      return (cell) => meanings.get(cell) ?? INVALID;
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

const BOUNDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const;

/**
 * Minimum, maximum and their exclusive forms as one check, asked in that order. A bound not given is NaN, which
 * no comparison breaks, so every number is compared four times whatever the schema gives: no loop, no call per bound.
 */
function compileBounds(field: SchemaField, cast: Cast, location: string): ((value: unknown) => string | null) | null {
  const c = field.constraints;
  const limits = { minimum: Number.NaN, maximum: Number.NaN, exclusiveMinimum: Number.NaN, exclusiveMaximum: Number.NaN };
  const notes = { minimum: '', maximum: '', exclusiveMinimum: '', exclusiveMaximum: '' };
  let any = false;
  for (const name of BOUNDS) {
    if (c[name] === undefined) continue;
    const bound = constraintValue(field, cast, c[name], `${location}.constraints.${name}`);
    if (typeof bound !== 'number') continue;
    const written = typeof c[name] === 'number' ? String(c[name]) : (c[name] as string);
    limits[name] = bound;
    notes[name] = `constraint "${name}" is "${written}"`;
    any = true;
  }
  if (!any) return null;
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = limits;
  return (value) => {
    if (typeof value !== 'number') return null;
    if (value < minimum) return notes.minimum;
    if (value > maximum) return notes.maximum;
    if (value <= exclusiveMinimum) return notes.exclusiveMinimum;
    return value >= exclusiveMaximum ? notes.exclusiveMaximum : null;
  };
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
  const bounds = compileBounds(field, cast, location);
  if (bounds) checks.push(bounds);
  if (c.pattern !== undefined) {
    const pattern = new RegExp(`^(?:${c.pattern})$`, 'u');
    const written = c.pattern;
    checks.push((_value, cell) => (pattern.test(cell) ? null : `constraint "pattern" is "${written}"`));
  }
  if (c.enum !== undefined) {
    const allowed = new Set(c.enum.map((raw, index) => keyOf(constraintValue(field, cast, raw, `${location}.constraints.enum[${index}]`))));
    const written = c.enum.map(String).join(', ');
    checks.push((value) => (allowed.has(typeof value === 'string' ? value : keyOf(value)) ? null : `constraint "enum" is "${written}"`));
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
