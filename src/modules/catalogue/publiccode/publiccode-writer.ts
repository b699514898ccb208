import { stringify } from 'yaml';
import type { ComponentExport, ComponentMaintainer, MaintenanceType } from './publiccode-types.js';
import { graphemeLength, isEmail, isHttpUrl, isIsoDate, isLanguageTag, isSpdxExpression, isUrl } from './publiccode-values.js';
import { developmentStatuses, maintenanceTypes, publiccodeCategories, softwareTypes } from './publiccode-vocabularies.js';

export const writtenPubliccodeVersion = '0.4';

type YamlMap = Record<string, unknown>;

/**
 * Writes a catalogue component as a publiccode.yml version 0.4 document that passes the standard's validation.
 * Optional keys the catalogue does not know are left out. Mandatory keys the catalogue may lack get the plainest
 * value the standard allows, each explained beside it, so that what the catalogue does know is never lost to a refusal.
 */
export function toPubliccodeYaml(component: ComponentExport): string {
  const language = component.descriptionLanguage && isLanguageTag(component.descriptionLanguage) ? component.descriptionLanguage : 'en';
  const document: YamlMap = {
    publiccodeYmlVersion: writtenPubliccodeVersion,
    name: component.name,
    url: component.codeRepositoryUrl,
  };
  setIfPresent(document, 'landingURL', httpUrlOrNull(component.landingUrl));
  setIfPresent(document, 'softwareVersion', component.softwareVersion);
  setIfPresent(document, 'releaseDate', component.releaseDate && isIsoDate(component.releaseDate) ? component.releaseDate : null);
  setIfPresent(document, 'logo', logoOrNull(component.logoUrl));
  // Mandatory: software used through a browser is "web"; otherwise the standard allows any human-readable value.
  document.platforms = component.platforms.length > 0 ? component.platforms : [component.hostingOptions.length > 0 ? 'web' : 'other'];
  document.categories = categoriesOf(component.serviceAreas);
  setIfPresent(document, 'usedBy', component.usedBy);
  document.developmentStatus = developmentStatusOf(component);
  document.softwareType = softwareTypeOf(component);
  document.description = { [language]: descriptionOf(component) };
  document.legal = legalOf(component);
  document.maintenance = maintenanceOf(component);
  const languages = (component.localisation?.languages ?? []).filter(isLanguageTag);
  document.localisation = {
    localisationReady: component.localisation?.ready ?? false,
    availableLanguages: languages.length > 0 ? languages : [language],
  };
  // Quoting for YAML 1.1 as well keeps dates, versions and words such as "yes" as text for every reader.
  return stringify(document, { version: '1.1', lineWidth: 0 });
}

/** The standard's categories among the component's service areas; a component with none gets the broadest fitting one. */
function categoriesOf(serviceAreas: readonly string[]): string[] {
  const categories = serviceAreas.filter((area) => publiccodeCategories.has(area));
  return categories.length > 0 ? [...new Set(categories)] : ['digital-citizenship'];
}

/** Mandatory: a component with no recorded status counts as released ("stable") when it has a release, otherwise "development". */
function developmentStatusOf(component: ComponentExport): string {
  if (component.developmentStatus && (developmentStatuses as readonly string[]).includes(component.developmentStatus)) {
    return component.developmentStatus;
  }
  return component.releaseDate || component.softwareVersion ? 'stable' : 'development';
}

/** "standalone/other" is the standard's own word for a type nobody has stated. */
function softwareTypeOf(component: ComponentExport): string {
  if (component.softwareType && (softwareTypes as readonly string[]).includes(component.softwareType)) return component.softwareType;
  return component.hostingOptions.length > 0 ? 'standalone/web' : 'standalone/other';
}

const shortDescriptionLimit = 150;
const longDescriptionMinimum = 150;
const longDescriptionLimit = 10_000;

function descriptionOf(component: ComponentExport): YamlMap {
  const summary = truncate(component.summary.trim() === '' ? component.name : component.summary.trim(), shortDescriptionLimit);
  const description: YamlMap = { shortDescription: summary, longDescription: longDescriptionOf(component) };
  setIfPresent(description, 'documentation', httpUrlOrNull(component.documentationUrl));
  setIfPresent(description, 'apiDocumentation', httpUrlOrNull(component.apiDocumentationUrl ?? null));
  // Mandatory for at least one language: the summary is the one capability every component states.
  description.features = component.features.length > 0 ? component.features : [summary];
  return description;
}

/** The long description is 150 to 10,000 characters: a shorter one is completed with what the catalogue knows. */
function longDescriptionOf(component: ComponentExport): string {
  let text = component.description.trim();
  if (graphemeLength(text) < longDescriptionMinimum) {
    const where = component.landingUrl ?? component.codeRepositoryUrl;
    const lead = text === '' ? component.summary.trim() : text;
    text = [
      lead,
      `${component.name} is listed in Local Digital Commons, the catalogue of digital components that UK councils share and reuse. More about it: ${where}`,
    ]
      .filter((part) => part !== '')
      .join('\n\n');
  }
  if (graphemeLength(text) < longDescriptionMinimum) {
    text += '\n\nThis description was completed from the catalogue entry, whose own description is shorter than publiccode.yml asks.';
  }
  return truncate(text, longDescriptionLimit);
}

function legalOf(component: ComponentExport): YamlMap {
  const placed = placeMaintainers(component.maintainers);
  const legal: YamlMap = { license: licenceOf(component.licence) };
  setIfPresent(legal, 'mainCopyrightOwner', joinNames(placed.copyrightOwners));
  setIfPresent(legal, 'repoOwner', joinNames(placed.repositoryOwners));
  return legal;
}

/** Mandatory and an SPDX expression: a licence named in other words is kept as a LicenseRef, an unknown one says so. */
function licenceOf(licence: string | null): string {
  const text = licence?.trim() ?? '';
  if (text !== '' && isSpdxExpression(text)) return text;
  const reference = text.replace(/[^A-Za-z0-9.]+/g, '-').replace(/^-+|-+$/g, '');
  return `LicenseRef-${reference === '' ? 'not-stated' : reference}`;
}

function maintenanceOf(component: ComponentExport): YamlMap {
  const placed = placeMaintainers(component.maintainers);
  const contractors = placed.contractors.flatMap(contractorEntry);
  const contacts = placed.contacts.map(contactEntry);
  const type = maintenanceTypeOf(component.maintenanceType ?? null, contractors.length, contacts.length);
  const maintenance: YamlMap = { type };
  // The standard defines contractors for contract maintenance only.
  if (type === 'contract') setIfPresent(maintenance, 'contractors', contractors);
  setIfPresent(maintenance, 'contacts', contacts);
  return maintenance;
}

/** The stated type when the people it needs are listed (contractors for "contract", contacts for "internal" or "community"). */
function maintenanceTypeOf(stated: MaintenanceType | null, contractors: number, contacts: number): MaintenanceType {
  const satisfied = (type: MaintenanceType) => type === 'none' || (type === 'contract' ? contractors > 0 : contacts > 0);
  if (stated !== null && (maintenanceTypes as readonly string[]).includes(stated) && satisfied(stated)) return stated;
  if (contractors > 0) return 'contract';
  if (contacts > 0) return 'community';
  return 'none';
}

interface PlacedMaintainers {
  copyrightOwners: ComponentMaintainer[];
  repositoryOwners: ComponentMaintainer[];
  contractors: ComponentMaintainer[];
  contacts: ComponentMaintainer[];
}

/** Puts each maintainer where publiccode.yml keeps that role; maintainers entered without a role go where their kind fits best. */
function placeMaintainers(maintainers: ComponentMaintainer[]): PlacedMaintainers {
  const placed: PlacedMaintainers = { copyrightOwners: [], repositoryOwners: [], contractors: [], contacts: [] };
  const unplaced: ComponentMaintainer[] = [];
  for (const maintainer of maintainers) {
    if (maintainer.roles.includes('copyright-owner')) placed.copyrightOwners.push(maintainer);
    if (maintainer.roles.includes('repository-owner')) placed.repositoryOwners.push(maintainer);
    if (maintainer.roles.includes('contractor')) placed.contractors.push(maintainer);
    if (maintainer.roles.includes('contact')) placed.contacts.push(maintainer);
    if (maintainer.roles.length === 0) unplaced.push(maintainer);
  }
  for (const maintainer of unplaced) {
    if (maintainer.kind === 'person') placed.contacts.push(maintainer);
    else if (placed.repositoryOwners.length === 0) placed.repositoryOwners.push(maintainer);
    else if (placed.copyrightOwners.length === 0) placed.copyrightOwners.push(maintainer);
    else placed.contractors.push(maintainer);
  }
  return placed;
}

/** A contractor needs the date the contract ends; one without it cannot be written as a contractor. */
function contractorEntry(maintainer: ComponentMaintainer): YamlMap[] {
  if (!maintainer.until || !isIsoDate(maintainer.until)) return [];
  const entry: YamlMap = { name: maintainer.name, until: maintainer.until };
  setIfPresent(entry, 'email', maintainer.email && isEmail(maintainer.email) ? maintainer.email : null);
  setIfPresent(entry, 'website', httpUrlOrNull(maintainer.website ?? null));
  return [entry];
}

function contactEntry(maintainer: ComponentMaintainer): YamlMap {
  const entry: YamlMap = { name: maintainer.name };
  setIfPresent(entry, 'email', maintainer.email && isEmail(maintainer.email) ? maintainer.email : null);
  setIfPresent(entry, 'phone', maintainer.phone);
  setIfPresent(entry, 'affiliation', maintainer.affiliation);
  return entry;
}

/** The standard has room for one copyright owner and one repository owner, so several become one comma-separated name. */
function joinNames(maintainers: ComponentMaintainer[]): string | null {
  return maintainers.length === 0 ? null : maintainers.map((maintainer) => maintainer.name).join(', ');
}

function httpUrlOrNull(value: string | null): string | null {
  return value && isHttpUrl(value) ? value : null;
}

/** A logo is an SVG or PNG; the catalogue only keeps addresses, so only an http(s) address of such a file is written. */
function logoOrNull(value: string | null): string | null {
  if (!value || !isHttpUrl(value) || !isUrl(value)) return null;
  return /\.(svgz?|png)$/i.test(new URL(value).pathname) ? value : null;
}

/** Cuts text to a number of characters as people see them, ending with an ellipsis. */
function truncate(text: string, limit: number): string {
  if (graphemeLength(text) <= limit) return text;
  // Below U+0300 each code unit is one character (a CR LF pair would only make the result shorter).
  // eslint-disable-next-line no-control-regex -- the range starts at U+0000 on purpose: every character below U+0300
  if (/^[\u0000-\u02ff]*$/.test(text)) return `${text.slice(0, limit - 1).trimEnd()}…`;
  const segments = [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)].slice(0, limit - 1);
  return `${segments
    .map((segment) => segment.segment)
    .join('')
    .trimEnd()}…`;
}

function setIfPresent(target: YamlMap, key: string, value: string | readonly unknown[] | null | undefined): void {
  if (value === null || value === undefined || value.length === 0) return;
  target[key] = value;
}
