import type { ColumnType, Generated } from 'kysely';
import type { AuditTables } from '../../platform/audit.js';
import type { MailTables } from '../../platform/mail.js';
import type { IdentityReadModels } from '../identity/index.js';
import type { OrganisationReadModels } from '../organisations/index.js';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type TextList = ColumnType<string[], string[] | undefined, string[]>;

export type StandardStatus = 'draft' | 'consultation' | 'published' | 'retired';
export type VersionStatus = 'draft' | 'consultation' | 'published';
export type AssessmentStage = 'self-assessment' | 'self-assessed' | 'peer-review' | 'peer-reviewed' | 'audited';
export type Rating = 'met' | 'partly-met' | 'not-met' | 'not-applicable';
export type Reviewer = 'self' | 'peer' | 'audit';
export type Outcome = 'met' | 'not-met';
export type Basis = 'self' | 'peer' | 'audited';

export interface StandardsTable {
  id: Generated<number>;
  slug: string;
  title: string;
  purpose: string;
  owner_organisation_id: number;
  status: ColumnType<StandardStatus, StandardStatus | undefined, StandardStatus>;
  created_at: CreatedAt;
}

export interface StandardVersionsTable {
  id: Generated<number>;
  standard_id: number;
  version_number: number;
  status: ColumnType<VersionStatus, VersionStatus | undefined, VersionStatus>;
  changes_summary: ColumnType<string, string | undefined, string>;
  published_on: string | null;
  created_at: CreatedAt;
}

export interface StandardPointsTable {
  id: Generated<number>;
  version_id: number;
  point_number: number;
  title: string;
  meaning: string;
  why_it_matters: string;
  how_to_meet: string;
  evidence_guidance: string;
}

export interface StandardPointCommentsTable {
  id: Generated<number>;
  point_id: number;
  author_user_id: number;
  author_organisation_id: number | null;
  body: string;
  created_at: CreatedAt;
  answer: string | null;
  answered_by: number | null;
  answered_at: Date | null;
}

export interface StandardAssessmentsTable {
  id: Generated<number>;
  standard_id: number;
  version_id: number;
  organisation_id: number;
  service_name: string | null;
  stage: ColumnType<AssessmentStage, AssessmentStage | undefined, AssessmentStage>;
  outcome: Outcome | null;
  basis: Basis | null;
  outcome_on: string | null;
  peer_organisation_id: number | null;
  peer_requested_on: string | null;
  started_by: number | null;
  created_at: CreatedAt;
  /** The person an admin named to own the assessment; they may sign it off too. */
  owner_user_id: ColumnType<number | null, number | null | undefined, number | null>;
  signed_off_by: ColumnType<number | null, number | null | undefined, number | null>;
  /** When the organisation signed the self-assessment off; only then does it count on the dashboard. */
  signed_off_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface StandardAssessmentRatingsTable {
  id: Generated<number>;
  assessment_id: number;
  point_id: number;
  reviewer: Reviewer;
  rating: Rating | null;
  commentary: ColumnType<string, string | undefined, string>;
  evidence_links: TextList;
  component_slugs: TextList;
  rated_by: number | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface StandardAssessmentActionsTable {
  id: Generated<number>;
  assessment_id: number;
  organisation_id: number;
  point_id: number | null;
  description: string;
  owner_name: string;
  owner_email: string | null;
  due_on: string;
  done_on: string | null;
  last_reminded_on: string | null;
  created_at: CreatedAt;
}

export interface StandardAssessmentDecisionsTable {
  id: Generated<number>;
  assessment_id: number;
  standard_id: number;
  organisation_id: number;
  outcome: Outcome;
  basis: Basis;
  decided_on: string;
  decided_by: number | null;
  created_at: CreatedAt;
}

export interface StandardComponentPointsTable {
  id: Generated<number>;
  component_slug: string;
  standard_id: number;
  point_number: number;
  note: ColumnType<string, string | undefined, string>;
  declared_by: number | null;
  created_at: CreatedAt;
}

export interface StandardsOwnTables {
  standards: StandardsTable;
  standard_versions: StandardVersionsTable;
  standard_points: StandardPointsTable;
  standard_point_comments: StandardPointCommentsTable;
  standard_assessments: StandardAssessmentsTable;
  standard_assessment_ratings: StandardAssessmentRatingsTable;
  standard_assessment_actions: StandardAssessmentActionsTable;
  standard_assessment_decisions: StandardAssessmentDecisionsTable;
  standard_component_points: StandardComponentPointsTable;
}

/** The tables the standards module reads and writes: its own, the register and people it joins to, the audit trail. */
export type StandardsTables = StandardsOwnTables & OrganisationReadModels & IdentityReadModels & AuditTables & MailTables;
