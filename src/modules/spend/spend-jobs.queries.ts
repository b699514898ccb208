import { type Kysely, sql } from 'kysely';
import type { NewSpendImportJob, SpendDatabase, SpendImportJobRow } from './spend.repository.js';

/** The queries of import jobs: queueing, claiming, progress and outcome, and the column mappings an organisation saved for its files. Over 80 lines as a list of queries, each its own short function. */
export function createSpendJobQueries(db: Kysely<SpendDatabase>) {
  return {
    /** Records an import job and returns its id. */
    async insertImportJob(job: NewSpendImportJob): Promise<number> {
      const row = await db
        .insertInto('spend_import_jobs')
        .values({
          ...job,
          actor: job.actor === null ? null : JSON.stringify(job.actor),
          layout: job.layout === null ? null : JSON.stringify(job.layout),
          mapping: job.mapping === null ? null : JSON.stringify(job.mapping),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    /** One import job by id. */
    async findImportJob(id: number): Promise<SpendImportJobRow | undefined> {
      return db.selectFrom('spend_import_jobs').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** The file jobs of a manifest job, in manifest order. */
    async listChildJobs(parentId: number): Promise<SpendImportJobRow[]> {
      return db.selectFrom('spend_import_jobs').selectAll().where('parent_id', '=', parentId).orderBy('id').execute();
    },

    /** An organisation's most recent imports through the web. */
    async listRecentJobs(organisationId: number, limit: number): Promise<SpendImportJobRow[]> {
      return db
        .selectFrom('spend_import_jobs')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('kind', '=', 'file')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
    },

    /** Records that the person confirmed a draft import's file is its organisation's own, although it names another body. */
    async acceptOrganisationMismatch(id: number): Promise<void> {
      await db.updateTable('spend_import_jobs').set({ organisation_mismatch: 'accept' }).where('id', '=', id).execute();
    },

    /** Changes the mapping and period of a job still waiting for confirmation; false when it is no longer waiting. */
    async updateJobDraft(
      id: number,
      draft: { mapping: Record<string, number | string> | null; period_from: string | null; period_to: string | null },
    ): Promise<boolean> {
      const result = await db
        .updateTable('spend_import_jobs')
        .set({
          mapping: draft.mapping === null ? null : JSON.stringify(draft.mapping),
          period_from: draft.period_from,
          period_to: draft.period_to,
        })
        .where('id', '=', id)
        .where('status', '=', 'awaiting-confirmation')
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    /** Moves a confirmed job into the queue; false when it was not waiting for confirmation. */
    async queueJob(id: number): Promise<boolean> {
      const result = await db
        .updateTable('spend_import_jobs')
        .set({ status: 'queued' })
        .where('id', '=', id)
        .where('status', '=', 'awaiting-confirmation')
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    /**
     * Queues again the running jobs whose runner stopped beating (a crash or a kill), or fails those that
     * stopped `maxAttempts` times, so a file that kills the process cannot loop for ever.
     */
    async requeueStalledJobs(staleBefore: Date, maxAttempts: number, now: Date): Promise<void> {
      await db
        .updateTable('spend_import_jobs')
        .set({ status: 'failed', error: `the import stopped ${maxAttempts} times without finishing`, finished_at: now })
        .where('status', '=', 'running')
        .where('kind', '=', 'file')
        .where('heartbeat_at', '<', staleBefore)
        .where('attempts', '>=', maxAttempts)
        .execute();
      await db
        .updateTable('spend_import_jobs')
        .set({ status: 'queued', rows_processed: 0, bytes_processed: 0 })
        .where('status', '=', 'running')
        .where('kind', '=', 'file')
        .where('heartbeat_at', '<', staleBefore)
        .execute();
    },

    /** Takes the oldest queued file job for this runner (skipping any another runner is taking), or none. */
    async claimNextJob(now: Date): Promise<SpendImportJobRow | undefined> {
      const result = await sql<SpendImportJobRow>`
        update spend_import_jobs
        set status = 'running', attempts = attempts + 1, started_at = ${now}, heartbeat_at = ${now}, rows_processed = 0, bytes_processed = 0
        where id = (
          select id from spend_import_jobs where status = 'queued' and kind = 'file' order by id limit 1 for update skip locked
        )
        returning *
      `.execute(db);
      return result.rows[0];
    },

    /** Records how far a running job has got, which is also its runner's heartbeat. */
    async recordJobProgress(id: number, progress: { rows: number; bytes: number }, now: Date): Promise<void> {
      await db
        .updateTable('spend_import_jobs')
        .set({ rows_processed: progress.rows, bytes_processed: progress.bytes, heartbeat_at: now })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .execute();
    },

    /** Records how a job ended. */
    async finishJob(
      id: number,
      result: { status: 'done' | 'failed'; file_id: number | null; outcome: unknown; error: string | null; rows: number; bytes: number },
      now: Date,
    ): Promise<void> {
      await db
        .updateTable('spend_import_jobs')
        .set({
          status: result.status,
          file_id: result.file_id,
          outcome: result.outcome === null ? null : JSON.stringify(result.outcome),
          error: result.error,
          rows_processed: result.rows,
          bytes_processed: result.bytes,
          finished_at: now,
          heartbeat_at: now,
        })
        .where('id', '=', id)
        .execute();
    },

    /** Marks a manifest job done once none of its files is waiting or running. */
    async settleParentJob(parentId: number, now: Date): Promise<void> {
      await sql`
        update spend_import_jobs p
        set status = 'done', finished_at = ${now}
        where p.id = ${parentId} and p.status <> 'done'
          and not exists (select 1 from spend_import_jobs c where c.parent_id = p.id and c.status in ('queued', 'running', 'awaiting-confirmation'))
      `.execute(db);
    },

    /** The saved column mapping of an organisation for files with these headers. */
    async findColumnMapping(organisationId: number, headersKey: string): Promise<Record<string, number | string> | undefined> {
      const row = await db
        .selectFrom('spend_column_mappings')
        .select('mapping')
        .where('organisation_id', '=', organisationId)
        .where('headers_key', '=', headersKey)
        .executeTakeFirst();
      return row?.mapping;
    },

    /** Saves (or replaces) an organisation's column mapping for files with these headers. */
    async saveColumnMapping(
      organisationId: number,
      headersKey: string,
      headers: readonly string[],
      mapping: Record<string, number | string>,
      now: Date,
    ): Promise<void> {
      await db
        .insertInto('spend_column_mappings')
        .values({
          organisation_id: organisationId,
          headers_key: headersKey,
          headers: JSON.stringify(headers),
          mapping: JSON.stringify(mapping),
          updated_at: now,
        })
        .onConflict((oc) =>
          oc.columns(['organisation_id', 'headers_key']).doUpdateSet({ mapping: JSON.stringify(mapping), updated_at: now }),
        )
        .execute();
    },
  };
}

export type SpendJobQueries = ReturnType<typeof createSpendJobQueries>;
