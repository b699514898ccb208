import type { ColumnType, Generated } from 'kysely';
import type { AuditTables } from '../../platform/audit.js';
import type { OrganisationReadModels } from '../organisations/index.js';
import type { ComponentLocalisation, ComponentMaintainer } from './publiccode/index.js';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type TextList = ColumnType<string[], string[] | undefined, string[]>;
type Json<T> = ColumnType<T, string | undefined, string>;

export const COMPONENT_KINDS = ['software', 'api', 'data-standard', 'service-pattern', 'template', 'contract-clause'] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

export const HOSTING_OPTIONS = ['self-hosted', 'saas'] as const;
export type ComponentHosting = (typeof HOSTING_OPTIONS)[number];

export const COST_MODELS = ['free', 'free-with-paid-support', 'subscription', 'pay-per-use', 'licence-fee', 'unknown'] as const;
export type CostModel = (typeof COST_MODELS)[number];

export const ADOPTION_STATUSES = ['exploring', 'piloting', 'using', 'retired'] as const;
export type AdoptionStatus = (typeof ADOPTION_STATUSES)[number];

export const EVIDENCE_KINDS = ['service-url', 'contract-reference', 'note'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export const ATTACHMENT_KINDS = ['dpia', 'accessibility-statement', 'specification'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

export interface ComponentAttachment {
  kind: AttachmentKind;
  title: string;
  url: string;
}

export interface ComponentsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  kind: ComponentKind;
  summary: string;
  description: ColumnType<string, string | undefined, string>;
  problem: string | null;
  service_areas: TextList;
  licence: string | null;
  code_repository_url: string | null;
  documentation_url: string | null;
  api_documentation_url: string | null;
  landing_url: string | null;
  development_status: 'concept' | 'development' | 'beta' | 'stable' | 'obsolete' | null;
  software_type: string | null;
  hosting_options: ColumnType<ComponentHosting[], ComponentHosting[] | undefined, ComponentHosting[]>;
  cost_model: CostModel | null;
  supported_standards: TextList;
  related_slugs: TextList;
  maintenance_type: string | null;
  maintainers: Json<ComponentMaintainer[]>;
  funding: string | null;
  release_date: string | null;
  software_version: string | null;
  logo_url: string | null;
  features: TextList;
  platforms: TextList;
  used_by: TextList;
  localisation: Json<ComponentLocalisation | null>;
  attachments: Json<ComponentAttachment[]>;
  description_language: string | null;
  publiccode_version: string | null;
  publiccode_raw: Json<unknown>;
  source: ColumnType<'form' | 'publiccode' | 'api', 'form' | 'publiccode' | 'api' | undefined, 'form' | 'publiccode' | 'api'>;
  publisher_organisation_id: number | null;
  created_by_user_id: number | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  search_document: ColumnType<string, never, never>;
}

export interface AdoptionsTable {
  id: Generated<number>;
  component_id: number;
  organisation_id: number;
  status: AdoptionStatus;
  since: string;
  evidence_kind: EvidenceKind;
  evidence: string;
  contact_name: string;
  contact_email: string;
  contact_agrees: boolean;
  confirmed_at: Date;
  reminded_at: Date | null;
  declared_by_user_id: number | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface AdoptionEventsTable {
  id: Generated<number>;
  adoption_id: number;
  component_id: number;
  organisation_id: number;
  event: 'declared' | 'changed' | 'confirmed';
  status: AdoptionStatus;
  since: string;
  evidence_kind: EvidenceKind;
  evidence: string;
  recorded_by_user_id: number | null;
  recorded_at: Date;
}

export interface CatalogueOwnTables {
  components: ComponentsTable;
  adoptions: AdoptionsTable;
  adoption_events: AdoptionEventsTable;
}

/** The tables the catalogue reads and writes: its own, the register it joins to, and the audit trail. */
export type CatalogueTables = CatalogueOwnTables & OrganisationReadModels & AuditTables;
