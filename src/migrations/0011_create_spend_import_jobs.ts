import { type Kysely, sql } from 'kysely';

/**
 * Spend import jobs: files uploaded through the web, waiting for their column mapping to be confirmed, then
 * queued and run in the background by the in-process runner (spend.jobs.ts). A manifest (bulk) job is the
 * parent of one file job per manifest row. Rows and bytes processed are written as the import goes, and a
 * heartbeat shows the job's runner is alive: a running job whose heartbeat stops is queued again, which is
 * safe because a file imports all-or-nothing and is recognised by its content hash.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table spend_import_jobs (
      id integer generated always as identity primary key,
      kind text not null check (kind in ('file', 'manifest')),
      parent_id integer references spend_import_jobs (id) on delete cascade,
      organisation_id integer references organisations (id),
      organisation_code text,
      organisation_name text,
      requested_by integer,
      actor jsonb,
      status text not null check (status in ('awaiting-confirmation', 'queued', 'running', 'done', 'failed')),
      file_name text not null,
      stored_path text,
      sha256 text check (sha256 ~ '^[0-9a-f]{64}$'),
      total_bytes bigint not null default 0,
      bytes_processed bigint not null default 0,
      rows_processed bigint not null default 0,
      layout jsonb,
      mapping jsonb,
      period_from text,
      period_to text,
      file_id integer references spend_files (id) on delete set null,
      outcome jsonb,
      error text,
      attempts integer not null default 0,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      heartbeat_at timestamptz,
      finished_at timestamptz,
      check ((kind = 'file') = (stored_path is not null))
    )
  `.execute(db);
  await sql`create index spend_import_jobs_waiting_idx on spend_import_jobs (status, id) where status in ('queued', 'running')`.execute(db);
  await sql`create index spend_import_jobs_parent_idx on spend_import_jobs (parent_id) where parent_id is not null`.execute(db);
  await sql`create index spend_import_jobs_organisation_idx on spend_import_jobs (organisation_id, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table spend_import_jobs`.execute(db);
}
