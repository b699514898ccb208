/**
 * Shapes produced by reading publiccode.yml and consumed when writing it.
 * They are plain data so the catalogue service can store them without knowing YAML.
 */

import { developmentStatuses, maintenanceTypes } from './publiccode-vocabularies.js';

export { developmentStatuses, maintenanceTypes };
export type DevelopmentStatus = (typeof developmentStatuses)[number];

export type MaintenanceType = (typeof maintenanceTypes)[number];

export type HostingOption = 'self-hosted' | 'saas';

/** Where in publiccode.yml a maintainer came from; the writer puts each one back in the same place. */
export type MaintainerRole = 'copyright-owner' | 'repository-owner' | 'contractor' | 'contact';

export interface ComponentMaintainer {
  name: string;
  email?: string;
  kind: 'organisation' | 'person';
  roles: MaintainerRole[];
  /** Contractors only: the date their contract ends (publiccode requires it for contractors). */
  until?: string;
  website?: string;
  phone?: string;
  affiliation?: string;
}

export interface ComponentLocalisation {
  ready: boolean;
  languages: string[];
}

export interface ComponentDraft {
  slug: string;
  name: string;
  kind: 'software';
  /** From description.<lang>.shortDescription. */
  summary: string;
  /** From description.<lang>.longDescription; Markdown. */
  description: string;
  /** The language key the summary and description were read from, e.g. "en" or "nl". */
  descriptionLanguage: string;
  /** publiccode.yml has no field for the problem solved; a person fills this in later. */
  problem: string | null;
  serviceAreas: string[];
  /** SPDX expression from legal.license. */
  licence: string | null;
  codeRepositoryUrl: string;
  documentationUrl: string | null;
  apiDocumentationUrl: string | null;
  landingUrl: string | null;
  developmentStatus: DevelopmentStatus | null;
  softwareType: string | null;
  hostingOptions: HostingOption[];
  maintenanceType: MaintenanceType | null;
  maintainers: ComponentMaintainer[];
  releaseDate: string | null;
  softwareVersion: string | null;
  logoUrl: string | null;
  features: string[];
  platforms: string[];
  usedBy: string[];
  localisation: ComponentLocalisation | null;
  /** The publiccode.yml version the file declared, e.g. "0.2"; null when it declared none. */
  publiccodeVersion: string | null;
  /** The whole parsed document, kept so nothing in the file is lost. */
  raw: unknown;
}

/** Fields the writer can do without: stored components may predate them or never have had them. */
type OptionalExportField =
  | 'slug'
  | 'kind'
  | 'problem'
  | 'descriptionLanguage'
  | 'apiDocumentationUrl'
  | 'softwareType'
  | 'maintenanceType'
  | 'localisation'
  | 'publiccodeVersion';

/** A component as the catalogue holds it, ready to be written out as publiccode.yml. */
export type ComponentExport = Omit<ComponentDraft, 'raw' | OptionalExportField> & Partial<Pick<ComponentDraft, OptionalExportField>>;

export interface PubliccodeIssue {
  /** Dotted path of the field, e.g. "description.en.shortDescription" or "maintenance.contacts[1].email"; "" for the whole file. */
  field: string;
  message: string;
  line?: number;
  column?: number;
}

export type PubliccodeParseResult =
  { ok: true; component: ComponentDraft; warnings: PubliccodeIssue[] } | { ok: false; errors: PubliccodeIssue[] };
