import type { Kysely } from 'kysely';
import type { OrganisationReadModels, OrganisationTables } from '../modules/organisations/index.js';
import type { IdentityOwnTables, IdentityReadModels } from '../modules/identity/index.js';
import type { AuditTables } from '../platform/audit.js';
import type { MailTables } from '../platform/mail.js';
import type { SpendTables } from '../modules/spend/index.js';
import type { StandardsOwnTables } from '../modules/standards/index.js';
import type { ChallengeOwnTables } from '../modules/challenges/index.js';
import type { CatalogueOwnTables } from '../modules/catalogue/index.js';
import type { SpendAnalysisOwnTables } from '../modules/spend-intelligence/index.js';
import type { ContractTables } from '../modules/contracts/index.js';
import type { DataSharingOwnTables } from '../modules/data-sharing/index.js';
import type { WorkforceOwnTables } from '../modules/workforce/index.js';
import type { KnowledgeOwnTables } from '../modules/knowledge/index.js';
import type { ProgressOwnTables } from '../modules/progress/index.js';

/** Every table the platform has: the union of each module's tables. */
export type Database = OrganisationTables &
  OrganisationReadModels &
  IdentityReadModels &
  SpendTables &
  IdentityOwnTables &
  AuditTables &
  MailTables &
  StandardsOwnTables &
  ChallengeOwnTables &
  CatalogueOwnTables &
  SpendAnalysisOwnTables &
  ContractTables &
  DataSharingOwnTables &
  WorkforceOwnTables &
  KnowledgeOwnTables &
  ProgressOwnTables;

/**
 * A module's view of the database: just the tables it declares. Kysely's types are invariant in the schema,
 * so the whole-schema handle is narrowed here, where the compiler can check the schema really includes them.
 */
export function moduleDatabase<Tables>(db: Kysely<Database>): Database extends Tables ? Kysely<Tables> : never {
  return db as never;
}
