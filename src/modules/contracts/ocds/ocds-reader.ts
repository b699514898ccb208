import { setImmediate as nextTurn } from 'node:timers/promises';
import { compactKey } from './compact-key.js';
import { createJsonStream, type JsonStreamHandler, JsonStreamError, type UnitPlace } from './json-stream.js';
import { draftRelease } from './ocds-drafts.js';
import { type DraftReader, isObject, type JsonObject } from './ocds-json-access.js';
import { IssueLog, renderPath, unitToken } from './ocds-issues.js';
import { ocdsValidators, type OcdsValidators, type SchemaProblem } from './ocds-schemas.js';
import type { ContractDraft, OcdsIssue, OcdsParseResult, OcdsReleaseSummary, OcdsShape } from './ocds-types.js';

/*
 * Longer than most files, for a reason: the reading state (units, pending releases, duplicate sets, grouped issues)
 * is shared by every shape's rules, and splitting the rules from it would scatter one state machine over files.
 */

/**
 * Reads OCDS data in every shape the standard publishes, validated against the standard's own schemas: release and
 * record packages, bare releases, compiled releases and records, a list of any of these, concatenated JSON or JSON
 * Lines. Versioned releases are recognised and refused with a message that says so. Packages are read release by
 * release from a stream of text, so memory stays flat however large the file.
 */

export interface OcdsReadLimits {
  /** Deepest nesting of objects and lists. OCDS itself needs about 12. */
  maxDepth: number;
  /** Largest single release, record or package member, in characters. */
  maxPieceChars: number;
  /** Paths kept per grouped message (the count covers the rest). */
  maxPathsPerIssue: number;
}

export const DEFAULT_OCDS_LIMITS: OcdsReadLimits = { maxDepth: 64, maxPieceChars: 64 * 1024 * 1024, maxPathsPerIssue: 50 };

export interface OcdsReadOptions {
  /** Check against the schemas (true), or only draft contracts from a file already checked (false). */
  validate?: boolean;
  limits?: Partial<OcdsReadLimits>;
  /** Each release read into contract drafts (not called for a release with an error). */
  onRelease?: (read: { summary: OcdsReleaseSummary; contracts: ContractDraft[] }) => void;
  /** Awaited after each chunk of text: the importer writes what it has gathered here. */
  afterChunk?: () => Promise<void>;
  /**
   * Each package's uri by unit, from an earlier reading: a package may state its uri after its releases (Contracts
   * Finder does), and contracts name their package as their source.
   */
  packageUris?: ReadonlyMap<number, string>;
}

export interface OcdsReadResult {
  shapes: OcdsShape[];
  /** One value, a top-level list, or several values one after another (concatenated JSON, JSON Lines). */
  layout: 'single' | 'list' | 'sequence';
  /** Releases read into contracts. */
  releases: number;
  errors: OcdsIssue[];
  warnings: OcdsIssue[];
  /** Each package's uri by unit, for a second reading. */
  packageUris: Map<number, string>;
}

const PACKAGE_KEYS = new Set(['uri', 'publisher', 'publishedDate', 'version', 'extensions', 'license', 'publicationPolicy', 'packages']);
const RECORD_KEYS = new Set(['ocid', 'compiledRelease', 'versionedRelease']);
const LINKED_RELEASE_KEYS = new Set(['url', 'date', 'tag']);
/** The form of every prefix in the Open Contracting Partnership's register (see data/reference/ocds/SOURCES.md). */
const REGISTERED_PREFIX = /^ocds-[a-z0-9]{6}/;

const SIMPLE_KEY = /^[A-Za-z_$][\w$]*$/;

interface UnitState {
  unit: number;
  path: string;
  head: JsonObject;
  lists: Set<string>;
  kind: 'undecided' | 'package' | 'record';
  pending: { index: number; value: unknown }[];
  pendingChars: number;
  releaseItems: number;
  recordItems: number;
  releaseKeys: Set<string>;
  recordOcids: Set<string>;
}

/** Reads OCDS text, chunk by chunk; never throws for anything in the text. */
export async function readOcds(chunks: AsyncIterable<string> | Iterable<string>, options: OcdsReadOptions = {}): Promise<OcdsReadResult> {
  const limits = { ...DEFAULT_OCDS_LIMITS, ...options.limits };
  const reading = createOcdsReading(limits, options);
  const stream = createJsonStream(reading.handler, limits);
  let layoutValues = { topLevelValues: 0, units: 0 };
  try {
    for await (const chunk of chunks) {
      stream.write(chunk);
      if (options.afterChunk) await options.afterChunk();
    }
    layoutValues = stream.end();
  } catch (error) {
    if (!(error instanceof JsonStreamError)) throw error;
    reading.errors.add('$', `the file is not valid JSON: ${error.message}`, { line: error.line, column: error.column });
  }
  const layout = reading.isTopLevelList() ? 'list' : layoutValues.topLevelValues > 1 ? 'sequence' : 'single';
  return {
    shapes: [...reading.shapes],
    layout,
    releases: reading.releasesRead(),
    packageUris: reading.packageUris,
    errors: reading.errors.render(layout),
    warnings: reading.warnings.render(layout),
  };
}

/** The text in chunks, letting other work run between them. */
export async function* textChunks(text: string, size = 1 << 20): AsyncIterable<string> {
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + size, text.length);
    // Never split a surrogate pair, so each chunk is whole characters (and hashes as the text does).
    if (end < text.length && /[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end -= 1;
    yield text.slice(start, end);
    start = end;
    await nextTurn();
  }
}

/**
 * The reading state behind the JSON stream: what each unit is, what it holds, and what is wrong with it. Over 80 lines
 * as one state machine's closure (see the note at the top), run for every unit of files of hundreds of megabytes.
 */
function createOcdsReading(limits: OcdsReadLimits, options: OcdsReadOptions) {
  const validate = options.validate ?? true;
  const validators: OcdsValidators | null = validate ? ocdsValidators() : null;
  const errors = new IssueLog(limits.maxPathsPerIssue);
  const warnings = new IssueLog(limits.maxPathsPerIssue);
  const shapes = new Set<OcdsShape>();
  const units = new Map<number, UnitState>();
  // Releases and records outside any package (a list or JSON Lines of them) must be unique across the file.
  const looseReleaseKeys = new Set<string>();
  const looseRecordOcids = new Set<string>();
  let releasesRead = 0;
  let topLevelList = false;

  const reader: DraftReader = {
    error: (path, message) => errors.add(path, message),
    warn: (path, message) => warnings.add(path, message),
    errorCount: () => errors.total,
  };

  const report = (base: string, problems: SchemaProblem[]): void => {
    for (const problem of problems) errors.add(`${base}${problem.path}`, problem.message);
  };

  /** Warns about "", [] and {} anywhere in a value, as the Data Review Tool does: empty fields should be left out. */
  const warnEmpty = (value: unknown, path: string): void => {
    // Segments are joined into a path only when something is empty: most values are not.
    const segments: string[] = [];
    const empty = () => warnings.add(`${path}${segments.join('')}`, 'is empty: leave out a field that has no value');
    const visit = (node: unknown): void => {
      if (typeof node === 'string') {
        if (node.trim() === '') empty();
      } else if (Array.isArray(node)) {
        if (node.length === 0) empty();
        for (let index = 0; index < node.length; index += 1) {
          segments.push(`[${index}]`);
          visit(node[index]);
          segments.pop();
        }
      } else if (isObject(node)) {
        let keys = 0;
        for (const key in node) {
          keys += 1;
          segments.push(SIMPLE_KEY.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);
          visit(node[key]);
          segments.pop();
        }
        if (keys === 0) empty();
      }
    };
    visit(value);
  };

  const checkOcidPrefix = (ocid: unknown, path: string): void => {
    if (typeof ocid === 'string' && ocid !== '' && !REGISTERED_PREFIX.test(ocid)) {
      warnings.add(path, 'does not start with a registered OCID prefix ("ocds-" and six letters or digits)');
    }
  };

  /** Checks one release and, when it is sound, drafts its contracts. Returns false when it has an error. */
  const readRelease = (release: unknown, path: string, releaseKeys: Set<string>, packageUri: string | null, draft = true): boolean => {
    const before = errors.total;
    if (!isObject(release)) {
      errors.add(path, 'must be an OCDS release (a JSON object)');
      return false;
    }
    if (looksVersioned(release)) {
      shapes.add('versioned-release');
      errors.add(
        path,
        'is a versioned release (each field holds its history as a list of releaseDate, releaseID and value), which this ' +
          'importer does not read: import the release package, or a record with its compiledRelease',
      );
      return false;
    }
    if (validators) {
      report(path, validators.release(release));
      warnEmpty(release, path);
      checkOcidPrefix(release.ocid, `${path}.ocid`);
      if (typeof release.ocid === 'string' && (typeof release.id === 'string' || typeof release.id === 'number')) {
        const key = compactKey(`${release.ocid}\u0000${String(release.id)}`);
        if (releaseKeys.has(key)) errors.add(path, 'has the same ocid and id as an earlier release (each release must have its own)');
        else releaseKeys.add(key);
      }
    }
    if (errors.total > before) return false;
    if (!draft) return true;
    const read = draftRelease(reader, release, path, packageUri);
    if (read === null) return false;
    releasesRead += 1;
    options.onRelease?.(read);
    return true;
  };

  const readLooseRelease = (release: JsonObject, path: string): void => {
    if (!looksVersioned(release))
      shapes.add(Array.isArray(release.tag) && release.tag.includes('compiled') ? 'compiled-release' : 'release');
    readRelease(release, path, looseReleaseKeys, null);
  };

  const readRecord = (record: unknown, path: string, recordOcids: Set<string>, packageUri: string | null): void => {
    shapes.add('record');
    const before = errors.total;
    if (!isObject(record)) {
      errors.add(path, 'must be an OCDS record (a JSON object)');
      return;
    }
    if (validators) {
      report(path, validators.record(record));
      warnEmpty({ ...record, releases: undefined }, path);
      checkOcidPrefix(record.ocid, `${path}.ocid`);
      if (typeof record.ocid === 'string') {
        const key = compactKey(record.ocid);
        if (recordOcids.has(key)) errors.add(`${path}.ocid`, 'is the ocid of an earlier record (each record must have its own)');
        else recordOcids.add(key);
      }
    }
    const releases = record.releases;
    const releasesPath = `${path}.releases`;
    const embedded: { release: JsonObject; path: string }[] = [];
    if (releases === undefined) errors.add(releasesPath, 'is missing but required');
    else if (!Array.isArray(releases)) errors.add(releasesPath, 'must be array');
    else {
      if (releases.length === 0) errors.add(releasesPath, 'must have at least 1 item');
      const linked = releases.filter((item) => isObject(item) && Object.keys(item).every((key) => LINKED_RELEASE_KEYS.has(key)));
      if (linked.length > 0 && linked.length < releases.length) {
        errors.add(
          releasesPath,
          'mixes linked releases (url, date and tag only) with embedded releases: the standard allows a list of one kind or the other',
        );
      }
      const keys = new Set<string>();
      releases.forEach((item: unknown, index) => {
        const itemPath = `${releasesPath}[${index}]`;
        if (linked.includes(item)) {
          if (validators) report(itemPath, validators.linkedRelease(item));
        } else if (readRelease(item, itemPath, keys, packageUri, false) && isObject(item)) {
          embedded.push({ release: item, path: itemPath });
        }
      });
    }
    if (errors.total > before) return;
    draftRecord(record, path, embedded, packageUri);
  };

  /** A compiled release holds the record's current state; without one, the newest embedded release is the best single view. */
  const draftRecord = (record: JsonObject, path: string, embedded: { release: JsonObject; path: string }[], packageUri: string | null) => {
    if (isObject(record.compiledRelease)) {
      shapes.add('compiled-release');
      readRelease(record.compiledRelease, `${path}.compiledRelease`, new Set(), packageUri);
      return;
    }
    if (embedded.length === 0) {
      warnings.add(path, 'has no compiled release and only linked releases, so nothing was imported from it');
      return;
    }
    const dateOf = (candidate: { release: JsonObject }): string =>
      typeof candidate.release.date === 'string' ? candidate.release.date : '';
    const latest = embedded.reduce((best, candidate) => (dateOf(candidate) >= dateOf(best) ? candidate : best));
    warnings.add(path, 'has no compiled release, so its latest embedded release was imported');
    readRelease(latest.release, latest.path, new Set(), packageUri);
  };

  const packageUris = new Map<number, string>();
  const packageUriOf = (state: UnitState): string | null =>
    options.packageUris?.get(state.unit) ?? (typeof state.head.uri === 'string' ? state.head.uri : null);

  const flushPending = (state: UnitState): void => {
    for (const { index, value } of state.pending) {
      readRelease(value, `${state.path}.releases[${index}]`, state.releaseKeys, packageUriOf(state));
    }
    state.pending = [];
    state.pendingChars = 0;
  };

  const checkVersion = (state: UnitState): void => {
    const version = state.head.version;
    if (version === undefined) {
      warnings.add(
        `${state.path}.version`,
        'is missing, so the package was read as OCDS 1.0 (as the standard says) against the 1.1 schema',
      );
    } else if (typeof version !== 'string' || !/^(\d+\.)(\d+)$/.test(version)) {
      errors.add(`${state.path}.version`, 'must be a version such as 1.1 (major.minor)');
    } else if (!version.startsWith('1.')) {
      errors.add(`${state.path}.version`, 'is not a version of OCDS 1 (1.0 or 1.1), which is what this importer reads');
    }
  };

  const finishPackage = (state: UnitState, list: 'releases' | 'records'): void => {
    shapes.add(list === 'releases' ? 'release-package' : 'record-package');
    if (list === 'releases') flushPending(state);
    const head = Object.fromEntries(Object.entries(state.head).filter(([key]) => key !== list));
    if (validators) {
      report(state.path, list === 'releases' ? validators.releasePackageHead(head) : validators.recordPackageHead(head));
      warnEmpty(head, state.path);
      checkVersion(state);
    }
    const listPath = `${state.path}.${list}`;
    if (!state.lists.has(list)) {
      errors.add(listPath, state.head[list] === undefined ? 'is missing but required' : 'must be array');
    } else if ((list === 'releases' ? state.releaseItems : state.recordItems) === 0) {
      errors.add(listPath, `must have at least 1 item: the package is empty (it holds no ${list})`);
    }
  };

  const finishObjectUnit = (state: UnitState): void => {
    const { head, lists } = state;
    const hasReleases = lists.has('releases') || head.releases !== undefined;
    const hasRecords = lists.has('records') || head.records !== undefined;
    if (hasRecords) {
      if (hasReleases) errors.add(state.path, 'has both releases and records: a package holds one or the other');
      finishPackage(state, 'records');
    } else if (hasReleases && head.ocid !== undefined) {
      const releases = lists.has('releases') ? state.pending.map(({ value }) => value) : head.releases;
      readRecord({ ...head, releases }, state.path, looseRecordOcids, null);
    } else if (hasReleases) {
      finishPackage(state, 'releases');
    } else if (head.ocid !== undefined) {
      readLooseRelease(head, state.path);
    } else {
      errors.add(
        state.path,
        Object.keys(head).length === 0
          ? 'is an empty object, not OCDS data: expected a release package, record package, release or record'
          : 'is not OCDS data: it has none of ocid, releases or records (expected a release package, record package, release or record)',
      );
    }
  };

  const handler: JsonStreamHandler = {
    unitStart(unit: number, place: UnitPlace, isObject: boolean) {
      if (place === 'array-element') topLevelList = true;
      if (!isObject) return;
      units.set(unit, {
        unit,
        path: unitToken(unit),
        head: {},
        lists: new Set(),
        kind: 'undecided',
        pending: [],
        pendingChars: 0,
        releaseItems: 0,
        recordItems: 0,
        releaseKeys: new Set(),
        recordOcids: new Set(),
      });
    },
    member(unit, key, value) {
      const state = units.get(unit) as UnitState;
      state.head[key] = value;
      if (key === 'uri' && typeof value === 'string') packageUris.set(unit, value);
      if (state.kind !== 'undecided') return;
      if (RECORD_KEYS.has(key)) state.kind = 'record';
      else if (PACKAGE_KEYS.has(key)) {
        state.kind = 'package';
        flushPending(state);
      }
    },
    listStart(unit, key) {
      (units.get(unit) as UnitState).lists.add(key);
    },
    item(unit, key, index, value, chars) {
      const state = units.get(unit) as UnitState;
      if (key === 'records') {
        state.recordItems += 1;
        readRecord(value, `${state.path}.records[${index}]`, state.recordOcids, packageUriOf(state));
        return;
      }
      state.releaseItems += 1;
      if (state.kind === 'package') {
        readRelease(value, `${state.path}.releases[${index}]`, state.releaseKeys, packageUriOf(state));
        return;
      }
      // A record's releases, or releases that come before anything that tells a package from a record.
      state.pending.push({ index, value });
      state.pendingChars += chars;
      if (state.kind === 'undecided' && state.pendingChars > limits.maxPieceChars) {
        // Far more than any one record holds: this is a package whose metadata comes after its releases.
        state.kind = 'package';
        flushPending(state);
      }
    },
    unitEnd(unit, value) {
      const state = units.get(unit);
      if (state === undefined) {
        errors.add(
          unitToken(unit),
          `is not OCDS data: expected a release package, record package, release or record, not ${describe(value)}`,
        );
        return;
      }
      units.delete(unit);
      finishObjectUnit(state);
    },
    topArrayEnd(count) {
      if (count === 0) errors.add('$', 'is an empty list: it holds no release package, record package, release or record');
    },
  };

  return { handler, errors, warnings, shapes, packageUris, releasesRead: () => releasesRead, isTopLevelList: () => topLevelList };
}

/** A versioned release keeps each field's history: lists of {releaseDate, releaseID, value} where a release has values. */
function looksVersioned(release: JsonObject): boolean {
  if (Array.isArray(release.initiationType)) return true;
  const isVersionList = (value: unknown): boolean =>
    Array.isArray(value) && isObject(value[0]) && 'releaseID' in value[0] && 'value' in value[0];
  for (const key of ['id', 'date', 'language']) if (isVersionList(release[key])) return true;
  for (const section of ['tender', 'buyer', 'planning']) {
    const value = release[section];
    if (isObject(value) && Object.values(value).some(isVersionList)) return true;
  }
  return false;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list inside a list';
  if (value === null) return 'null';
  if (typeof value === 'string') return 'text';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Reads a whole text at once, gathering every release and contract draft: for small files and tests. */
export async function parseOcds(text: string, options: Pick<OcdsReadOptions, 'limits'> = {}): Promise<OcdsParseResult> {
  const checked = await readOcds(textChunks(text), options);
  const { shapes, layout, errors, warnings } = checked;
  if (errors.length > 0) return { ok: false, shapes, layout, errors, warnings };
  const releases: OcdsReleaseSummary[] = [];
  const contracts: ContractDraft[] = [];
  await readOcds(textChunks(text), {
    ...options,
    validate: false,
    packageUris: checked.packageUris,
    onRelease: (read) => {
      releases.push({ ...read.summary, path: renderPath(read.summary.path, layout) });
      contracts.push(...read.contracts);
    },
  });
  return { ok: true, shapes, layout, errors, warnings, releases, contracts };
}
