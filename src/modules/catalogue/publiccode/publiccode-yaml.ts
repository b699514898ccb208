import {
  CST,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  parseDocument,
  type Alias,
  type Document,
  type Node,
  type Scalar,
  type YAMLMap,
} from 'yaml';

/**
 * Reads untrusted YAML into a small tree that keeps each key's line and column, within limits:
 * a publiccode.yml is a few hundred keys, so a file far beyond that is refused before it can cost much.
 * The limits are checked on the raw tokens first (cheap and linear), then again while aliases are expanded,
 * so neither a "billion laughs" of nested aliases nor tens of thousands of keys can hold the server.
 */

export interface Position {
  line: number;
  column: number;
}

export type YamlValue = YamlMap | YamlList | YamlScalar;

export interface YamlMap {
  kind: 'map';
  entries: YamlEntry[];
  position: Position;
}

export interface YamlList {
  kind: 'list';
  items: YamlValue[];
  position: Position;
}

export interface YamlScalar {
  kind: 'scalar';
  /** The value as YAML 1.2 reads it: a string, number, boolean or null. */
  value: string | number | boolean | bigint | null;
  /** The text as written (the source of a plain scalar, the contents of a quoted one). */
  text: string;
  quoted: boolean;
  position: Position;
}

export interface YamlEntry {
  key: string;
  keyPosition: Position;
  value: YamlValue;
}

export interface YamlLimits {
  /** Characters in the whole file. */
  maxCharacters: number;
  /** Keys and list items, counted again as aliases are expanded. */
  maxEntries: number;
  /** Alias uses (`*name`) in the file. */
  maxAliases: number;
  /** Nesting of maps and lists. */
  maxDepth: number;
}

export const defaultYamlLimits: YamlLimits = { maxCharacters: 1_000_000, maxEntries: 10_000, maxAliases: 100, maxDepth: 64 };

export interface YamlProblem {
  message: string;
  position: Position;
}

export type YamlReading = { ok: true; root: YamlValue | null } | { ok: false; problems: YamlProblem[] };

const start: Position = { line: 1, column: 1 };

class Refusal extends Error {
  constructor(
    message: string,
    readonly position: Position = start,
  ) {
    super(message);
  }
}

/** Parses YAML text within the limits; every problem has a line and column. Never throws. */
export function readYaml(text: string, limits: YamlLimits = defaultYamlLimits): YamlReading {
  try {
    if (text.length > limits.maxCharacters) {
      throw new Refusal(
        `The file is ${text.length.toLocaleString('en-GB')} characters long; the most accepted is ${limits.maxCharacters.toLocaleString('en-GB')}`,
      );
    }
    const source = text.replace(/^\uFEFF/, '');
    checkTokens(source, limits);
    const lineCounter = new LineCounter();
    // Duplicate keys are found below in linear time: the library's own check compares every pair of keys.
    const document = parseDocument(source, { lineCounter, uniqueKeys: false, prettyErrors: false, keepSourceTokens: false });
    if (document.errors.length > 0) {
      return {
        ok: false,
        problems: document.errors.map((error) => ({
          message:
            error.code === 'MULTIPLE_DOCS'
              ? 'The file holds more than one YAML document (separated by ---); a publiccode.yml is one document'
              : `The YAML is not well formed: ${firstSentence(error.message)}`,
          position: positionOf(lineCounter, error.pos[0]),
        })),
      };
    }
    const reader = new TreeReader(document, lineCounter, limits);
    const root = document.contents === null ? null : reader.read(document.contents, 0);
    return reader.problems.length > 0 ? { ok: false, problems: reader.problems } : { ok: true, root };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, problems: [{ message: error.message, position: error.position }] };
    // A stack overflow inside the YAML library is refused like any other over-large input.
    if (error instanceof RangeError)
      return { ok: false, problems: [{ message: 'The YAML is nested too deeply to read', position: start }] };
    throw error;
  }
}

/** Counts keys, list items and flow nesting on the raw tokens, before any tree is built. */
function checkTokens(source: string, limits: YamlLimits): void {
  let entries = 0;
  let aliases = 0;
  let flowDepth = 0;
  for (const token of new Lexer().lex(source)) {
    const type = CST.tokenType(token);
    if (type === 'map-value-ind' || type === 'seq-item-ind' || type === 'comma') entries += 1;
    else if (type === 'alias') aliases += 1;
    else if (type === 'flow-map-start' || type === 'flow-seq-start') flowDepth += 1;
    else if (type === 'flow-map-end' || type === 'flow-seq-end') flowDepth = Math.max(0, flowDepth - 1);
    if (entries > limits.maxEntries) throw tooManyEntries(limits);
    if (aliases > limits.maxAliases) throw tooManyAliases(limits);
    if (flowDepth > limits.maxDepth) throw tooDeep(limits);
  }
}

const tooManyEntries = (limits: YamlLimits) =>
  new Refusal(`The file has more than ${limits.maxEntries.toLocaleString('en-GB')} keys and list items; a publiccode.yml needs far fewer`);
const tooManyAliases = (limits: YamlLimits) =>
  new Refusal(`The file uses more than ${limits.maxAliases} YAML aliases (*name); a publiccode.yml needs few or none`);
const tooDeep = (limits: YamlLimits) => new Refusal(`The YAML is nested more than ${limits.maxDepth} levels deep`);

/** Builds the tree, expanding aliases within the limits and finding duplicate keys. */
class TreeReader {
  readonly problems: YamlProblem[] = [];
  private entries = 0;
  private aliases = 0;
  private readonly expanding = new Set<Node>();

  constructor(
    private readonly document: Document.Parsed,
    private readonly lineCounter: LineCounter,
    private readonly limits: YamlLimits,
  ) {}

  read(node: Node, depth: number): YamlValue {
    if (depth > this.limits.maxDepth) throw tooDeep(this.limits);
    if (isAlias(node)) return this.readAlias(node, depth);
    if (this.expanding.has(node))
      throw new Refusal('A YAML alias refers to the value that contains it, which would never end', this.position(node));
    this.expanding.add(node);
    try {
      if (isMap(node)) return this.readMap(node, depth);
      if (isSeq(node)) {
        const items = node.items.map((item) => {
          this.count();
          return this.read(item as Node, depth + 1);
        });
        return { kind: 'list', items, position: this.position(node) };
      }
      return this.readScalar(node);
    } finally {
      this.expanding.delete(node);
    }
  }

  private readAlias(node: Alias, depth: number): YamlValue {
    this.aliases += 1;
    if (this.aliases > this.limits.maxAliases) throw tooManyAliases(this.limits);
    const target = node.resolve(this.document) as Node | undefined;
    if (target === undefined) throw new Refusal(`The alias *${node.source} names no anchor`, this.position(node));
    if (this.expanding.has(target)) {
      throw new Refusal(`The alias *${node.source} refers to the value that contains it, which would never end`, this.position(node));
    }
    return this.read(target, depth);
  }

  private readMap(node: YAMLMap, depth: number): YamlMap {
    const entries: YamlEntry[] = [];
    const seen = new Map<string, Position>();
    const merged: YamlEntry[] = [];
    for (const pair of node.items) {
      this.count();
      const keyNode = pair.key as Node | null;
      const keyPosition = keyNode ? this.position(keyNode) : this.position(node);
      const value: YamlValue =
        pair.value === null || pair.value === undefined
          ? { kind: 'scalar', value: null, text: '', quoted: false, position: keyPosition }
          : this.read(pair.value as Node, depth + 1);
      const key = this.keyText(keyNode);
      // YAML 1.1 merge keys (`<<: *defaults`), which the reference reader also honours.
      if (key === '<<' && isScalar(keyNode) && keyNode.type === 'PLAIN') {
        const sources = value.kind === 'list' ? value.items : [value];
        for (const source of sources) if (source.kind === 'map') merged.push(...source.entries);
        continue;
      }
      const first = seen.get(key);
      if (first !== undefined) {
        this.problems.push({
          message: `The key "${key}" appears twice in the same map (first on line ${first.line})`,
          position: keyPosition,
        });
        continue;
      }
      seen.set(key, keyPosition);
      entries.push({ key, keyPosition, value });
    }
    for (const entry of merged) {
      if (seen.has(entry.key)) continue;
      seen.set(entry.key, entry.keyPosition);
      entries.push(entry);
    }
    return { kind: 'map', entries, position: this.position(node) };
  }

  private readScalar(node: Scalar): YamlScalar {
    const value = node.value;
    const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
    const primitive =
      value === null || value === undefined
        ? null
        : typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint'
          ? value
          : JSON.stringify(value);
    const text = typeof primitive === 'string' ? primitive : primitive === null ? '' : (node.source ?? String(primitive));
    return { kind: 'scalar', value: primitive, text, quoted, position: this.position(node) };
  }

  private keyText(keyNode: Node | null): string {
    if (keyNode === null) return '';
    if (isScalar(keyNode)) {
      const value: unknown = keyNode.value;
      if (value === null || value === undefined) return '';
      return typeof value === 'string' ? value : (keyNode.source ?? JSON.stringify(value));
    }
    return keyNode.toString();
  }

  private count(): void {
    this.entries += 1;
    if (this.entries > this.limits.maxEntries) throw tooManyEntries(this.limits);
  }

  private position(node: Node): Position {
    return node.range ? positionOf(this.lineCounter, node.range[0]) : start;
  }
}

function positionOf(lineCounter: LineCounter, offset: number): Position {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function firstSentence(message: string): string {
  return (message.split('\n', 1)[0] ?? message).replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, '');
}

/** The tree as plain data (maps become objects), for keeping the whole document with a component. */
export function toPlain(value: YamlValue | null): unknown {
  if (value === null) return null;
  if (value.kind === 'scalar') return typeof value.value === 'bigint' ? value.text : value.value;
  if (value.kind === 'list') return value.items.map(toPlain);
  const result: Record<string, unknown> = {};
  for (const entry of value.entries) {
    if (entry.key === '__proto__') continue;
    result[entry.key] = toPlain(entry.value);
  }
  return result;
}
