import { type Insertable, type Kysely, sql } from 'kysely';
import type { DataSharingTables, DataValidationReportsTable } from './data-sharing.tables.js';

/** The queries on validation reports and watched files. */
export function createReportsQueries(db: Kysely<DataSharingTables>) {
  return {
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
  };
}
