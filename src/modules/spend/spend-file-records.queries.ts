import { type Kysely, sql } from 'kysely';
import type { NewSpendFile, SpendDatabase, SpendFileResult, SpendFileRow, SpendRejectRow } from './spend.repository.js';

/** The queries of spend_files records and their rejected rows: finding, recording, results, deleting and withdrawing a file. Over 80 lines as a list of queries, each its own short function. */
export function createSpendFileRecordQueries(db: Kysely<SpendDatabase>) {
  return {
    /** The file already stored for this organisation with this content, if any. */
    async findFileByHash(organisationId: number, sha256: string): Promise<SpendFileRow | undefined> {
      return db
        .selectFrom('spend_files')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('sha256', '=', sha256)
        .executeTakeFirst();
    },

    /** One file by id. */
    async findFileById(id: number): Promise<SpendFileRow | undefined> {
      return db.selectFrom('spend_files').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** Removes a file record and everything read from it (its rejects cascade; its transactions are deleted here). */
    async deleteFile(fileId: number): Promise<void> {
      await db.deleteFrom('spend_transactions').where('file_id', '=', fileId).execute();
      await db.deleteFrom('spend_files').where('id', '=', fileId).execute();
    },

    /**
     * Withdraws an imported file: deletes its transactions (the statement triggers take them out of every summary)
     * and marks the file withdrawn; the file's record and original stay.
     */
    async withdrawFile(
      fileId: number,
      withdrawal: { at: Date; by: number | null; reason: string | null; replacedBy: number | null },
    ): Promise<void> {
      // The monthly roll-ups and organisation totals are added per file at import, not by trigger: take the file's share out (0173).
      await sql`select spend_remove_file_from_summaries(${fileId}::int)`.execute(db);
      // The statement triggers of migrations 0050 and 0052 take these rows out of the breakdown, supplier totals and concentration.
      await db.deleteFrom('spend_transactions').where('file_id', '=', fileId).execute();
      await db
        .updateTable('spend_files')
        .set({
          status: 'withdrawn',
          withdrawn_at: withdrawal.at,
          withdrawn_by: withdrawal.by,
          withdrawal_reason: withdrawal.reason,
          replaced_by_file_id: withdrawal.replacedBy,
        })
        .where('id', '=', fileId)
        .execute();
    },

    /** Records a file and returns its id. */
    async insertFile(file: NewSpendFile): Promise<number> {
      const row = await db
        .insertInto('spend_files')
        .values({
          ...file,
          layout: file.layout === null ? null : JSON.stringify(file.layout),
          mapping: file.mapping === null ? null : JSON.stringify(file.mapping),
          warnings: JSON.stringify(file.warnings),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    /** Stores the counts and totals of a file once all its rows are written. */
    async updateFileResult(fileId: number, result: SpendFileResult): Promise<void> {
      await db
        .updateTable('spend_files')
        .set({
          ...result,
          layout: JSON.stringify(result.layout),
          mapping: JSON.stringify(result.mapping),
          warnings: JSON.stringify(result.warnings),
        })
        .where('id', '=', fileId)
        .execute();
    },

    /** Stores rejected rows of a file. */
    async insertRejects(
      rows: readonly { organisation_id: number; file_id: number; line: number; column_name: string | null; reason: string; raw: string }[],
    ): Promise<void> {
      for (let start = 0; start < rows.length; start += 1000) {
        await db
          .insertInto('spend_rejects')
          .values(rows.slice(start, start + 1000))
          .execute();
      }
    },

    /** Rejected rows of a file, in line order. */
    async listRejects(fileId: number, page: { offset: number; limit: number }): Promise<{ total: number; rows: SpendRejectRow[] }> {
      const [count, rows] = await Promise.all([
        db
          .selectFrom('spend_rejects')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('file_id', '=', fileId)
          .executeTakeFirstOrThrow(),
        db
          .selectFrom('spend_rejects')
          .selectAll()
          .where('file_id', '=', fileId)
          .orderBy('line')
          .orderBy('id')
          .offset(page.offset)
          .limit(page.limit)
          .execute(),
      ]);
      return { total: count.count, rows };
    },
  };
}

export type SpendFileRecordQueries = ReturnType<typeof createSpendFileRecordQueries>;
