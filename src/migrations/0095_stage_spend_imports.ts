import { type Kysely, sql } from 'kysely';

/**
 * Imports write a file's rows in short transactions, into storage no query reads, so that on PGlite (one
 * connection) other requests are answered between batches; a final short step makes the file visible.
 *
 * - spend_files.status 'staging': a file whose rows are being written. Every read of files asks for 'imported' or
 *   'rejected', and every read of payments goes through the roll-ups, which hold only visible files.
 * - suppliers.staged_file_id: a supplier made by a staging import, seen only by that import until it is published;
 *   it goes with the file if the import is abandoned (and its aliases and reviews with it).
 * - spend_staged_groups: the staging file's rows summed per organisation × supplier × month × expense type × service,
 *   a batch at a time, so the final step adds a few thousand groups to the summaries rather than a million rows.
 * - spend_publish_staged_groups(file_id): that final step's summaries, as spend_add_file_to_summaries (0053) does.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table spend_files drop constraint spend_files_status_check`.execute(db);
  await sql`alter table spend_files add constraint spend_files_status_check check (status in ('imported', 'rejected', 'withdrawn', 'staging'))`.execute(
    db,
  );
  await sql`create index spend_files_staging_idx on spend_files (id) where status = 'staging'`.execute(db);

  await sql`alter table suppliers add column staged_file_id integer references spend_files (id) on delete cascade`.execute(db);
  await sql`create index suppliers_staged_file_idx on suppliers (staged_file_id) where staged_file_id is not null`.execute(db);

  await sql`
    create table spend_staged_groups (
      file_id integer not null references spend_files (id) on delete cascade,
      organisation_id integer not null,
      supplier_id integer,
      month date not null,
      expense_type text,
      service text,
      transactions bigint not null,
      total_pence bigint not null
    )
  `.execute(db);
  await sql`create index spend_staged_groups_file_idx on spend_staged_groups (file_id)`.execute(db);

  await sql`
    create function spend_publish_staged_groups(published_file_id integer) returns void language plpgsql as $$
    begin
      create temporary table spend_file_groups on commit drop as
      select organisation_id, supplier_id, month, expense_type, service, sum(transactions) as transactions, sum(total_pence) as total_pence
      from spend_staged_groups where file_id = published_file_id
      group by 1, 2, 3, 4, 5;

      insert into spend_monthly_rollups as r (organisation_id, supplier_id, month, expense_type, transactions, total_pence)
      select organisation_id, supplier_id, month, expense_type, sum(transactions), sum(total_pence)
      from spend_file_groups group by 1, 2, 3, 4
      on conflict on constraint spend_monthly_rollups_key do update
      set transactions = r.transactions + excluded.transactions, total_pence = r.total_pence + excluded.total_pence;

      insert into spend_breakdown_totals as b (organisation_id, supplier_id, expense_type, service, transactions, total_pence)
      select organisation_id, supplier_id, expense_type, service, sum(transactions), sum(total_pence)
      from spend_file_groups group by 1, 2, 3, 4
      on conflict on constraint spend_breakdown_totals_key do update
      set transactions = b.transactions + excluded.transactions, total_pence = b.total_pence + excluded.total_pence;

      insert into spend_supplier_totals as s (supplier_id, transactions, total_pence, councils)
      select b.supplier_id, sum(b.transactions), sum(b.total_pence), count(distinct b.organisation_id) filter (where b.transactions > 0)
      from spend_breakdown_totals b
      where b.supplier_id in (select distinct g.supplier_id from spend_file_groups g where g.supplier_id is not null)
        and exists (select 1 from suppliers where suppliers.id = b.supplier_id)
      group by b.supplier_id
      on conflict (supplier_id) do update
      set transactions = excluded.transactions, total_pence = excluded.total_pence, councils = excluded.councils;

      insert into spend_expense_concentration_stale (organisation_id)
      select distinct organisation_id from spend_file_groups on conflict do nothing;

      delete from spend_staged_groups where file_id = published_file_id;
      drop table spend_file_groups;
    end
    $$
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function spend_publish_staged_groups(integer)`.execute(db);
  await sql`drop table spend_staged_groups`.execute(db);
  await sql`delete from spend_files where status = 'staging'`.execute(db);
  await sql`alter table suppliers drop column staged_file_id`.execute(db);
  await sql`drop index spend_files_staging_idx`.execute(db);
  await sql`alter table spend_files drop constraint spend_files_status_check`.execute(db);
  await sql`alter table spend_files add constraint spend_files_status_check check (status in ('imported', 'rejected', 'withdrawn'))`.execute(
    db,
  );
}
