import type { Kysely, Selectable } from 'kysely';
import type { Role, TokenScope } from '../../platform/actor.js';
import { createAuditQueries } from './audit.queries.js';
import { createCredentialsQueries } from './credentials.queries.js';
import type { IdentityTables, UsersTable } from './identity.tables.js';
import { createJoiningQueries } from './joining.queries.js';
import { createPeopleQueries } from './people.queries.js';

export type UserRow = Selectable<UsersTable>;

export interface ActorRow {
  user_id: number;
  email: string;
  name: string | null;
  organisation_id: number | null;
  organisation_name: string | null;
  organisation_kind: string | null;
  organisation_code: string | null;
  role: Role;
  credential_id: number;
  scopes: TokenScope[] | null;
  last_seen_at: Date | null;
}

export interface MemberRow extends UserRow {
  organisation_name: string | null;
}

/** Every query the identity module makes. Bound to a database or to a transaction. */
export function createIdentityRepository(db: Kysely<IdentityTables>) {
  return { ...createPeopleQueries(db), ...createCredentialsQueries(db), ...createJoiningQueries(db), ...createAuditQueries(db) };
}

export type IdentityRepository = ReturnType<typeof createIdentityRepository>;

/** Runs work in one transaction: the repository and the raw handle given to it are bound to that transaction. */
export type IdentityTransaction = <T>(work: (repository: IdentityRepository, trx: Kysely<IdentityTables>) => Promise<T>) => Promise<T>;

/** The transaction runner for a database. */
export function createIdentityTransaction(db: Kysely<IdentityTables>): IdentityTransaction {
  return (work) => db.transaction().execute((trx) => work(createIdentityRepository(trx), trx));
}
