import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../../platform/code-locations.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type ajvDraft04 from 'ajv-draft-04';
import type ajvFormats from 'ajv-formats';
import { lazyRequire } from '../../../platform/lazy-require.js';

// Loaded when the first OCDS file is checked, not at start-up (a fifth of a second). Both packages are CommonJS with
// a `default` export beside `module.exports`.
const requireAjvDraft04 = lazyRequire<typeof ajvDraft04>(import.meta.url, 'ajv-draft-04');
const requireAjvFormats = lazyRequire<typeof ajvFormats>(import.meta.url, 'ajv-formats');

/** One breach of the OCDS schema: a path below the value checked ("" for the value itself, ".tender.id", "[2]") and why. */
export interface SchemaProblem {
  path: string;
  message: string;
}

/** The OCDS 1.1.5 schemas, copied with their SOURCES.md; in the project's data/reference/ocds. */
export const ocdsSchemaFolder = path.join(projectRoot, 'data', 'reference', 'ocds');

type JsonSchema = Record<string, unknown>;

function loadSchema(file: string): JsonSchema {
  return JSON.parse(readFileSync(path.join(ocdsSchemaFolder, file), 'utf8')) as JsonSchema;
}

/** A copy of an object schema without some properties and without requiring them (they are checked one by one instead). */
function withoutProperties(schema: JsonSchema, names: readonly string[]): JsonSchema {
  const properties = Object.fromEntries(
    Object.entries(schema.properties as Record<string, unknown>).filter(([name]) => !names.includes(name)),
  );
  const required = (schema.required as string[] | undefined)?.filter((name) => !names.includes(name));
  return { ...schema, id: undefined, properties, required };
}

export interface OcdsValidators {
  release(value: unknown): SchemaProblem[];
  /** A record's linked release ({url, date, tag}). */
  linkedRelease(value: unknown): SchemaProblem[];
  /** A record without its releases list, which is checked release by release. */
  record(value: unknown): SchemaProblem[];
  /** A release package's metadata (everything but `releases` and `version`). */
  releasePackageHead(value: unknown): SchemaProblem[];
  /** A record package's metadata (everything but `records` and `version`). */
  recordPackageHead(value: unknown): SchemaProblem[];
}

let compiled: OcdsValidators | null = null;

/** Validators compiled once from the standard's own schemas (draft 4, with its date-time and uri formats). */
export function ocdsValidators(): OcdsValidators {
  if (compiled !== null) return compiled;
  const releaseSchema = loadSchema('release-schema.json');
  const releasePackageSchema = loadSchema('release-package-schema.json');
  const recordPackageSchema = loadSchema('record-package-schema.json');
  const versionedSchema = loadSchema('versioned-release-validation-schema.json');
  // strict: false because the schemas carry the standard's own keywords (codelist, omitWhenMerged, deprecated...).
  const AjvDraft04 = requireAjvDraft04().default;
  const addFormats = requireAjvFormats().default;
  const ajv = new AjvDraft04({ allErrors: true, strict: false, verbose: true, strictNumbers: true });
  addFormats(ajv, ['date-time', 'uri']);
  ajv.addSchema(releaseSchema);
  ajv.addSchema(versionedSchema);

  const recordDefinition = (recordPackageSchema.definitions as Record<string, JsonSchema>).record as JsonSchema;
  const releasesBranches = ((recordDefinition.properties as Record<string, JsonSchema>).releases as JsonSchema).oneOf as JsonSchema[];
  const linkedItems = (releasesBranches[0] as JsonSchema).items as JsonSchema;

  const run = (validate: ValidateFunction) => (value: unknown) => (validate(value) ? [] : (validate.errors ?? []).map(describeError));
  compiled = {
    release: run(ajv.getSchema(releaseSchema.id as string) as ValidateFunction),
    linkedRelease: run(ajv.compile(linkedItems)),
    record: run(ajv.compile(withoutProperties(recordDefinition, ['releases']))),
    releasePackageHead: run(ajv.compile(withoutProperties(releasePackageSchema, ['releases', 'version']))),
    recordPackageHead: run(ajv.compile(withoutProperties(recordPackageSchema, ['records', 'version']))),
  };
  return compiled;
}

/** "/releases/0/tender" as ".releases[0].tender". */
export function pathOfPointer(pointer: string): string {
  if (pointer === '') return '';
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) =>
      /^\d+$/.test(segment) ? `[${segment}]` : /^[A-Za-z_$][\w$]*$/.test(segment) ? `.${segment}` : `[${JSON.stringify(segment)}]`,
    )
    .join('');
}

const FORMAT_HINTS: Record<string, string> = {
  'date-time': 'is not a date and time as the standard asks (RFC 3339, such as 2024-05-01T00:00:00Z)',
  uri: 'is not a full URI (such as https://example.gov.uk/notice/1)',
};

/** The message for one schema breach, worded for a person and free of the value, so equal breaches group together. */
function describeError(error: ErrorObject): SchemaProblem {
  const at = pathOfPointer(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const schema = (error.parentSchema ?? {}) as JsonSchema;
  switch (error.keyword) {
    case 'required':
      return { path: `${at}${pathOfPointer(`/${String(params.missingProperty)}`)}`, message: 'is missing but required' };
    case 'type':
      if (typeof error.data === 'number' && !Number.isFinite(error.data)) return { path: at, message: 'is a number too large to hold' };
      return { path: at, message: `must be ${String(params.type).split(',').join(' or ')}` };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).filter((value) => value !== null);
      const codelist =
        typeof schema.codelist === 'string' ? `the closed ${schema.codelist.replace(/\.csv$/, '')} codelist` : 'the allowed values';
      const listed = allowed.length <= 20 ? `: ${allowed.map(String).join(', ')}` : '';
      return { path: at, message: `is not in ${codelist}${listed}` };
    }
    case 'format':
      return { path: at, message: FORMAT_HINTS[String(params.format)] ?? `is not a valid ${String(params.format)}` };
    case 'minItems':
      return { path: at, message: `must have at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}` };
    case 'minLength':
      return { path: at, message: 'must not be empty text' };
    case 'uniqueItems':
      return { path: at, message: 'holds the same item more than once' };
    case 'pattern':
      return { path: at, message: `does not match the pattern ${String(params.pattern)}` };
    default:
      return { path: at, message: error.message ?? `breaks the schema rule "${error.keyword}"` };
  }
}
