import { deriveComponentSlug } from './component-slug.js';
import {
  developmentStatuses,
  maintenanceTypes,
  type ComponentDraft,
  type ComponentMaintainer,
  type HostingOption,
  type MaintainerRole,
  type PubliccodeIssue,
  type PubliccodeParseResult,
} from './publiccode-types.js';
import { validatePubliccode, type PubliccodeValidationOptions } from './publiccode-validator.js';
import { toPlain, type YamlMap, type YamlValue } from './publiccode-yaml.js';

// Only software that runs on a server can be hosted by a council; desktop apps and libraries have no hosting option.
const selfHostedSoftwareTypes = new Set(['standalone/web', 'standalone/backend']);

/**
 * Reads a publiccode.yml file (versions 0.2 to 0.4) into a catalogue component draft.
 * The file is first validated against the standard: any error refuses it; warnings come back with the draft.
 */
export function parsePubliccode(text: string, fileName?: string, options: PubliccodeValidationOptions = {}): PubliccodeParseResult {
  const prefix = fileName === undefined ? '' : `${fileName}: `;
  const withPrefix = (issue: PubliccodeIssue): PubliccodeIssue =>
    prefix === '' ? issue : { ...issue, message: `${prefix}${issue.message}` };
  const validation = validatePubliccode(text, options);
  if (validation.errors.length > 0 || validation.root?.kind !== 'map') {
    return { ok: false, errors: validation.errors.map(withPrefix) };
  }
  return { ok: true, component: readComponent(validation.root, validation.version), warnings: validation.warnings.map(withPrefix) };
}

/** Maps a valid file onto the catalogue's fields; validation has already checked every type. */
function readComponent(root: YamlMap, version: string | null): ComponentDraft {
  const name = textAt(root, 'name') ?? '';
  const codeRepositoryUrl = textAt(root, 'url') ?? '';
  const descriptions = valueAt(root, 'description');
  const languages = descriptions?.kind === 'map' ? descriptions.entries.map((entry) => entry.key) : [];
  const language = chooseLanguage(languages) ?? 'en';
  const softwareType = textAt(root, 'softwareType');
  const developmentStatus = textAt(root, 'developmentStatus');
  const maintenanceType = textAt(root, 'maintenance', 'type');
  return {
    slug: deriveComponentSlug(name),
    name,
    kind: 'software',
    summary: textAt(root, 'description', language, 'shortDescription') ?? '',
    description: textAt(root, 'description', language, 'longDescription') ?? '',
    descriptionLanguage: language,
    problem: null,
    serviceAreas: textsAt(root, 'categories'),
    licence: textAt(root, 'legal', 'license'),
    codeRepositoryUrl,
    documentationUrl: textAt(root, 'description', language, 'documentation'),
    apiDocumentationUrl: textAt(root, 'description', language, 'apiDocumentation'),
    landingUrl: textAt(root, 'landingURL'),
    developmentStatus: isOneOf(developmentStatuses, developmentStatus) ? developmentStatus : null,
    softwareType,
    hostingOptions: softwareType !== null && selfHostedSoftwareTypes.has(softwareType) ? (['self-hosted'] satisfies HostingOption[]) : [],
    maintenanceType: isOneOf(maintenanceTypes, maintenanceType) ? maintenanceType : null,
    maintainers: readMaintainers(root),
    releaseDate: textAt(root, 'releaseDate'),
    softwareVersion: textAt(root, 'softwareVersion'),
    logoUrl: logoAddress(textAt(root, 'logo'), codeRepositoryUrl),
    features: textsAt(root, 'description', language, 'features'),
    platforms: textsAt(root, 'platforms'),
    usedBy: textsAt(root, 'usedBy'),
    localisation: valueAt(root, 'localisation')
      ? {
          ready: isTrue(valueAt(root, 'localisation', 'localisationReady')),
          languages: textsAt(root, 'localisation', 'availableLanguages'),
        }
      : null,
    publiccodeVersion: version,
    raw: toPlain(root),
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

function readMaintainers(root: YamlMap): ComponentMaintainer[] {
  const found: ComponentMaintainer[] = [];
  const owner = (field: string, role: MaintainerRole): void => {
    const name = textAt(root, 'legal', field);
    if (name !== null) found.push({ name, kind: 'organisation', roles: [role] });
  };
  owner('mainCopyrightOwner', 'copyright-owner');
  owner('repoOwner', 'repository-owner');
  for (const entry of mapsAt(root, 'maintenance', 'contractors')) {
    const name = textAt(entry, 'name');
    if (name === null) continue;
    const fields = { email: textAt(entry, 'email'), until: textAt(entry, 'until'), website: textAt(entry, 'website') };
    found.push(dropAbsent({ name, kind: 'organisation', roles: ['contractor'], ...fields }));
  }
  for (const entry of mapsAt(root, 'maintenance', 'contacts')) {
    const name = textAt(entry, 'name');
    if (name === null) continue;
    const fields = { email: textAt(entry, 'email'), phone: textAt(entry, 'phone'), affiliation: textAt(entry, 'affiliation') };
    found.push(dropAbsent({ name, kind: 'person', roles: ['contact'], ...fields }));
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

/** Logos are often paths inside the repository; GitHub and GitLab both serve those at <repository>/raw/HEAD/<path>. */
function logoAddress(logo: string | null, repositoryUrl: string): string | null {
  if (logo === null) return null;
  if (/^https?:\/\//i.test(logo)) return logo;
  let repository: URL;
  try {
    repository = new URL(repositoryUrl);
  } catch {
    return null;
  }
  if (!/(^|\.)(github\.com|gitlab\.com)$|gitlab/.test(repository.hostname)) return null;
  const base = repository.href.replace(/\.git$/, '').replace(/\/+$/, '');
  return `${base}/raw/HEAD/${logo.replace(/^\.?\/+/, '')}`;
}

// ---------------------------------------------------------------------------
// Reading the validated tree.

function valueAt(root: YamlValue, ...keys: string[]): YamlValue | undefined {
  let current: YamlValue | undefined = root;
  for (const key of keys) {
    if (current?.kind !== 'map') return undefined;
    current = current.entries.find((entry) => entry.key === key)?.value;
  }
  return current;
}

function textAt(root: YamlValue, ...keys: string[]): string | null {
  const value = valueAt(root, ...keys);
  if (value?.kind !== 'scalar' || value.value === null) return null;
  const text = value.text.trim();
  return text === '' ? null : text;
}

function textsAt(root: YamlValue, ...keys: string[]): string[] {
  const value = valueAt(root, ...keys);
  if (value?.kind !== 'list') return [];
  return value.items.flatMap((item) =>
    item.kind === 'scalar' && item.value !== null && item.text.trim() !== '' ? [item.text.trim()] : [],
  );
}

function mapsAt(root: YamlValue, ...keys: string[]): YamlMap[] {
  const value = valueAt(root, ...keys);
  return value?.kind === 'list' ? value.items.filter((item): item is YamlMap => item.kind === 'map') : [];
}

function isTrue(value: YamlValue | undefined): boolean {
  if (value?.kind !== 'scalar') return false;
  return value.value === true || ['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON'].includes(value.text);
}

function isOneOf<T extends string>(allowed: readonly T[], value: string | null): value is T {
  return value !== null && (allowed as readonly string[]).includes(value);
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
