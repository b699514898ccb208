import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { deriveComponentSlug } from './component-slug.js';
import { isCountryExtensionKey, publiccodeFields, type FieldShape } from './publiccode-fields.js';
import {
  developmentStatuses,
  maintenanceTypes,
  type ComponentDraft,
  type ComponentLocalisation,
  type ComponentMaintainer,
  type DevelopmentStatus,
  type HostingOption,
  type MaintainerRole,
  type MaintenanceType,
  type PubliccodeIssue,
  type PubliccodeParseResult,
} from './publiccode-types.js';

const knownVersions = /^0\.[1-4](\.\d+)?$/;

// softwareType values across versions; "standalone" is the 0.1 spelling before it was split up.
const knownSoftwareTypes = new Set([
  'standalone/mobile',
  'standalone/iot',
  'standalone/desktop',
  'standalone/web',
  'standalone/backend',
  'standalone/other',
  'standalone',
  'addon',
  'library',
  'configurationFiles',
]);

// Only software that runs on a server can be hosted by a council; desktop apps and libraries have no hosting option.
const selfHostedSoftwareTypes = new Set(['standalone/web', 'standalone/backend']);

const repositoryUrlProtocols = new Set(['http:', 'https:', 'git:', 'ssh:', 'git+ssh:']);

/** Everything the field readers share while one file is read. */
interface ReadContext {
  document: Document.Parsed;
  /** The YAML node at each dotted path, so readers and messages can find values and lines. */
  nodes: Map<string, Node | null>;
  lines: Map<string, number>;
  errors: PubliccodeIssue[];
  warnings: PubliccodeIssue[];
}

/** Reads a publiccode.yml file (versions 0.1 to 0.4) into a catalogue component draft, naming every problem by field and line. */
export function parsePubliccode(text: string, fileName?: string): PubliccodeParseResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter, prettyErrors: true });
  const prefix = fileName === undefined ? '' : `${fileName}: `;

  if (document.errors.length > 0) {
    return {
      ok: false,
      errors: document.errors.map((error) => ({
        field: '',
        // The pretty message repeats the source lines beneath the first line; the line number is kept separately.
        message: `${prefix}YAML is not well formed: ${firstLine(error.message).replace(/:$/, '')}`,
        line: error.linePos?.[0].line,
      })),
    };
  }
  if (!isMap(document.contents)) {
    const what = document.contents === null ? 'empty' : 'not a map of fields';
    return {
      ok: false,
      errors: [
        { field: '', message: `${prefix}the file is ${what}; publiccode.yml starts with fields such as "name:" and "url:"`, line: 1 },
      ],
    };
  }

  const context: ReadContext = { document, nodes: new Map(), lines: new Map(), errors: [], warnings: [] };
  for (const warning of document.warnings) {
    context.warnings.push({ field: '', message: firstLine(warning.message), line: warning.linePos?.[0].line });
  }
  indexNodes(context, lineCounter, document.contents, '', publiccodeFields);

  const component = readComponent(context, document.toJS());
  if (context.errors.length > 0 || component === null) {
    return { ok: false, errors: context.errors.map((issue) => withPrefix(issue, prefix)) };
  }
  return { ok: true, component, warnings: context.warnings.map((issue) => withPrefix(issue, prefix)) };
}

function readComponent(context: ReadContext, raw: unknown): ComponentDraft | null {
  const publiccodeVersion = readVersion(context);
  const name = readRequiredText(context, 'name');
  const codeRepositoryUrl = readRequiredText(context, 'url');
  if (codeRepositoryUrl !== null) checkUrl(context, 'url', codeRepositoryUrl, repositoryUrlProtocols);
  const landingUrl = readUrl(context, 'landingURL');
  const releaseDate = readDate(context, 'releaseDate');
  const developmentStatus = readDevelopmentStatus(context);
  const softwareType = readSoftwareType(context);
  const description = readDescription(context);
  const licence = readLicence(context);
  const maintenanceType = readMaintenanceType(context);
  const maintainers = readMaintainers(context);
  const localisation = readLocalisation(context);
  expectMap(context, 'intendedAudience');
  const logoUrl = readLogo(context, codeRepositoryUrl);

  if (name === null || codeRepositoryUrl === null || description === null) return null;
  return {
    slug: deriveComponentSlug(name),
    name,
    kind: 'software',
    summary: description.summary,
    description: description.longDescription,
    descriptionLanguage: description.language,
    problem: null,
    serviceAreas: readTextList(context, 'categories'),
    licence,
    codeRepositoryUrl,
    documentationUrl: description.documentationUrl,
    apiDocumentationUrl: description.apiDocumentationUrl,
    landingUrl,
    developmentStatus,
    softwareType,
    hostingOptions: hostingOptionsFor(softwareType),
    maintenanceType,
    maintainers,
    releaseDate,
    softwareVersion: readText(context, 'softwareVersion'),
    logoUrl,
    features: description.features,
    platforms: readTextList(context, 'platforms'),
    usedBy: readTextList(context, 'usedBy'),
    localisation,
    publiccodeVersion,
    raw,
  };
}

function readVersion(context: ReadContext): string | null {
  // Drafts before 0.2 spelt the key "publiccode-yaml-version"; both name the same thing.
  const field = context.nodes.has('publiccodeYmlVersion') ? 'publiccodeYmlVersion' : 'publiccode-yaml-version';
  const version = readText(context, field);
  if (version === null) {
    warn(context, 'publiccodeYmlVersion', 'is missing; the file was read as publiccode.yml version 0.4');
  } else if (!knownVersions.test(version)) {
    warn(context, field, `"${version}" is not a publiccode.yml version this importer knows (0.1 to 0.4); the file was read as version 0.4`);
  }
  return version;
}

interface DescriptionFields {
  language: string;
  summary: string;
  longDescription: string;
  features: string[];
  documentationUrl: string | null;
  apiDocumentationUrl: string | null;
}

function readDescription(context: ReadContext): DescriptionFields | null {
  const node = context.nodes.get('description');
  if (node === undefined || node === null) {
    fail(context, 'description', 'is required: give at least one language, e.g. "description: en: shortDescription: ..."');
    return null;
  }
  if (!expectMap(context, 'description') || !isMap(node)) return null;
  const languages = node.items.flatMap((pair) => (isScalar(pair.key) ? [String(pair.key.value)] : []));
  const language = chooseLanguage(languages);
  if (language === null) {
    fail(context, 'description', 'has no languages: give at least one, e.g. "description: en: shortDescription: ..."');
    return null;
  }
  if (language !== 'en') {
    const reason = language.startsWith('en-') ? 'there is no plain "en" description' : 'there is no English description';
    warn(context, `description.${language}`, `${reason}, so the ${language} description was used`);
  }
  const base = `description.${language}`;
  if (!expectMap(context, base)) return null;
  const summary = readRequiredText(context, `${base}.shortDescription`);
  const longDescription = readText(context, `${base}.longDescription`);
  if (longDescription === null) warn(context, `${base}.longDescription`, 'is missing; the component has no long description');
  if (summary === null) return null;
  return {
    language,
    summary,
    longDescription: longDescription ?? '',
    features: readTextList(context, `${base}.features`),
    documentationUrl: readUrl(context, `${base}.documentation`),
    apiDocumentationUrl: readUrl(context, `${base}.apiDocumentation`),
  };
}

/** Prefers "en", then British or American English, then any English, then the first language in the file. */
function chooseLanguage(languages: string[]): string | null {
  for (const preferred of ['en', 'en-GB', 'en-US']) {
    const match = languages.find((language) => language.toLowerCase() === preferred.toLowerCase());
    if (match !== undefined) return match;
  }
  return languages.find((language) => language.toLowerCase().startsWith('en-')) ?? languages[0] ?? null;
}

function readLicence(context: ReadContext): string | null {
  if (!expectMap(context, 'legal')) return null;
  const licence = readText(context, 'legal.license');
  if (licence === null) warn(context, 'legal.license', 'is missing; the component has no licence recorded');
  else if (!/^[A-Za-z0-9.+\-() ]+$/.test(licence))
    fail(context, 'legal.license', `"${licence}" is not an SPDX licence expression such as "MIT" or "AGPL-3.0-or-later"`);
  return licence;
}

function readMaintenanceType(context: ReadContext): MaintenanceType | null {
  if (!expectMap(context, 'maintenance')) return null;
  const type = readText(context, 'maintenance.type');
  if (type === null) return null;
  if (!isOneOf(maintenanceTypes, type)) {
    fail(context, 'maintenance.type', `"${type}" is not one of ${maintenanceTypes.join(', ')}`);
    return null;
  }
  return type;
}

function readMaintainers(context: ReadContext): ComponentMaintainer[] {
  const found: ComponentMaintainer[] = [];
  const owner = (field: string, role: MaintainerRole): void => {
    const name = readText(context, field);
    if (name !== null) found.push({ name, kind: 'organisation', roles: [role] });
  };
  owner('legal.mainCopyrightOwner', 'copyright-owner');
  owner('legal.repoOwner', 'repository-owner');

  for (const path of listItemPaths(context, 'maintenance.contractors')) {
    if (!expectMap(context, path)) continue;
    const name = readRequiredText(context, `${path}.name`);
    const until = readDate(context, `${path}.until`);
    const email = readEmail(context, `${path}.email`);
    const website = readUrl(context, `${path}.website`);
    if (name === null) continue;
    found.push(dropAbsent({ name, email, kind: 'organisation', roles: ['contractor'], until, website }));
  }
  for (const path of listItemPaths(context, 'maintenance.contacts')) {
    if (!expectMap(context, path)) continue;
    const name = readRequiredText(context, `${path}.name`);
    const email = readEmail(context, `${path}.email`);
    const phone = readText(context, `${path}.phone`);
    const affiliation = readText(context, `${path}.affiliation`);
    if (name === null) continue;
    found.push(dropAbsent({ name, email, kind: 'person', roles: ['contact'], phone, affiliation }));
  }
  return mergeMaintainers(found);
}

/** The same organisation often owns both the copyright and the repository: list it once with both roles. */
function mergeMaintainers(maintainers: ComponentMaintainer[]): ComponentMaintainer[] {
  const merged = new Map<string, ComponentMaintainer>();
  for (const maintainer of maintainers) {
    const key = `${maintainer.kind}:${maintainer.name.toLowerCase()}`;
    const existing = merged.get(key);
    if (existing === undefined) {
      merged.set(key, { ...maintainer, roles: [...maintainer.roles] });
      continue;
    }
    for (const role of maintainer.roles) if (!existing.roles.includes(role)) existing.roles.push(role);
    existing.email ??= maintainer.email;
    existing.until ??= maintainer.until;
    existing.website ??= maintainer.website;
    existing.phone ??= maintainer.phone;
    existing.affiliation ??= maintainer.affiliation;
  }
  return [...merged.values()];
}

function readLocalisation(context: ReadContext): ComponentLocalisation | null {
  if (!context.nodes.has('localisation') || !expectMap(context, 'localisation')) return null;
  return {
    ready: readBoolean(context, 'localisation.localisationReady') ?? false,
    languages: readTextList(context, 'localisation.availableLanguages'),
  };
}

function readDevelopmentStatus(context: ReadContext): DevelopmentStatus | null {
  const status = readText(context, 'developmentStatus');
  if (status === null) {
    warn(context, 'developmentStatus', 'is missing; the development status is left blank');
    return null;
  }
  if (!isOneOf(developmentStatuses, status)) {
    fail(context, 'developmentStatus', `"${status}" is not one of ${developmentStatuses.join(', ')}`);
    return null;
  }
  return status;
}

function readSoftwareType(context: ReadContext): string | null {
  const type = readText(context, 'softwareType');
  // The vocabulary changed between versions, so an unfamiliar value is noted rather than refused.
  if (type !== null && !knownSoftwareTypes.has(type)) {
    warn(context, 'softwareType', `"${type}" is not a softwareType this importer knows; hosting options are left blank`);
  }
  return type;
}

function hostingOptionsFor(softwareType: string | null): HostingOption[] {
  return softwareType !== null && selfHostedSoftwareTypes.has(softwareType) ? ['self-hosted'] : [];
}

/** Logos are often paths inside the repository; GitHub and GitLab both serve those at <repository>/raw/HEAD/<path>. */
function readLogo(context: ReadContext, repositoryUrl: string | null): string | null {
  const logo = readText(context, 'logo');
  if (logo === null) return null;
  if (/^https?:\/\//i.test(logo)) return logo;
  const repository = repositoryUrl === null ? null : safeUrl(repositoryUrl);
  if (repository !== null && /(^|\.)(github\.com|gitlab\.com)$|gitlab/.test(repository.hostname)) {
    const base = repository.href.replace(/\.git$/, '').replace(/\/+$/, '');
    return `${base}/raw/HEAD/${logo.replace(/^\.?\/+/, '')}`;
  }
  warn(context, 'logo', `"${logo}" is a path inside a repository whose files this importer cannot address; the logo was left out`);
  return null;
}

// ---------------------------------------------------------------------------
// Indexing: one walk over the YAML tree records each node's path and line,
// and names every field that the publiccode.yml standard does not define.

function indexNodes(context: ReadContext, lineCounter: LineCounter, node: unknown, path: string, shape: FieldShape | null): void {
  const resolved = isAlias(node) ? node.resolve(context.document) : node;
  const current = resolved === undefined || resolved === null ? null : (resolved as Node);
  context.nodes.set(path, current);
  if (current?.range && !context.lines.has(path)) context.lines.set(path, lineCounter.linePos(current.range[0]).line);

  if (isMap(current)) {
    for (const pair of current.items) {
      if (!isScalar(pair.key)) {
        warn(context, path, 'has a key that is not plain text; it was ignored', lineOf(lineCounter, pair.key));
        continue;
      }
      const key = String(pair.key.value);
      const childPath = path === '' ? key : `${path}.${key}`;
      const line = lineOf(lineCounter, pair.key);
      if (line !== undefined) context.lines.set(childPath, line);
      const childShape = childShapeFor(context, shape, path, key, childPath);
      indexNodes(context, lineCounter, pair.value, childPath, childShape);
    }
  } else if (isSeq(current)) {
    const itemShape = shape?.kind === 'list' ? shape.item : shape?.kind === 'open' ? shape : null;
    current.items.forEach((item, index) => indexNodes(context, lineCounter, item, `${path}[${index}]`, itemShape));
  }
}

function childShapeFor(context: ReadContext, shape: FieldShape | null, path: string, key: string, childPath: string): FieldShape | null {
  if (shape === null) return null;
  switch (shape.kind) {
    case 'open':
      return shape;
    case 'languages':
      if (!/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(key))
        warn(context, childPath, `"${key}" does not look like a language code such as "en" or "en-GB"`);
      return shape.entry;
    case 'object': {
      const known = shape.fields[key];
      if (known !== undefined) return known;
      if (path === '' && isCountryExtensionKey(key)) return { kind: 'open' };
      warn(context, childPath, 'is not a publiccode.yml field; it was kept in the raw document but not imported');
      return null;
    }
    // A map where a value or list belongs: the field's reader reports it, so its insides need no checking.
    case 'value':
    case 'list':
      return null;
  }
}

function lineOf(lineCounter: LineCounter, node: unknown): number | undefined {
  if (node === null || typeof node !== 'object' || !('range' in node)) return undefined;
  const range = (node as Node).range;
  return range ? lineCounter.linePos(range[0]).line : undefined;
}

// ---------------------------------------------------------------------------
// Field readers: each returns a plain value (or null) and records any problem.

function readText(context: ReadContext, field: string): string | null {
  const node = context.nodes.get(field);
  if (node === undefined || node === null) return null;
  if (!isScalar(node)) {
    fail(context, field, `must be a single value, not a ${isSeq(node) ? 'list' : 'map'}`);
    return null;
  }
  const value = node.value;
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  // YAML reads "softwareVersion: 1.10" as the number 1.1; the source text keeps what the author wrote.
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return node.source ?? String(value);
  fail(context, field, 'must be text');
  return null;
}

function readRequiredText(context: ReadContext, field: string): string | null {
  const text = readText(context, field);
  if (text === null && !context.errors.some((issue) => issue.field === field)) fail(context, field, 'is required');
  return text;
}

function readTextList(context: ReadContext, field: string): string[] {
  const node = context.nodes.get(field);
  if (node === undefined || node === null) return [];
  if (isScalar(node)) {
    const single = readText(context, field);
    if (single === null) return [];
    warn(context, field, 'should be a list; the single value was read as a one-item list');
    return [single];
  }
  if (!isSeq(node)) {
    fail(context, field, 'must be a list');
    return [];
  }
  return node.items.flatMap((_, index) => {
    const item = readText(context, `${field}[${index}]`);
    return item === null ? [] : [item];
  });
}

function readBoolean(context: ReadContext, field: string): boolean | null {
  const node = context.nodes.get(field);
  if (node === undefined || node === null) return null;
  if (isScalar(node) && typeof node.value === 'boolean') return node.value;
  if (isScalar(node) && typeof node.value === 'string' && /^(true|false)$/i.test(node.value.trim())) {
    return node.value.trim().toLowerCase() === 'true';
  }
  fail(context, field, 'must be true or false');
  return null;
}

function readDate(context: ReadContext, field: string): string | null {
  const text = readText(context, field);
  if (text === null) return null;
  if (!isCalendarDate(text)) {
    fail(context, field, `"${text}" is not a date written YYYY-MM-DD`);
    return null;
  }
  return text;
}

function readUrl(context: ReadContext, field: string): string | null {
  const text = readText(context, field);
  if (text === null) return null;
  return checkUrl(context, field, text, new Set(['http:', 'https:'])) ? text : null;
}

function readEmail(context: ReadContext, field: string): string | null {
  const text = readText(context, field);
  if (text === null) return null;
  if (!/^[^\s@]+@[^\s@]+$/.test(text)) {
    fail(context, field, `"${text}" is not an email address`);
    return null;
  }
  return text;
}

function checkUrl(context: ReadContext, field: string, text: string, protocols: ReadonlySet<string>): boolean {
  const url = safeUrl(text);
  if (url === null || !protocols.has(url.protocol)) {
    fail(context, field, `"${text}" is not a web address starting https://`);
    return false;
  }
  return true;
}

function expectMap(context: ReadContext, field: string): boolean {
  const node = context.nodes.get(field);
  if (node === undefined || node === null || isMap(node)) return true;
  fail(context, field, 'must be a map of fields');
  return false;
}

function listItemPaths(context: ReadContext, field: string): string[] {
  const node = context.nodes.get(field);
  if (node === undefined || node === null) return [];
  if (!isSeq(node)) {
    fail(context, field, 'must be a list');
    return [];
  }
  return node.items.map((_, index) => `${field}[${index}]`);
}

// ---------------------------------------------------------------------------

function fail(context: ReadContext, field: string, message: string): void {
  context.errors.push(issueAt(context, field, message));
}

function warn(context: ReadContext, field: string, message: string, line?: number): void {
  context.warnings.push(issueAt(context, field, message, line));
}

function issueAt(context: ReadContext, field: string, message: string, line?: number): PubliccodeIssue {
  const at = line ?? nearestLine(context, field);
  return at === undefined ? { field, message } : { field, message, line: at };
}

/** A missing field has no line of its own, so point at the field that should have held it. */
function nearestLine(context: ReadContext, field: string): number | undefined {
  for (let path = field; path !== ''; path = path.replace(/(\.[^.[\]]+|\[\d+\])$/, '')) {
    const line = context.lines.get(path);
    if (line !== undefined) return line;
    if (!/(\.[^.[\]]+|\[\d+\])$/.test(path)) break;
  }
  return undefined;
}

function withPrefix(issue: PubliccodeIssue, prefix: string): PubliccodeIssue {
  return prefix === '' ? issue : { ...issue, message: `${prefix}${issue.message}` };
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}

function isOneOf<T extends string>(allowed: readonly T[], value: string): value is T {
  return (allowed as readonly string[]).includes(value);
}

function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function safeUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/** Leaves optional maintainer fields out rather than setting them to null, matching the optional properties. */
function dropAbsent(maintainer: {
  name: string;
  kind: ComponentMaintainer['kind'];
  roles: MaintainerRole[];
  email?: string | null;
  until?: string | null;
  website?: string | null;
  phone?: string | null;
  affiliation?: string | null;
}): ComponentMaintainer {
  const result: ComponentMaintainer = { name: maintainer.name, kind: maintainer.kind, roles: maintainer.roles };
  if (maintainer.email) result.email = maintainer.email;
  if (maintainer.until) result.until = maintainer.until;
  if (maintainer.website) result.website = maintainer.website;
  if (maintainer.phone) result.phone = maintainer.phone;
  if (maintainer.affiliation) result.affiliation = maintainer.affiliation;
  return result;
}
