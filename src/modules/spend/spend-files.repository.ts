import type { Kysely } from 'kysely';
import type { SpendDatabase, SpendFileRow } from './spend.repository.js';

export type SpendFileListStatus = 'imported' | 'withdrawn' | 'rejected';

/** The queries of a council's list of spending files (imported, withdrawn and refused; never those being staged). */
export function createSpendFilesQueries(db: Kysely<SpendDatabase>) {
  return {
    /** One page of an organisation's files, newest first, with how many there are in all. */
    async listFilesOf(
      organisationId: number,
      { status, offset, limit }: { status?: SpendFileListStatus; offset: number; limit: number },
    ): Promise<{ total: number; rows: SpendFileRow[] }> {
      let query = db.selectFrom('spend_files').where('organisation_id', '=', organisationId);
      query = status ? query.where('status', '=', status) : query.where('status', '!=', 'staging');
      const [count, rows] = await Promise.all([
        query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
        query.selectAll().orderBy('imported_at', 'desc').orderBy('id', 'desc').offset(offset).limit(limit).execute(),
      ]);
      return { total: count.total, rows };
    },

    /** The file names of some files, by id (for "replaced by" links). */
    async fileNames(ids: readonly number[]): Promise<Map<number, string>> {
      if (ids.length === 0) return new Map();
      const rows = await db.selectFrom('spend_files').select(['id', 'file_name']).where('id', 'in', ids).execute();
      return new Map(rows.map((row) => [row.id, row.file_name]));
    },
  };
}

export type SpendFilesQueries = ReturnType<typeof createSpendFilesQueries>;
