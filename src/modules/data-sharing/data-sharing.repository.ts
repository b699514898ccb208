/** Every query of the data-sharing module: standards, validation reports, agreements and exemplars. */
import { type Insertable, type Kysely, type Selectable, sql, type Updateable } from 'kysely';
import type { Actor } from '../../platform/actor.js';
import { type AuditEvent, recordAuditEvent } from '../../platform/audit.js';
import type {
  DataSharingAgreementsTable,
  DataSharingExemplarsTable,
  DataSharingTables,
  DataStandardsTable,
  DataValidationReportsTable,
  PartyRole,
} from './data-sharing.tables.js';

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

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** The module's queries over a connection or a transaction. */
export function createDataSharingRepository(db: Kysely<DataSharingTables>) {
  return {
    /** Adds to the audit trail, for changes made outside a transaction of this module. */
    recordAudit: (actor: Actor | null, event: AuditEvent) => recordAuditEvent(db, actor, event),

    // ---- Standards ----
    findStandardBySlug: (slug: string) => db.selectFrom('data_standards').selectAll().where('slug', '=', slug).executeTakeFirst(),

    findStandardsById: (ids: readonly number[]) =>
      ids.length === 0 ? Promise.resolve([]) : db.selectFrom('data_standards').selectAll().where('id', 'in', ids).execute(),

    async listStandards(filter: StandardFilter): Promise<StandardRow[]> {
      let query = db.selectFrom('data_standards').selectAll();
      if (filter.status) query = query.where('status', '=', filter.status as StandardRow['status']);
      if (filter.q) {
        const like = `%${escapeLike(filter.q)}%`;
        query = query.where((eb) => eb.or([eb('name', 'ilike', like), eb('summary', 'ilike', like), eb('owner_name', 'ilike', like)]));
      }
      return query.orderBy('name').execute();
    },

    insertStandard: (values: Insertable<DataStandardsTable>) =>
      db.insertInto('data_standards').values(values).returningAll().executeTakeFirstOrThrow(),

    insertStandardVersion: (standardId: number, version: string, descriptor: unknown, notes: string) =>
      db
        .insertInto('data_standard_versions')
        .values({ standard_id: standardId, version, descriptor: JSON.stringify(descriptor), notes })
        .onConflict((oc) => oc.columns(['standard_id', 'version']).doNothing())
        .execute(),

    /** Versions newest first. */
    listStandardVersions: (standardId: number) =>
      db
        .selectFrom('data_standard_versions')
        .selectAll()
        .where('standard_id', '=', standardId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute(),

    insertExample: (standardId: number, fileName: string, description: string, content: string) =>
      db
        .insertInto('data_standard_examples')
        .values({ standard_id: standardId, file_name: fileName, description, content })
        .onConflict((oc) => oc.columns(['standard_id', 'file_name']).doNothing())
        .execute(),

    listExamples: (standardId: number) =>
      db.selectFrom('data_standard_examples').selectAll().where('standard_id', '=', standardId).orderBy('file_name').execute(),

    findExample: (standardId: number, fileName: string) =>
      db
        .selectFrom('data_standard_examples')
        .selectAll()
        .where('standard_id', '=', standardId)
        .where('file_name', '=', fileName)
        .executeTakeFirst(),

    /** Each organisation's latest report against a standard, for "who publishes conforming data". */
    listLatestReportsByOrganisation: (standardId: number) =>
      db
        .selectFrom('data_validation_reports')
        .select(['organisation_id', 'valid', 'created_at', 'id'])
        .distinctOn('organisation_id')
        .where('standard_id', '=', standardId)
        .where('organisation_id', 'is not', null)
        .orderBy('organisation_id')
        .orderBy('created_at', 'desc')
        .execute(),

    // ---- Validation reports and watched files ----
    insertReport: (values: Insertable<DataValidationReportsTable>) => db.insertInto('data_validation_reports').values(values).execute(),

    findReport: (id: string) =>
      db
        .selectFrom('data_validation_reports')
        .select([
          'id',
          'file_name',
          'standard_id',
          'standard_version',
          'schema_descriptor',
          'valid',
          'stats',
          'counts',
          'errors',
          'schema_fields',
          'inferred',
          'encoding',
          'delimiter',
          'quality_score',
          'organisation_id',
          'created_by_user_id',
          'previous_report_id',
          'watched_file_id',
          'created_at',
          sql<boolean>`file_content is not null`.as('has_file'),
        ])
        .where('id', '=', id)
        .executeTakeFirst(),

    findReportFile: (id: string) => db.selectFrom('data_validation_reports').select('file_content').where('id', '=', id).executeTakeFirst(),

    insertWatchedFile: (values: { url: string; standard_id: number; organisation_id: number; created_by_user_id: number | null }) =>
      db
        .insertInto('data_watched_files')
        .values(values)
        .onConflict((oc) => oc.columns(['url', 'standard_id']).doUpdateSet({ organisation_id: values.organisation_id }))
        .returningAll()
        .executeTakeFirstOrThrow(),

    findWatchedFile: (id: number) => db.selectFrom('data_watched_files').selectAll().where('id', '=', id).executeTakeFirst(),

    listWatchedFiles: (organisationId: number | null) => {
      let query = db.selectFrom('data_watched_files').selectAll().orderBy('id');
      if (organisationId !== null) query = query.where('organisation_id', '=', organisationId);
      return query.execute();
    },

    markWatchedChecked: (id: number, at: Date) =>
      db.updateTable('data_watched_files').set({ last_checked_at: at }).where('id', '=', id).execute(),

    listWatchedHistory: (watchedFileId: number) =>
      db
        .selectFrom('data_validation_reports')
        .select(['id', 'valid', 'quality_score', 'created_at', 'stats'])
        .where('watched_file_id', '=', watchedFileId)
        .orderBy('created_at', 'desc')
        .limit(100)
        .execute(),

    // ---- Agreements ----
    insertAgreement: (values: Insertable<DataSharingAgreementsTable>) =>
      db.insertInto('data_sharing_agreements').values(values).returningAll().executeTakeFirstOrThrow(),

    updateAgreement: (id: number, values: Updateable<DataSharingAgreementsTable>) =>
      db.updateTable('data_sharing_agreements').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),

    findAgreementBySlug: (slug: string) => db.selectFrom('data_sharing_agreements').selectAll().where('slug', '=', slug).executeTakeFirst(),

    /** Every agreement, drafts too (for the search index, which hides drafts from others itself). */
    listAllAgreements: (): Promise<AgreementRow[]> => db.selectFrom('data_sharing_agreements').selectAll().orderBy('id').execute(),

    async listAgreements(
      filter: AgreementFilter,
      page: { offset: number; limit: number },
    ): Promise<{ total: number; rows: AgreementRow[] }> {
      let query = db.selectFrom('data_sharing_agreements');
      if (filter.status) query = query.where('status', '=', filter.status as AgreementRow['status']);
      const viewer = filter.draftsVisibleTo;
      query = query.where((eb) =>
        viewer === null
          ? eb('status', '!=', 'draft')
          : eb.or([
              eb('status', '!=', 'draft'),
              eb('id', 'in', eb.selectFrom('data_sharing_agreement_parties').select('agreement_id').where('organisation_id', '=', viewer)),
            ]),
      );
      if (filter.organisationId !== undefined) {
        const organisationId = filter.organisationId;
        query = query.where(
          'id',
          'in',
          db.selectFrom('data_sharing_agreement_parties').select('agreement_id').where('organisation_id', '=', organisationId),
        );
      }
      if (filter.q) {
        const like = `%${escapeLike(filter.q)}%`;
        query = query.where((eb) => eb.or([eb('title', 'ilike', like), eb('purpose', 'ilike', like), eb('data_items', 'ilike', like)]));
      }
      const total = await query.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
      const ordered =
        filter.sort === 'updated'
          ? query.orderBy('updated_at', 'desc')
          : filter.sort === 'review'
            ? query.orderBy('review_date', 'asc')
            : query.orderBy('title', 'asc');
      const rows = await ordered.selectAll().orderBy('id').offset(page.offset).limit(page.limit).execute();
      return { total: total.count, rows };
    },

    listParties: (agreementIds: readonly number[]) =>
      agreementIds.length === 0
        ? Promise.resolve([])
        : db
            .selectFrom('data_sharing_agreement_parties')
            .selectAll()
            .where('agreement_id', 'in', agreementIds)
            .orderBy('organisation_id')
            .execute(),

    async replaceParties(agreementId: number, parties: readonly { organisationId: number; role: PartyRole }[]): Promise<void> {
      await db.deleteFrom('data_sharing_agreement_parties').where('agreement_id', '=', agreementId).execute();
      if (parties.length > 0)
        await db
          .insertInto('data_sharing_agreement_parties')
          .values(parties.map((party) => ({ agreement_id: agreementId, organisation_id: party.organisationId, role: party.role })))
          .execute();
    },

    insertAgreementVersion: (values: {
      agreement_id: number;
      version: number;
      status: string;
      changes: string;
      note: string;
      changed_by_user_id: number | null;
    }) => db.insertInto('data_sharing_agreement_versions').values(values).execute(),

    listAgreementVersions: (agreementId: number) =>
      db
        .selectFrom('data_sharing_agreement_versions')
        .selectAll()
        .where('agreement_id', '=', agreementId)
        .orderBy('version', 'desc')
        .execute(),

    /** Agreements in force whose review date is within the window, not yet reminded for that date (a new date clears it). */
    listAgreementsDueForReview: (untilDate: string) =>
      db
        .selectFrom('data_sharing_agreements')
        .selectAll()
        .where('status', 'in', ['agreed', 'active', 'under-review'])
        .where('review_date', '<=', untilDate)
        .where('review_reminded_on', 'is', null)
        .orderBy('review_date')
        .execute(),

    markReviewReminded: (id: number, on: string) =>
      db.updateTable('data_sharing_agreements').set({ review_reminded_on: on }).where('id', '=', id).execute(),

    listAgreementsUsingStandard: (slug: string) =>
      db
        .selectFrom('data_sharing_agreements')
        .select(['slug', 'title', 'status'])
        .where('status', '!=', 'draft')
        .where(sql<boolean>`standard_slugs @> ${JSON.stringify([slug])}::jsonb`)
        .orderBy('title')
        .execute(),

    // ---- Exemplars ----
    insertExemplarIfMissing: (values: Insertable<DataSharingExemplarsTable>) =>
      db
        .insertInto('data_sharing_exemplars')
        .values(values)
        .onConflict((oc) => oc.column('slug').doNothing())
        .execute(),

    listExemplars: (status: string | undefined) => {
      let query = db.selectFrom('data_sharing_exemplars').selectAll().orderBy('title');
      if (status) query = query.where('status', '=', status as ExemplarRow['status']);
      return query.execute();
    },

    findExemplarBySlug: (slug: string) => db.selectFrom('data_sharing_exemplars').selectAll().where('slug', '=', slug).executeTakeFirst(),

    updateExemplarStatus: (id: number, status: ExemplarRow['status'], at: Date) =>
      db.updateTable('data_sharing_exemplars').set({ status, updated_at: at }).where('id', '=', id).execute(),
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
