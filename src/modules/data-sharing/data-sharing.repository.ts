/** Every query of the data-sharing module: standards, validation reports, agreements and exemplars. */
import type { Kysely, Selectable } from 'kysely';
import type { Actor } from '../../platform/actor.js';
import { type AuditEvent, recordAuditEvent } from '../../platform/audit.js';
import type {
  DataSharingAgreementsTable,
  DataSharingExemplarsTable,
  DataSharingTables,
  DataStandardsTable,
  DataValidationReportsTable,
} from './data-sharing.tables.js';
import { createAgreementsQueries } from './agreements.queries.js';
import { createExemplarsQueries } from './exemplars.queries.js';
import { createReportsQueries } from './reports.queries.js';
import { createStandardsQueries } from './standards.queries.js';

export type StandardRow = Selectable<DataStandardsTable>;
export type ReportRow = Selectable<DataValidationReportsTable>;
export type AgreementRow = Selectable<DataSharingAgreementsTable>;
export type ExemplarRow = Selectable<DataSharingExemplarsTable>;

export interface StandardFilter {
  q?: string;
  status?: string;
}

export interface AgreementFilter {
  q?: string;
  status?: string;
  organisationId?: number;
  /** Drafts are listed only to people at one of their parties. */
  draftsVisibleTo: number | null;
  sort: 'title' | 'updated' | 'review';
}

/** The module's queries over a connection or a transaction. */
export function createDataSharingRepository(db: Kysely<DataSharingTables>) {
  return {
    /** Adds to the audit trail, for changes made outside a transaction of this module. */
    recordAudit: (actor: Actor | null, event: AuditEvent) => recordAuditEvent(db, actor, event),
    ...createStandardsQueries(db),
    ...createReportsQueries(db),
    ...createAgreementsQueries(db),
    ...createExemplarsQueries(db),
  };
}

export type DataSharingRepository = ReturnType<typeof createDataSharingRepository>;
export type DataSharingTransaction = <T>(
  work: (repository: DataSharingRepository, trx: Kysely<DataSharingTables>) => Promise<T>,
) => Promise<T>;

/** Runs work in one transaction, with the repository bound to it. */
export function createDataSharingTransaction(db: Kysely<DataSharingTables>): DataSharingTransaction {
  return (work) => db.transaction().execute((trx) => work(createDataSharingRepository(trx), trx));
}
