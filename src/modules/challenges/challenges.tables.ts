import type { ColumnType, Generated } from 'kysely';
import type { AuditTables } from '../../platform/audit.js';
import type { MailTables } from '../../platform/mail.js';
import type { OrganisationReadModels } from '../organisations/index.js';

type CreatedAt = ColumnType<Date, Date | undefined, never>;

export const STAGES = ['identified', 'exploring', 'funded', 'in-delivery', 'solved', 'closed'] as const;
export type Stage = (typeof STAGES)[number];

export const BUDGET_BANDS = ['unknown', 'under-25k', '25k-100k', '100k-500k', '500k-plus'] as const;
export type BudgetBand = (typeof BUDGET_BANDS)[number];

export const SERVICE_AREAS = [
  'adult-social-care',
  'children-and-education',
  'housing',
  'revenues-and-benefits',
  'environment-and-waste',
  'highways-and-transport',
  'planning-and-building-control',
  'public-health',
  'customer-services',
  'corporate-and-technology',
] as const;
export type ServiceArea = (typeof SERVICE_AREAS)[number];

export const APPROACHES = ['build-together', 'buy-together', 'reuse-component'] as const;
export type Approach = (typeof APPROACHES)[number];

export type Visibility = 'public' | 'draft';
export type ResponseStatus = 'pending' | 'published' | 'rejected';
export type ComponentRelation = 'might-solve' | 'solved-by';

export interface ChallengesTable {
  id: Generated<number>;
  title: string;
  problem: string;
  affects: string;
  service_area: ServiceArea;
  workaround: string;
  good_looks_like: string;
  constraints: string;
  budget_band: BudgetBand;
  timescale: string;
  contract_end_date: string | null;
  stage: Stage;
  visibility: Visibility;
  owner_organisation_id: number;
  created_by: number | null;
  contact_name: string;
  contact_email: string;
  merged_into_id: number | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  reminded_at: Date | null;
  search_vector: ColumnType<string, never, never>;
}

export interface ChallengeStageHistoryTable {
  id: Generated<number>;
  challenge_id: number;
  stage: Stage;
  note: string;
  changed_by: number | null;
  changed_at: CreatedAt;
}

export interface ChallengeSharersTable {
  id: Generated<number>;
  challenge_id: number;
  organisation_id: number;
  scale: number | null;
  scale_unit: string;
  budget_band: BudgetBand;
  timing: string;
  comment: string;
  joined_by: number | null;
  joined_at: CreatedAt;
  left_at: Date | null;
}

export interface ChallengeResponsesTable {
  id: Generated<number>;
  challenge_id: number;
  supplier_organisation_id: number;
  author_id: number | null;
  offer: string;
  evidence: string;
  price_model: string;
  status: ColumnType<ResponseStatus, ResponseStatus | undefined, ResponseStatus>;
  moderated_by: number | null;
  moderated_at: Date | null;
  moderation_note: ColumnType<string, string | undefined, string>;
  created_at: CreatedAt;
}

export interface ChallengeComponentsTable {
  id: Generated<number>;
  challenge_id: number;
  component_slug: string;
  relation: ComponentRelation;
  note: string;
  added_by: number | null;
  created_at: CreatedAt;
}

export interface ChallengeCollaborationsTable {
  id: Generated<number>;
  challenge_id: number;
  lead_organisation_id: number;
  partner_organisation_ids: ColumnType<number[], number[], number[]>;
  approach: Approach;
  component_slug: string | null;
  summary: string;
  created_by: number | null;
  created_at: CreatedAt;
}

export interface ChallengeOwnTables {
  challenges: ChallengesTable;
  challenge_stage_history: ChallengeStageHistoryTable;
  challenge_sharers: ChallengeSharersTable;
  challenge_responses: ChallengeResponsesTable;
  challenge_components: ChallengeComponentsTable;
  challenge_collaborations: ChallengeCollaborationsTable;
}

/** The tables the challenges module reads and writes: its own, the register and people it joins to, the audit trail. */
export type ChallengeTables = ChallengeOwnTables & OrganisationReadModels & AuditTables & Pick<MailTables, 'mail_outbox'>;
