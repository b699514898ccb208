import fs from 'node:fs';
import path from 'node:path';
import { publiccodeSchema, checkLanguageKey, type FileReference, type KeySpec } from './publiccode-schema.js';
import type { PubliccodeIssue } from './publiccode-types.js';
import { closestName, graphemeLength, isHttpUrl, isLowerCaseCountryCode } from './publiccode-values.js';
import { latestPubliccodeVersion, supportedPubliccodeVersions } from './publiccode-vocabularies.js';
import { defaultYamlLimits, readYaml, type Position, type YamlLimits, type YamlMap, type YamlValue } from './publiccode-yaml.js';

/**
 * Validates a publiccode.yml file against the 0.4 standard, key by key, as its reference validator does
 * (network checks aside): every error and warning names the key's path, line and column.
 * A valid 0.4 file gives no errors and no warnings; a valid older file gives one warning, that it was read as 0.4.
 */

export interface PubliccodeValidationOptions {
  /** The folder holding the file, when it is on disk: relative logo, screenshot and authors-file paths are then checked. */
  directory?: string;
  limits?: YamlLimits;
}

export interface PubliccodeValidation {
  /** The version the file declares, when it declares one this validator reads. */
  version: string | null;
  errors: Required<PubliccodeIssue>[];
  warnings: Required<PubliccodeIssue>[];
  /** The file read as YAML; null when it could not be read. */
  root: YamlValue | null;
}

type Issue = Required<PubliccodeIssue>;

// yaml.v3, which the reference validator reads with, takes these YAML 1.1 words for a key typed boolean.
const yamlBooleans: Readonly<Record<string, boolean>> = Object.fromEntries([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON'].map((word) => [word, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF'].map((word) => [word, false] as const),
]);

class Validation {
  readonly errors: Issue[] = [];
  readonly warnings: Issue[] = [];

  constructor(readonly options: PubliccodeValidationOptions) {}

  error(field: string, at: Position, message: string): void {
    this.errors.push({ field, message, line: at.line, column: at.column });
  }

  warn(field: string, at: Position, message: string): void {
    this.warnings.push({ field, message, line: at.line, column: at.column });
  }
}

const fileStart: Position = { line: 1, column: 1 };

/** Validates publiccode.yml text; never throws for any input. */
export function validatePubliccode(text: string, options: PubliccodeValidationOptions = {}): PubliccodeValidation {
  const validation = new Validation(options);
  const reading = readYaml(text, options.limits ?? defaultYamlLimits);
  if (!reading.ok) {
    for (const problem of reading.problems) validation.error('', problem.position, problem.message);
    return finish(validation, null, null);
  }
  const root = reading.root;
  if (root === null || (root.kind === 'scalar' && root.value === null)) {
    validation.error('', fileStart, 'The file is empty: a publiccode.yml starts with keys such as publiccodeYmlVersion: "0.4" and name:');
    return finish(validation, null, root);
  }
  if (root.kind !== 'map') {
    validation.error(
      '',
      root.position,
      `The file is a ${root.kind === 'list' ? 'list' : 'single value'}, not a map of keys such as name: and url:`,
    );
    return finish(validation, null, root);
  }
  const version = checkVersion(validation, root);
  if (version === null) return finish(validation, null, root);
  checkMap(validation, root, publiccodeSchema as Extract<KeySpec, { type: 'map' }>, '');
  checkMaintainers(validation, root);
  return finish(validation, version, root);
}

function finish(validation: Validation, version: string | null, root: YamlValue | null): PubliccodeValidation {
  const byPlace = (a: Issue, b: Issue) => a.line - b.line || a.column - b.column;
  return { version, errors: validation.errors.sort(byPlace), warnings: validation.warnings.sort(byPlace), root };
}

/** The version comes first: a file with no version, or one this validator does not read, is not checked further. */
function checkVersion(validation: Validation, root: YamlMap): string | null {
  const entry = root.entries.find((candidate) => candidate.key === 'publiccodeYmlVersion');
  if (entry === undefined) {
    const legacy = root.entries.find((candidate) => candidate.key === 'publiccode-yaml-version');
    validation.error(
      'publiccodeYmlVersion',
      legacy?.keyPosition ?? root.position,
      legacy
        ? 'is required: publiccode-yaml-version is the name early drafts used; rename it publiccodeYmlVersion and give "0.4"'
        : 'is required: give the version of the standard the file follows, e.g. publiccodeYmlVersion: "0.4"',
    );
    return null;
  }
  if (entry.value.kind !== 'scalar' || entry.value.value === null || entry.value.text === '') {
    validation.error('publiccodeYmlVersion', entry.keyPosition, 'must be a version written as text, e.g. "0.4"');
    return null;
  }
  const version = entry.value.text;
  if (!(supportedPubliccodeVersions as readonly string[]).includes(version)) {
    validation.error(
      'publiccodeYmlVersion',
      entry.keyPosition,
      `"${version}" is not a version this validator reads: use one of ${supportedPubliccodeVersions.join(', ')}`,
    );
    return null;
  }
  if (!version.startsWith(latestPubliccodeVersion)) {
    validation.warn(
      'publiccodeYmlVersion',
      entry.keyPosition,
      `${version} is not the latest version of the standard; the file was read as ${latestPubliccodeVersion}. Change it to "${latestPubliccodeVersion}"`,
    );
  }
  return version;
}

function join(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

function describeKind(value: YamlValue): string {
  return value.kind === 'map' ? 'a map of keys' : value.kind === 'list' ? 'a list' : 'a single value';
}

function isNull(value: YamlValue): boolean {
  return value.kind === 'scalar' && value.value === null;
}

/** Checks one value against its spec; `at` is where to point (the key, or the list item). */
function checkValue(validation: Validation, value: YamlValue, spec: KeySpec, field: string, at: Position): void {
  if (spec.deprecated !== undefined && !isNull(value) && !(value.kind === 'scalar' && value.text === '')) {
    validation.warn(field, at, spec.deprecated);
  }
  switch (spec.type) {
    case 'text':
      return checkText(validation, value, spec, field, at);
    case 'boolean':
      return checkBoolean(validation, value, spec.required === true, field, at);
    case 'list':
      return checkList(validation, value, spec, field, at);
    case 'map':
      if (isNull(value)) return checkAbsentMap(validation, spec, field, at);
      if (value.kind !== 'map') return validation.error(field, at, `must be a map of keys, not ${describeKind(value)}`);
      return checkMap(validation, value, spec, field);
    case 'languages':
      return checkLanguages(validation, value, spec.entry, field, at);
  }
}

function checkText(validation: Validation, value: YamlValue, spec: Extract<KeySpec, { type: 'text' }>, field: string, at: Position): void {
  if (value.kind !== 'scalar') return validation.error(field, at, `must be text, not ${describeKind(value)}`);
  if (value.value === null || value.text === '') {
    if (spec.required) validation.error(field, at, 'is required and must not be empty');
    else if (value.value !== null && spec.check) reportCheck(validation, spec, value.text, field, at);
    return;
  }
  const length = spec.maxLength !== undefined || spec.minLength !== undefined ? graphemeLength(value.text) : 0;
  if (spec.maxLength !== undefined && length > spec.maxLength) {
    validation.error(field, at, `is ${length} characters long; the most allowed is ${spec.maxLength}`);
  }
  if (spec.minLength !== undefined && length < spec.minLength) {
    validation.error(field, at, `is ${length} characters long; it must be at least ${spec.minLength}`);
  }
  reportCheck(validation, spec, value.text, field, at);
  if (spec.file) checkFileReference(validation, value.text, spec.file, field, at);
}

function reportCheck(validation: Validation, spec: Extract<KeySpec, { type: 'text' }>, text: string, field: string, at: Position): void {
  const problem = spec.check?.(text) ?? null;
  if (problem !== null) validation.error(field, at, problem);
}

function checkBoolean(validation: Validation, value: YamlValue, required: boolean, field: string, at: Position): void {
  if (isNull(value)) {
    if (required) validation.error(field, at, 'is required: give true or false');
    return;
  }
  if (value.kind === 'scalar' && (typeof value.value === 'boolean' || (typeof value.value === 'string' && value.text in yamlBooleans)))
    return;
  validation.error(field, at, `must be true or false, not ${value.kind === 'scalar' ? `"${value.text}"` : describeKind(value)}`);
}

function checkList(validation: Validation, value: YamlValue, spec: Extract<KeySpec, { type: 'list' }>, field: string, at: Position): void {
  if (isNull(value)) {
    if (spec.required) validation.error(field, at, 'is required: give a list with at least one item');
    return;
  }
  if (value.kind === 'scalar' && spec.acceptsText) return checkValue(validation, value, spec.item, field, at);
  if (value.kind !== 'list') {
    const example = value.kind === 'scalar' ? ` (write it as a list: [${value.text}])` : '';
    return validation.error(field, at, `must be a list, not ${describeKind(value)}${example}`);
  }
  if (spec.nonEmpty && value.items.length === 0) validation.error(field, at, 'must list at least one item');
  value.items.forEach((item, index) => checkValue(validation, item, spec.item, `${field}[${index}]`, item.position));
}

/** A section that is missing or empty: its own mandatory keys are reported, pointing at the nearest place. */
function checkAbsentMap(validation: Validation, spec: Extract<KeySpec, { type: 'map' }>, field: string, at: Position): void {
  if (spec.required) return validation.error(field, at, 'is required');
  if (!spec.checkWhenAbsent) return;
  for (const [key, child] of Object.entries(spec.keys)) {
    if (child.required) validation.error(join(field, key), at, `is required (the ${field} section has no ${key})`);
  }
}

function checkMap(validation: Validation, value: YamlMap, spec: Extract<KeySpec, { type: 'map' }>, field: string): void {
  const present = new Set<string>();
  for (const entry of value.entries) {
    present.add(entry.key);
    const child = Object.hasOwn(spec.keys, entry.key) ? spec.keys[entry.key] : undefined;
    const childField = join(field, entry.key);
    if (child === undefined) {
      reportUnknownKey(validation, entry.key, Object.keys(spec.keys), childField, entry.keyPosition, field === '');
      continue;
    }
    if (childField === 'publiccodeYmlVersion') continue;
    checkValue(validation, entry.value, child, childField, entry.keyPosition);
  }
  for (const [key, child] of Object.entries(spec.keys)) {
    if (present.has(key)) continue;
    if (child.required) {
      const what = child.type === 'languages' ? ': give at least one language, e.g. description: en: shortDescription: ...' : '';
      validation.error(join(field, key), value.position, `is required${what}`);
    } else if (child.type === 'map' && child.checkWhenAbsent) {
      checkAbsentMap(validation, child, join(field, key), value.position);
    }
  }
}

function reportUnknownKey(validation: Validation, key: string, known: string[], field: string, at: Position, topLevel: boolean): void {
  if (topLevel && isLowerCaseCountryCode(key)) {
    validation.warn(
      field,
      at,
      `is a country section that publiccode.yml 0.4 does not define (only "it" is defined); its keys were not checked`,
    );
    return;
  }
  const suggestion = closestName(key, known);
  const hint = suggestion === null ? '' : `; did you mean "${suggestion}"?`;
  validation.warn(field, at, `is not a key publiccode.yml 0.4 defines here${hint}`);
}

function checkLanguages(validation: Validation, value: YamlValue, entry: KeySpec, field: string, at: Position): void {
  if (isNull(value))
    return validation.error(field, at, 'is required: give at least one language, e.g. description: en: shortDescription: ...');
  if (value.kind !== 'map') return validation.error(field, at, `must be a map of languages (such as en:), not ${describeKind(value)}`);
  if (value.entries.length === 0) return validation.error(field, at, 'must describe the software in at least one language');
  for (const language of value.entries) {
    const languageField = join(field, language.key);
    const problem = checkLanguageKey(language.key);
    if (problem !== null) validation.error(languageField, language.keyPosition, problem);
    checkValue(validation, language.value, entry, languageField, language.keyPosition);
  }
}

/** `maintenance.contractors` is mandatory for type contract, `maintenance.contacts` for internal and community. */
function checkMaintainers(validation: Validation, root: YamlMap): void {
  const maintenance = root.entries.find((entry) => entry.key === 'maintenance')?.value;
  if (maintenance?.kind !== 'map') return;
  const type = maintenance.entries.find((entry) => entry.key === 'type')?.value;
  if (type?.kind !== 'scalar') return;
  const needed = type.text === 'contract' ? 'contractors' : type.text === 'internal' || type.text === 'community' ? 'contacts' : null;
  if (needed === null) return;
  const list = maintenance.entries.find((entry) => entry.key === needed);
  const empty = list === undefined || isNull(list.value) || (list.value.kind === 'list' && list.value.items.length === 0);
  if (empty) {
    validation.error(
      `maintenance.${needed}`,
      list?.keyPosition ?? maintenance.position,
      `is required when maintenance type is "${type.text}": list at least one ${needed === 'contacts' ? 'person' : 'contractor'}`,
    );
  }
}

/** Logos, screenshots and the authors file: a path relative to the file (inside its repository) or an http(s) URL. */
function checkFileReference(validation: Validation, text: string, file: FileReference, field: string, at: Position): void {
  if (text.startsWith('/')) {
    return validation.error(field, at, `"${text}" is an absolute path: give a path relative to the repository's root, or an http(s) URL`);
  }
  if (/^file:/i.test(text)) {
    return validation.error(field, at, `"${text}" is a file: URL: give a path relative to the repository's root, or an http(s) URL`);
  }
  const isUrl = isHttpUrl(text);
  const filePath = isUrl ? new URL(text).pathname : text;
  const extension = path.extname(filePath).toLowerCase();
  if (file.extensions.length > 0 && !file.extensions.includes(extension)) {
    return validation.error(
      field,
      at,
      `"${text}" must be a ${file.extensions.map((item) => item.slice(1).toUpperCase()).join(' or ')} file`,
    );
  }
  const directory = validation.options.directory;
  if (isUrl || directory === undefined) return;
  const resolved = path.resolve(directory, text);
  const relative = path.relative(path.resolve(directory), resolved);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    return validation.error(field, at, `"${text}" points outside the repository; the file must be inside it`);
  }
  const stat = fs.statSync(resolved, { throwIfNoEntry: false });
  if (!stat?.isFile()) return validation.error(field, at, `"${text}" does not exist next to the publiccode.yml`);
  if (file.logo && extension === '.png') checkPngWidth(validation, resolved, text, field, at);
}

// The standard asks for logos at least 1000px wide; the reference validator, like us, refuses only those under 120px.
const minimumLogoWidth = 120;

function checkPngWidth(validation: Validation, filePath: string, text: string, field: string, at: Position): void {
  const header = Buffer.alloc(24);
  const descriptor = fs.openSync(filePath, 'r');
  try {
    fs.readSync(descriptor, header, 0, 24, 0);
  } finally {
    fs.closeSync(descriptor);
  }
  const signature = header.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  if (!signature || header.toString('latin1', 12, 16) !== 'IHDR') return validation.error(field, at, `"${text}" is not a PNG image`);
  const width = header.readUInt32BE(16);
  if (width < minimumLogoWidth)
    validation.error(field, at, `"${text}" is ${width}px wide; a logo must be at least ${minimumLogoWidth}px wide`);
}
