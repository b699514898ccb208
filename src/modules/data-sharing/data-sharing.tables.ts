import type { ColumnType, Generated } from 'kysely';
import type { AuditTables } from '../../platform/audit.js';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;
/** jsonb: written as JSON text, read back parsed (both engines). */
type Json<T> = ColumnType<T, string | undefined, string>;

export const STANDARD_STATUSES = ['draft', 'recommended', 'required'] as const;
export type StandardStatus = (typeof STANDARD_STATUSES)[number];

export const AGREEMENT_STATUSES = ['draft', 'agreed', 'active', 'under-review', 'ended'] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];

export const PARTY_ROLES = ['controller', 'joint-controller', 'processor'] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];

export const DPIA_STATUSES = ['not-started', 'in-progress', 'done', 'not-needed'] as const;
export type DpiaStatus = (typeof DPIA_STATUSES)[number];

export const EXEMPLAR_STATUSES = ['proposed', 'in-progress', 'live', 'replicated'] as const;
export type ExemplarStatus = (typeof EXEMPLAR_STATUSES)[number];

export interface DataStandardsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  summary: string;
  owner_name: string;
  status: StandardStatus;
  licence: string;
  guidance: ColumnType<string, string | undefined, string>;
  source_url: ColumnType<string, string | undefined, string>;
  kind: 'table-schema' | 'data-package';
  component_slug: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface DataStandardVersionsTable {
  id: Generated<number>;
  standard_id: number;
  version: string;
  descriptor: Json<unknown>;
  notes: ColumnType<string, string | undefined, string>;
  created_at: CreatedAt;
}

export interface DataStandardExamplesTable {
  id: Generated<number>;
  standard_id: number;
  file_name: string;
  description: ColumnType<string, string | undefined, string>;
  content: string;
}

export interface DataWatchedFilesTable {
  id: Generated<number>;
  url: string;
  standard_id: number;
  organisation_id: number;
  created_by_user_id: number | null;
  last_checked_at: Date | null;
  created_at: CreatedAt;
}

export interface DataValidationReportsTable {
  id: string;
  file_name: string;
  standard_id: number | null;
  standard_version: string | null;
  schema_descriptor: Json<unknown>;
  valid: boolean;
  stats: Json<{ rows: number; fields: number; errors: number; bytes: number; sha256: string }>;
  counts: Json<Record<string, number>>;
  errors: Json<
    { type: string; rowNumber: number | null; fieldNumber: number | null; fieldName: string | null; cell: string | null; message: string }[]
  >;
  schema_fields: Json<{ name: string; type: string; format: string }[]>;
  inferred: boolean;
  encoding: string;
  delimiter: string;
  quality_score: number;
  organisation_id: number | null;
  created_by_user_id: number | null;
  previous_report_id: string | null;
  watched_file_id: number | null;
  file_content: Uint8Array | null;
  created_at: CreatedAt;
}

export interface DataSharingAgreementsTable {
  id: Generated<number>;
  slug: string;
  title: string;
  purpose: string;
  status: AgreementStatus;
  lead_organisation_id: number;
  lawful_basis: string;
  special_category: boolean;
  article9_condition: string | null;
  schedule1_condition: string | null;
  data_subjects: string;
  data_items: string;
  standard_slugs: Json<string[]>;
  dpia_status: DpiaStatus;
  dpia_outcome: string;
  dpia_triggers: Json<string[]>;
  retention: string;
  security: string;
  review_date: string;
  signed_off_by_name: string;
  signed_off_role: string;
  signed_off_on: string | null;
  contact_name: string;
  contact_email: string;
  version: number;
  review_reminded_on: string | null;
  created_by_user_id: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface DataSharingAgreementPartiesTable {
  agreement_id: number;
  organisation_id: number;
  role: PartyRole;
}

export interface DataSharingAgreementVersionsTable {
  id: Generated<number>;
  agreement_id: number;
  version: number;
  status: string;
  changes: Json<{ field: string; before: string; after: string }[]>;
  note: string;
  changed_by_user_id: number | null;
  created_at: CreatedAt;
}

export interface DataSharingExemplarsTable {
  id: Generated<number>;
  slug: string;
  title: string;
  problem: string;
  status: ExemplarStatus;
  outcomes: string;
  agreement_slugs: Json<string[]>;
  standard_slugs: Json<string[]>;
  participant_ids: Json<number[]>;
  replicated_by_ids: Json<number[]>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** The tables the data-sharing module owns. */
export interface DataSharingOwnTables {
  data_standards: DataStandardsTable;
  data_standard_versions: DataStandardVersionsTable;
  data_standard_examples: DataStandardExamplesTable;
  data_watched_files: DataWatchedFilesTable;
  data_validation_reports: DataValidationReportsTable;
  data_sharing_agreements: DataSharingAgreementsTable;
  data_sharing_agreement_parties: DataSharingAgreementPartiesTable;
  data_sharing_agreement_versions: DataSharingAgreementVersionsTable;
  data_sharing_exemplars: DataSharingExemplarsTable;
}

/** What the module's repository sees: its own tables and the audit trail it writes to. */
export type DataSharingTables = DataSharingOwnTables & AuditTables;
