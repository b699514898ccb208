import { stringify } from 'yaml';
import type { ComponentExport, ComponentMaintainer, MaintenanceType } from './publiccode-types.js';

export const writtenPubliccodeVersion = '0.4';

type YamlMap = Record<string, unknown>;

/**
 * Writes a catalogue component as a publiccode.yml version 0.4 document.
 * Fields the catalogue does not know (development status, categories, platforms) are left out rather than invented.
 */
export function toPubliccodeYaml(component: ComponentExport): string {
  const language = component.descriptionLanguage ?? 'en';
  const document: YamlMap = {
    publiccodeYmlVersion: writtenPubliccodeVersion,
    name: component.name,
    url: component.codeRepositoryUrl,
  };
  setIfPresent(document, 'landingURL', component.landingUrl);
  setIfPresent(document, 'softwareVersion', component.softwareVersion);
  setIfPresent(document, 'releaseDate', component.releaseDate);
  setIfPresent(document, 'logo', component.logoUrl);
  setIfPresent(document, 'platforms', component.platforms);
  setIfPresent(document, 'categories', component.serviceAreas);
  setIfPresent(document, 'usedBy', component.usedBy);
  setIfPresent(document, 'developmentStatus', component.developmentStatus);
  // "standalone/other" is the standard's own word for a type nobody has stated.
  document.softwareType = component.softwareType ?? (component.hostingOptions.length > 0 ? 'standalone/web' : 'standalone/other');

  const description: YamlMap = { shortDescription: component.summary, longDescription: component.description };
  setIfPresent(description, 'documentation', component.documentationUrl);
  setIfPresent(description, 'apiDocumentation', component.apiDocumentationUrl);
  setIfPresent(description, 'features', component.features);
  document.description = { [language]: description };

  const placed = placeMaintainers(component.maintainers);
  const legal: YamlMap = {};
  setIfPresent(legal, 'license', component.licence);
  setIfPresent(legal, 'mainCopyrightOwner', joinNames(placed.copyrightOwners));
  setIfPresent(legal, 'repoOwner', joinNames(placed.repositoryOwners));
  document.legal = legal;

  const maintenance: YamlMap = { type: component.maintenanceType ?? inferMaintenanceType(placed) };
  setIfPresent(maintenance, 'contractors', placed.contractors.map(contractorEntry));
  setIfPresent(maintenance, 'contacts', placed.contacts.map(contactEntry));
  document.maintenance = maintenance;

  const languages = component.localisation?.languages ?? [];
  document.localisation = {
    localisationReady: component.localisation?.ready ?? false,
    availableLanguages: languages.length > 0 ? languages : [language],
  };

  // Quoting for YAML 1.1 as well keeps dates and versions as text for older readers (PyYAML would read 2021-05-20 as a date).
  return stringify(document, { version: '1.1', lineWidth: 0 });
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

/** publiccode.yml requires contractors for "contract" and contacts for "internal" or "community"; pick the type the people listed allow. */
function inferMaintenanceType(placed: PlacedMaintainers): MaintenanceType {
  if (placed.contractors.length > 0) return 'contract';
  if (placed.contacts.length > 0) return 'community';
  return 'none';
}

function contractorEntry(maintainer: ComponentMaintainer): YamlMap {
  const entry: YamlMap = { name: maintainer.name };
  setIfPresent(entry, 'until', maintainer.until);
  setIfPresent(entry, 'email', maintainer.email);
  setIfPresent(entry, 'website', maintainer.website);
  return entry;
}

function contactEntry(maintainer: ComponentMaintainer): YamlMap {
  const entry: YamlMap = { name: maintainer.name };
  setIfPresent(entry, 'email', maintainer.email);
  setIfPresent(entry, 'phone', maintainer.phone);
  setIfPresent(entry, 'affiliation', maintainer.affiliation);
  return entry;
}

/** The standard has room for one copyright owner and one repository owner, so several become one comma-separated name. */
function joinNames(maintainers: ComponentMaintainer[]): string | null {
  return maintainers.length === 0 ? null : maintainers.map((maintainer) => maintainer.name).join(', ');
}

function setIfPresent(target: YamlMap, key: string, value: string | readonly unknown[] | null | undefined): void {
  if (value === null || value === undefined || value.length === 0) return;
  target[key] = value;
}
