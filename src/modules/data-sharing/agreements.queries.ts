import { type Insertable, type Kysely, sql, type Updateable } from 'kysely';
import type { DataSharingAgreementsTable, DataSharingTables, PartyRole } from './data-sharing.tables.js';
import type { AgreementFilter, AgreementRow } from './data-sharing.repository.js';
import { escapeLike } from './standards.queries.js';

/** The queries on data-sharing agreements. Over 80 lines as a list of queries, each its own short function. */
export function createAgreementsQueries(db: Kysely<DataSharingTables>) {
  return {
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
  };
}
