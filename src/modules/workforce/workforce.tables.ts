import type { ColumnType, Generated } from 'kysely';
import type { AuditTables } from '../../platform/audit.js';
import type { MailTables } from '../../platform/mail.js';
import type { ReturnCounts } from './workforce.categories.js';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Json<T> = ColumnType<T, string, string>;

export const OPPORTUNITY_KINDS = ['apprenticeship', 'secondment'] as const;
export type OpportunityKind = (typeof OPPORTUNITY_KINDS)[number];
export const WORK_PLACES = ['on-site', 'hybrid', 'remote'] as const;
export type WorkPlace = (typeof WORK_PLACES)[number];
export const MENTORING_SIDES = ['mentor', 'mentee'] as const;
export type MentoringSide = (typeof MENTORING_SIDES)[number];
export const LEADS_IN = ['digital', 'service'] as const;
export type LeadsIn = (typeof LEADS_IN)[number];

export interface WorkforceLeadsTable {
  organisation_id: number;
  user_id: number;
  designated_by: number | null;
  designated_at: CreatedAt;
}

export interface WorkforceReturnsTable {
  id: Generated<number>;
  organisation_id: number;
  year: number;
  current_version: number;
  synthetic: boolean;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface WorkforceReturnVersionsTable {
  id: Generated<number>;
  return_id: number;
  version: number;
  counts: Json<ReturnCounts>;
  source: 'form' | 'csv' | 'api' | 'synthetic';
  correction_reason: string;
  submitted_by: number | null;
  submitted_at: CreatedAt;
}

export interface StoredContribution {
  council: { code: string; name: string };
  region: { code: string; name: string };
  version: string;
}

export interface WorkforcePublicationsTable {
  id: Generated<number>;
  year: number;
  contributions: Json<StoredContribution[]>;
  figures: Json<Record<string, Record<string, number | null>>>;
  /** Per dimension: how many cells were hidden by primary and by secondary suppression. */
  notes: Json<Record<string, { primary: number; secondary: number }>>;
  published_at: CreatedAt;
}

export interface WorkforceOpportunitiesTable {
  id: Generated<number>;
  organisation_id: number;
  /** The organisation's name when it posted (the register is another module's). */
  organisation_name: string;
  kind: OpportunityKind;
  role: string;
  summary: string;
  place: string;
  remote: WorkPlace;
  length_months: number;
  closing_date: string;
  how_to_apply: string;
  created_by: number | null;
  created_at: CreatedAt;
}

export interface MentoringRoundsTable {
  id: Generated<number>;
  name: string;
  status: 'open' | 'matched';
  created_at: CreatedAt;
  matched_at: Date | null;
}

export interface MentoringParticipantsTable {
  id: Generated<number>;
  round_id: number;
  user_id: number | null;
  name: string;
  email: string;
  organisation_name: string;
  side: MentoringSide;
  leads_in: LeadsIn;
  goals: string;
  preferences: string;
  capacity: number;
  choices: number[];
  bans: number[];
  waitlisted_from: number | null;
  created_at: CreatedAt;
}

export interface MentoringPairingsTable {
  id: Generated<number>;
  round_id: number;
  mentor_id: number;
  mentee_id: number;
  explanation: string;
  status: 'active' | 'ended' | 'reported';
  started_at: ColumnType<Date, Date | undefined, never>;
  ended_at: Date | null;
  end_reason: string;
  first_check_in_sent_at: Date | null;
  third_check_in_sent_at: Date | null;
}

export interface MentoringCheckInsTable {
  id: Generated<number>;
  pairing_id: number;
  participant_id: number;
  kind: 'check-in' | 'feedback' | 'report';
  rating: number | null;
  note: string;
  created_at: CreatedAt;
}

/** The workforce module's own tables. */
export interface WorkforceOwnTables {
  workforce_leads: WorkforceLeadsTable;
  workforce_returns: WorkforceReturnsTable;
  workforce_return_versions: WorkforceReturnVersionsTable;
  workforce_publications: WorkforcePublicationsTable;
  workforce_opportunities: WorkforceOpportunitiesTable;
  mentoring_rounds: MentoringRoundsTable;
  mentoring_participants: MentoringParticipantsTable;
  mentoring_pairings: MentoringPairingsTable;
  mentoring_check_ins: MentoringCheckInsTable;
}

/** What the module's repository sees: its own tables, the audit trail and the mail outbox. */
export type WorkforceTables = WorkforceOwnTables & AuditTables & MailTables;
