import type { ColumnType, Generated } from 'kysely';
import type { MailTables } from '../../platform/mail.js';
import type { AuditTables } from '../../platform/audit.js';

type CreatedAt = ColumnType<Date, Date | undefined, never>;

export const EVIDENCE_LEVELS = [1, 2, 3, 4, 5] as const;
export type EvidenceLevel = (typeof EVIDENCE_LEVELS)[number];

export const CASE_STUDY_STATUSES = ['draft', 'submitted', 'returned', 'published'] as const;
export type CaseStudyStatus = (typeof CASE_STUDY_STATUSES)[number];

export const COST_BANDS = ['not-disclosed', 'none', 'under-10k', '10k-50k', '50k-250k', '250k-1m', '1m-plus'] as const;
export type CostBand = (typeof COST_BANDS)[number];

/** How an outcome was measured, weakest to strongest; the evidence rules read it. */
export const MEASUREMENT_METHODS = ['estimate', 'before-after', 'comparison-group', 'randomised', 'independent-evaluation'] as const;
export type MeasurementMethod = (typeof MEASUREMENT_METHODS)[number];

export const LINK_KINDS = ['component', 'standard', 'challenge', 'supplier', 'agreement'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export interface CaseStudiesTable {
  id: Generated<number>;
  slug: string;
  title: string;
  summary: string;
  problem: string;
  what_we_did: string;
  organisation_id: number;
  service_area: string;
  council_type: string | null;
  region: string | null;
  population: number | null;
  cost_one_off_band: CostBand;
  cost_yearly_band: CostBand;
  cost_one_off_pounds: number | null;
  cost_yearly_pounds: number | null;
  lessons: string;
  do_differently: string;
  claimed_level: number;
  claim_justification: string;
  confirmed_level: number | null;
  status: ColumnType<CaseStudyStatus, CaseStudyStatus | undefined, CaseStudyStatus>;
  reviewer_id: number | null;
  reviewer_organisation_id: number | null;
  review_note: ColumnType<string, string | undefined, string>;
  reviewed_at: Date | null;
  contact_name: string;
  contact_email: string;
  contact_consent: boolean;
  sources: string;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  published_at: Date | null;
}

export interface CaseStudyReplicationsTable {
  id: Generated<number>;
  case_study_id: number;
  organisation_id: number;
  summary: string;
  differences: string;
  independently_evaluated: boolean;
  evaluation_url: string;
  created_by: number | null;
  created_at: CreatedAt;
}

export interface CaseStudyOutcomesTable {
  id: Generated<number>;
  case_study_id: number;
  replication_id: number | null;
  position: number;
  metric: string;
  baseline: string;
  result: string;
  period: string;
  method: MeasurementMethod;
}

export interface CaseStudyLinksTable {
  id: Generated<number>;
  case_study_id: number;
  kind: LinkKind;
  reference: string;
  point_number: number | null;
  label: string;
}

export interface SearchDocumentsTable {
  id: Generated<number>;
  type: string;
  key: string;
  title: string;
  names: string;
  body: string;
  url: string;
  service_area: string | null;
  region: string | null;
  council_type: string | null;
  evidence_level: number | null;
  visibility: 'public' | 'organisation';
  owner_organisation_id: number | null;
  topics: ColumnType<string[], string[], string[]>;
  content_hash: string;
  updated_at: Date;
  indexed_at: ColumnType<Date, Date | undefined, Date>;
  match_names: ColumnType<string, never, never>;
  search_vector: ColumnType<string, never, never>;
}

export interface SearchChangesTable {
  id: Generated<number>;
  document_type: string;
  document_key: string;
  change: 'added' | 'updated';
  title: string;
  url: string;
  summary: string;
  topics: ColumnType<string[], string[], string[]>;
  occurred_at: CreatedAt;
}

/**
 * The narrow copy of each search document that matches are found and counted in (kept by triggers from
 * search_documents; its words carry no positions or weights).
 */
export interface SearchMatchesTable {
  id: number;
  type: string;
  service_area: string | null;
  region: string | null;
  council_type: string | null;
  evidence_level: number | null;
  visibility: 'public' | 'organisation';
  owner_organisation_id: number | null;
  updated_at: Date;
  title_lower: string;
  match_names: string;
  lexemes: string;
}

/** Every word of the indexed names (kept by triggers), to match misspelt words against. */
export interface SearchWordsTable {
  word: string;
}

export interface SearchIndexStateTable {
  type: string;
  built_at: Date;
}

export type DigestFrequency = 'daily' | 'weekly';

export interface KnowledgeDigestsTable {
  id: Generated<number>;
  user_id: number;
  frequency: DigestFrequency;
  unsubscribe_token: string;
  last_change_id: number;
  last_sent_at: Date | null;
  created_at: CreatedAt;
}

export interface KnowledgeSubscriptionsTable {
  id: Generated<number>;
  digest_id: number;
  topic: string;
  created_at: CreatedAt;
}

export interface KnowledgeWebhooksTable {
  id: Generated<number>;
  organisation_id: number;
  url: string;
  secret: string;
  event_types: ColumnType<string[], string[], string[]>;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  consecutive_failures: ColumnType<number, number | undefined, number>;
  disabled_at: Date | null;
  created_by: number | null;
  created_at: CreatedAt;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface KnowledgeWebhookDeliveriesTable {
  id: Generated<number>;
  webhook_id: number;
  delivery_id: string;
  event_type: string;
  payload: string;
  status: ColumnType<DeliveryStatus, DeliveryStatus | undefined, DeliveryStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: ColumnType<string, string | undefined, string>;
  created_at: CreatedAt;
  delivered_at: Date | null;
}

/** Feedback about the service, for the institute (migration 0116). */
export interface ServiceFeedbackTable {
  id: Generated<number>;
  body: string;
  doing: ColumnType<string, string | undefined, string>;
  reply_email: string | null;
  user_id: number | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface KnowledgeOwnTables {
  service_feedback: ServiceFeedbackTable;
  case_studies: CaseStudiesTable;
  case_study_replications: CaseStudyReplicationsTable;
  case_study_outcomes: CaseStudyOutcomesTable;
  case_study_links: CaseStudyLinksTable;
  search_documents: SearchDocumentsTable;
  search_changes: SearchChangesTable;
  search_index_state: SearchIndexStateTable;
  search_words: SearchWordsTable;
  search_matches: SearchMatchesTable;
  knowledge_digests: KnowledgeDigestsTable;
  knowledge_subscriptions: KnowledgeSubscriptionsTable;
  knowledge_webhooks: KnowledgeWebhooksTable;
  knowledge_webhook_deliveries: KnowledgeWebhookDeliveriesTable;
}

/** The tables the knowledge module reads and writes: its own, the audit trail and the outbox. */
export type KnowledgeTables = KnowledgeOwnTables & AuditTables & MailTables;
