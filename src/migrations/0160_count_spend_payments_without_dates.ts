import { type Kysely, sql } from 'kysely';

/**
 * How many payments of each spend file had no date in the file, so each was dated by the period the file was
 * published for; pages then say so instead of showing that one day as the whole file's dates. Files already imported
 * with a period are counted from their payments dated to less than a day.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table spend_files add column rows_without_dates integer not null default 0 check (rows_without_dates >= 0)`.execute(db);
  await sql`
    update spend_files set rows_without_dates = (
      select count(*) from spend_transactions
      where spend_transactions.file_id = spend_files.id and spend_transactions.date_precision <> 'day'
    )
    where status = 'imported' and period_from is not null
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table spend_files drop column rows_without_dates`.execute(db);
}
