import type { Insertable, Kysely } from 'kysely';
import type { DataSharingTables, DataStandardsTable } from './data-sharing.tables.js';
import type { StandardFilter, StandardRow } from './data-sharing.repository.js';

/** The text with LIKE's wildcards escaped, to match it as it is. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** The queries on data standards: their versions, example files, and each organisation's latest report against one. */
export function createStandardsQueries(db: Kysely<DataSharingTables>) {
  return {
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
  };
}
