/**
 * Reads a Frictionless Table Schema (v1, with the v2 additions that do not conflict) from its JSON descriptor,
 * as the specification defines it: fields with types, formats and constraints, missingValues, primaryKey,
 * foreignKeys and uniqueKeys. A descriptor that breaks the specification is refused with a SchemaError that
 * names where (for example `fields[2].type`).
 */

export const FIELD_TYPES = [
  'string',
  'number',
  'integer',
  'boolean',
  'object',
  'array',
  'list',
  'date',
  'time',
  'datetime',
  'year',
  'yearmonth',
  'duration',
  'geopoint',
  'geojson',
  'any',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface FieldConstraints {
  required?: boolean;
  unique?: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: unknown;
  maximum?: unknown;
  exclusiveMinimum?: unknown;
  exclusiveMaximum?: unknown;
  pattern?: string;
  enum?: unknown[];
}

export interface SchemaField {
  name: string;
  type: FieldType;
  format: string;
  title?: string;
  description?: string;
  constraints: FieldConstraints;
  /** Field-level missing values (v2); null means the schema's. */
  missingValues: string[] | null;
  trueValues: string[];
  falseValues: string[];
  decimalChar: string;
  groupChar: string | null;
  bareNumber: boolean;
  /** list type (v2). */
  delimiter: string;
  itemType: FieldType | null;
}

export interface ForeignKey {
  fields: string[];
  /** The resource referred to; '' is the table itself. */
  resource: string;
  referenceFields: string[];
}

export interface TableSchema {
  fields: SchemaField[];
  missingValues: string[];
  primaryKey: string[];
  foreignKeys: ForeignKey[];
  uniqueKeys: string[][];
}

/** A descriptor that does not follow the Table Schema specification; `location` says where. */
export class SchemaError extends Error {
  override readonly name = 'SchemaError';
  constructor(
    readonly location: string,
    problem: string,
  ) {
    super(`${location}: ${problem}`);
  }
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown, location: string): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  throw new SchemaError(location, 'must be a string or a list of strings');
}

function optionalString(value: unknown, location: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw new SchemaError(location, 'must be a string');
  return value;
}

/** Missing values are strings (v1) or `{ "value": …, "label": … }` objects (v2). */
function readMissingValues(value: unknown, location: string): string[] {
  if (!Array.isArray(value)) throw new SchemaError(location, 'must be a list of strings');
  return value.map((item, index) => {
    if (typeof item === 'string') return item;
    if (isObject(item) && typeof item.value === 'string') return item.value;
    throw new SchemaError(`${location}[${index}]`, 'must be a string');
  });
}

function readConstraints(value: unknown, location: string): FieldConstraints {
  if (value === undefined) return {};
  if (!isObject(value)) throw new SchemaError(location, 'must be an object');
  const constraints: FieldConstraints = {};
  for (const key of ['required', 'unique'] as const) {
    if (value[key] === undefined) continue;
    if (typeof value[key] !== 'boolean') throw new SchemaError(`${location}.${key}`, 'must be true or false');
    constraints[key] = value[key];
  }
  for (const key of ['minLength', 'maxLength'] as const) {
    if (value[key] === undefined) continue;
    const number = value[key];
    if (typeof number !== 'number' || !Number.isInteger(number) || number < 0)
      throw new SchemaError(`${location}.${key}`, 'must be a whole number, 0 or more');
    constraints[key] = number;
  }
  for (const key of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const) {
    if (value[key] === undefined) continue;
    if (typeof value[key] !== 'number' && typeof value[key] !== 'string')
      throw new SchemaError(`${location}.${key}`, 'must be a number or a string in the field’s type');
    constraints[key] = value[key];
  }
  if (value.pattern !== undefined) {
    if (typeof value.pattern !== 'string') throw new SchemaError(`${location}.pattern`, 'must be a string');
    try {
      new RegExp(`^(?:${value.pattern})$`, 'u');
    } catch {
      throw new SchemaError(`${location}.pattern`, `“${value.pattern}” is not a regular expression this validator can read`);
    }
    constraints.pattern = value.pattern;
  }
  if (value.enum !== undefined) {
    if (!Array.isArray(value.enum) || value.enum.length === 0)
      throw new SchemaError(`${location}.enum`, 'must be a list with at least one value');
    constraints.enum = value.enum;
  }
  return constraints;
}

function readFieldType(value: unknown, location: string): FieldType {
  if (value === undefined) return 'string';
  if (typeof value !== 'string' || !(FIELD_TYPES as readonly string[]).includes(value))
    throw new SchemaError(location, `“${JSON.stringify(value) ?? 'nothing'}” is not a Table Schema type (${FIELD_TYPES.join(', ')})`);
  return value as FieldType;
}

function readField(value: unknown, location: string): SchemaField {
  if (!isObject(value)) throw new SchemaError(location, 'must be an object');
  if (typeof value.name !== 'string' || value.name === '') throw new SchemaError(`${location}.name`, 'every field needs a name');
  const type = readFieldType(value.type, `${location}.type`);
  const format = optionalString(value.format, `${location}.format`, 'default');
  const field: SchemaField = {
    name: value.name,
    type,
    format,
    title: typeof value.title === 'string' ? value.title : undefined,
    description: typeof value.description === 'string' ? value.description : undefined,
    constraints: readConstraints(value.constraints, `${location}.constraints`),
    missingValues: value.missingValues === undefined ? null : readMissingValues(value.missingValues, `${location}.missingValues`),
    trueValues: value.trueValues === undefined ? ['true', 'True', 'TRUE', '1'] : stringList(value.trueValues, `${location}.trueValues`),
    falseValues:
      value.falseValues === undefined ? ['false', 'False', 'FALSE', '0'] : stringList(value.falseValues, `${location}.falseValues`),
    decimalChar: optionalString(value.decimalChar, `${location}.decimalChar`, '.'),
    groupChar: value.groupChar === undefined ? null : optionalString(value.groupChar, `${location}.groupChar`, ''),
    bareNumber: value.bareNumber === undefined ? true : value.bareNumber === true,
    delimiter: optionalString(value.delimiter, `${location}.delimiter`, ','),
    itemType: value.itemType === undefined ? null : readFieldType(value.itemType, `${location}.itemType`),
  };
  if (value.bareNumber !== undefined && typeof value.bareNumber !== 'boolean')
    throw new SchemaError(`${location}.bareNumber`, 'must be true or false');
  if (field.decimalChar.length === 0) throw new SchemaError(`${location}.decimalChar`, 'must not be empty');
  if (field.type === 'geopoint' && !['default', 'array', 'object'].includes(format))
    throw new SchemaError(`${location}.format`, `“${format}” is not a geopoint format (default, array or object)`);
  return field;
}

function readForeignKey(value: unknown, location: string, names: ReadonlySet<string>): ForeignKey {
  if (!isObject(value)) throw new SchemaError(location, 'must be an object');
  const fields = stringList(value.fields, `${location}.fields`);
  for (const name of fields) if (!names.has(name)) throw new SchemaError(`${location}.fields`, `“${name}” is not a field of this schema`);
  if (!isObject(value.reference)) throw new SchemaError(`${location}.reference`, 'must be an object with fields (and resource)');
  const resource = value.reference.resource === undefined ? '' : value.reference.resource;
  if (typeof resource !== 'string') throw new SchemaError(`${location}.reference.resource`, 'must be a string');
  const referenceFields = stringList(value.reference.fields, `${location}.reference.fields`);
  if (referenceFields.length !== fields.length)
    throw new SchemaError(`${location}.reference.fields`, 'must name as many fields as the foreign key has');
  return { fields, resource, referenceFields };
}

/** Reads a Table Schema descriptor; throws SchemaError naming where it breaks the specification. */
export function readTableSchema(descriptor: unknown, location = 'schema'): TableSchema {
  if (!isObject(descriptor)) throw new SchemaError(location, 'a Table Schema must be a JSON object');
  if (!Array.isArray(descriptor.fields)) throw new SchemaError(`${location}.fields`, 'a Table Schema needs a list of fields');
  const fields = descriptor.fields.map((field, index) => readField(field, `${location}.fields[${index}]`));
  const names = new Set(fields.map((field) => field.name));
  const known = (list: string[], at: string) => {
    for (const name of list) if (!names.has(name)) throw new SchemaError(at, `“${name}” is not a field of this schema`);
    return list;
  };
  const primaryKey =
    descriptor.primaryKey === undefined ? [] : known(stringList(descriptor.primaryKey, `${location}.primaryKey`), `${location}.primaryKey`);
  const foreignKeys =
    descriptor.foreignKeys === undefined
      ? []
      : Array.isArray(descriptor.foreignKeys)
        ? descriptor.foreignKeys.map((key, index) => readForeignKey(key, `${location}.foreignKeys[${index}]`, names))
        : (() => {
            throw new SchemaError(`${location}.foreignKeys`, 'must be a list');
          })();
  const uniqueKeys =
    descriptor.uniqueKeys === undefined
      ? []
      : Array.isArray(descriptor.uniqueKeys)
        ? descriptor.uniqueKeys.map((key, index) =>
            known(stringList(key, `${location}.uniqueKeys[${index}]`), `${location}.uniqueKeys[${index}]`),
          )
        : (() => {
            throw new SchemaError(`${location}.uniqueKeys`, 'must be a list');
          })();
  return {
    fields,
    missingValues: descriptor.missingValues === undefined ? [''] : readMissingValues(descriptor.missingValues, `${location}.missingValues`),
    primaryKey,
    foreignKeys,
    uniqueKeys,
  };
}

export interface DataResource {
  name: string;
  /** Relative to the package; may be a URL, which this validator does not fetch. */
  path: string;
  title: string;
  description: string;
  schema: TableSchema;
}

export interface DataPackage {
  name: string;
  title: string;
  resources: DataResource[];
}

/** True for a Data Package descriptor (has resources) rather than a Table Schema (has fields). */
export function isDataPackageDescriptor(descriptor: unknown): boolean {
  return isObject(descriptor) && Array.isArray(descriptor.resources);
}

/**
 * Reads a Tabular Data Package: each resource's name, path and inline schema. Schemas given by path or URL
 * are not followed: `resolveSchema` may supply them.
 */
export function readDataPackage(descriptor: unknown, resolveSchema: (reference: string) => unknown = () => undefined): DataPackage {
  if (!isObject(descriptor)) throw new SchemaError('package', 'a Data Package must be a JSON object');
  if (!Array.isArray(descriptor.resources) || descriptor.resources.length === 0)
    throw new SchemaError('package.resources', 'a Data Package needs at least one resource');
  const resources = descriptor.resources.map((resource, index): DataResource => {
    const location = `package.resources[${index}]`;
    if (!isObject(resource)) throw new SchemaError(location, 'must be an object');
    const name = typeof resource.name === 'string' && resource.name !== '' ? resource.name : `resource${index + 1}`;
    const rawPath: unknown = Array.isArray(resource.path) ? (resource.path as unknown[])[0] : resource.path;
    if (typeof rawPath !== 'string') throw new SchemaError(`${location}.path`, 'this validator reads resources given by path');
    const schemaDescriptor = typeof resource.schema === 'string' ? resolveSchema(resource.schema) : resource.schema;
    if (schemaDescriptor === undefined) throw new SchemaError(`${location}.schema`, 'every tabular resource needs a schema');
    return {
      name,
      path: rawPath,
      title: typeof resource.title === 'string' ? resource.title : name,
      description: typeof resource.description === 'string' ? resource.description : '',
      schema: readTableSchema(schemaDescriptor, `${location}.schema`),
    };
  });
  const names = new Set(resources.map((resource) => resource.name));
  resources.forEach((resource, index) =>
    resource.schema.foreignKeys.forEach((key, keyIndex) => {
      if (key.resource !== '' && !names.has(key.resource))
        throw new SchemaError(
          `package.resources[${index}].schema.foreignKeys[${keyIndex}].reference.resource`,
          `no resource is called “${key.resource}”`,
        );
    }),
  );
  return {
    name: typeof descriptor.name === 'string' ? descriptor.name : 'package',
    title: typeof descriptor.title === 'string' ? descriptor.title : typeof descriptor.name === 'string' ? descriptor.name : 'Data package',
    resources,
  };
}
