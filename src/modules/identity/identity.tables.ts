import type { ColumnType, Generated } from 'kysely';
import type { AuditTables } from '../../platform/audit.js';
import type { MailTables } from '../../platform/mail.js';
import type { Role, TokenScope } from '../../platform/actor.js';
import type { OrganisationReadModels } from '../organisations/index.js';

type CreatedAt = ColumnType<Date, Date | undefined, never>;

export interface OrganisationEmailDomainsTable {
  id: Generated<number>;
  organisation_id: number;
  domain: string;
  verified_at: CreatedAt;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string | null;
  organisation_id: number | null;
  role: Role;
  status: 'active' | 'pending' | 'disabled';
  created_at: CreatedAt;
  last_signed_in_at: Date | null;
  /** `platform` when only a platform admin may change or remove this person's role (migration 0090). */
  role_authority: ColumnType<RoleAuthority, RoleAuthority | undefined, RoleAuthority>;
  /** Who gave the role, when a person did. */
  role_granted_by: ColumnType<number | null, number | null | undefined, number | null>;
}

export type RoleAuthority = 'organisation' | 'platform';

export interface JoinRequestsTable {
  id: Generated<number>;
  user_id: number;
  organisation_id: number;
  message: string | null;
  status: ColumnType<'pending' | 'approved' | 'refused' | 'withdrawn', 'pending' | undefined, 'approved' | 'refused' | 'withdrawn'>;
  created_at: CreatedAt;
  decided_by: number | null;
  decided_at: Date | null;
}

export interface InvitationsTable {
  id: Generated<number>;
  organisation_id: number;
  email: string;
  role: 'member' | 'organisation-admin';
  invited_by: number;
  created_at: CreatedAt;
  accepted_at: Date | null;
  declined_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface SignInLinksTable {
  id: Generated<number>;
  token_hash: string;
  email: string;
  requested_ip: string;
  created_at: CreatedAt;
  expires_at: Date;
  used_at: Date | null;
}

export interface SessionsTable {
  id: Generated<number>;
  token_hash: string;
  user_id: number;
  created_at: CreatedAt;
  last_seen_at: Date;
  expires_at: Date;
  user_agent: string | null;
  ip: string | null;
  ended_at: Date | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  scopes: ColumnType<TokenScope[], TokenScope[], TokenScope[]>;
  created_at: CreatedAt;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface IdentityOwnTables {
  organisation_email_domains: OrganisationEmailDomainsTable;
  users: UsersTable;
  join_requests: JoinRequestsTable;
  invitations: InvitationsTable;
  sign_in_links: SignInLinksTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
}

/** A read model other modules may query (a view): a person's name and organisation, nothing private. */
export interface PersonDirectoryView {
  id: ColumnType<number, never, never>;
  name: ColumnType<string, never, never>;
  organisation_id: ColumnType<number | null, never, never>;
  status: ColumnType<'active' | 'pending' | 'disabled', never, never>;
}

/** The read models the identity module exports (migration 0100). */
export interface IdentityReadModels {
  person_directory: PersonDirectoryView;
}

/** The tables the identity module reads and writes: its own, the register it joins to, the audit trail and the outbox. */
export type IdentityTables = IdentityOwnTables & OrganisationReadModels & AuditTables & MailTables;
