import type { Insertable, Kysely } from 'kysely';
import type { DataSharingExemplarsTable, DataSharingTables } from './data-sharing.tables.js';
import type { ExemplarRow } from './data-sharing.repository.js';

/** The queries on exemplars (published data-sharing arrangements others can copy). */
export function createExemplarsQueries(db: Kysely<DataSharingTables>) {
  return {
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
