import type { Kysely, Selectable } from 'kysely';
import { createMentoringQueries } from './mentoring.queries.js';
import { createOpportunitiesQueries } from './opportunities.queries.js';
import { createReturnsQueries } from './returns.queries.js';
import type {
  MentoringCheckInsTable,
  MentoringPairingsTable,
  MentoringParticipantsTable,
  OpportunityKind,
  WorkforceOpportunitiesTable,
  WorkforcePublicationsTable,
  WorkforceTables,
  WorkPlace,
} from './workforce.tables.js';

export type OpportunityRow = Selectable<WorkforceOpportunitiesTable>;
export type PublicationRow = Selectable<WorkforcePublicationsTable>;
export type ParticipantRow = Selectable<MentoringParticipantsTable>;
export type PairingRow = Selectable<MentoringPairingsTable>;
export type CheckInRow = Selectable<MentoringCheckInsTable>;

export interface OpportunityFilter {
  kind?: OpportunityKind | undefined;
  remote?: WorkPlace | undefined;
  organisationIds?: readonly number[] | undefined;
  /** Only those still open on this date (closing on or after it). */
  openOn?: string | undefined;
  q?: string | undefined;
}

/** Every query the workforce module makes. Bound to a database or to a transaction. */
export function createWorkforceRepository(db: Kysely<WorkforceTables>) {
  return { ...createReturnsQueries(db), ...createOpportunitiesQueries(db), ...createMentoringQueries(db) };
}

export type WorkforceRepository = ReturnType<typeof createWorkforceRepository>;

/** Runs work in one transaction, with the repository bound to it. */
export type WorkforceTransaction = <T>(work: (repository: WorkforceRepository, trx: Kysely<WorkforceTables>) => Promise<T>) => Promise<T>;

/** The transaction runner for a database. */
export function createWorkforceTransaction(db: Kysely<WorkforceTables>): WorkforceTransaction {
  return (work) => db.transaction().execute((trx) => work(createWorkforceRepository(trx), trx));
}
