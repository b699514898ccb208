/** Typed access to untyped JSON (an OCDS release), recording a path-named error for each wrong shape. */

export type JsonObject = Record<string, unknown>;

/** Where drafting reports what it finds; a release with any error is refused rather than half imported. */
export interface DraftReader {
  error(path: string, message: string): void;
  warn(path: string, message: string): void;
  errorCount(): number;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function optionalText(reader: DraftReader, object: JsonObject, key: string, path: string): string | null {
  const value = object[key];
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  // Identifiers are strings in OCDS, but Contracts Finder writes some (item and milestone ids) as numbers.
  if (typeof value === 'number') return String(value);
  fail(reader, `${path}.${key}`, `must be text, not ${describeJson(value)}`);
  return null;
}

export function requiredText(reader: DraftReader, object: JsonObject, key: string, path: string): string | null {
  const value = tidyText(optionalText(reader, object, key, path));
  if (value === null) fail(reader, `${path}.${key}`, 'is missing but required');
  return value;
}

export function optionalArray(reader: DraftReader, object: JsonObject, key: string, path: string): unknown[] {
  const value = object[key];
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value as unknown[];
  fail(reader, `${path}.${key}`, `must be a list, not ${describeJson(value)}`);
  return [];
}

export function optionalObject(reader: DraftReader, object: JsonObject, key: string, path: string): JsonObject | null {
  const value = object[key];
  if (value === undefined || value === null) return null;
  if (isObject(value)) return value;
  fail(reader, `${path}.${key}`, `must be an object, not ${describeJson(value)}`);
  return null;
}

export function textItem(reader: DraftReader, value: unknown, path: string): string[] {
  if (typeof value === 'string') return [value];
  fail(reader, path, `must be text, not ${describeJson(value)}`);
  return [];
}

/** Items without ids still need a stable key; their position in the release is the best the file offers. */
export function positionalId(reader: DraftReader, path: string, index: number): string {
  reader.warn(path, 'has no id, so it is keyed by its position; re-publishing in another order would duplicate it');
  return `#${index}`;
}

export function describeJson(value: unknown): string {
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Contracts Finder pads titles with spaces; empty strings mean "not stated". */
export function tidyText(value: string | null): string | null {
  if (value === null) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

export function fail(reader: DraftReader, path: string, message: string): void {
  reader.error(path, message);
}
