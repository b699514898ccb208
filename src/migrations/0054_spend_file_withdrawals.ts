import { type Kysely, sql } from 'kysely';

/**
 * A spend file can be withdrawn: its transactions are deleted (the statement triggers of 0050 and 0052 take them out
 * of every summary) while the file's record, its original and the audit trail stay. A withdrawn file may name the
 * file that replaced it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table spend_files drop constraint spend_files_status_check`.execute(db);
  await sql`alter table spend_files add constraint spend_files_status_check check (status in ('imported', 'rejected', 'withdrawn'))`.execute(
    db,
  );
  await sql`
    alter table spend_files
      add column withdrawn_at timestamptz,
      add column withdrawn_by integer,
      add column withdrawal_reason text,
      add column replaced_by_file_id integer
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table spend_files
      drop column replaced_by_file_id,
      drop column withdrawal_reason,
      drop column withdrawn_by,
      drop column withdrawn_at
  `.execute(db);
  await sql`alter table spend_files drop constraint spend_files_status_check`.execute(db);
  await sql`alter table spend_files add constraint spend_files_status_check check (status in ('imported', 'rejected'))`.execute(db);
}
