import { type Kysely, sql } from 'kysely';

/**
 * Summaries the spend analysis pages read instead of the transactions, kept current by statement-level
 * triggers on spend_transactions (COPY, inserts, supplier merges and file deletions all pass through it):
 *
 * - spend_breakdown_totals: organisation × supplier × expense type × service, for supplier pages, council pages,
 *   concentration, comparisons and collective-buying signals. Month is left out (spend_monthly_rollups has it);
 *   rows whose sums fall back to zero are kept and ignored by the queries.
 * - spend_supplier_totals: one row per supplier (total, transactions, councils paying), for supplier search.
 *
 * Measured in bench/spend-queries.bench.ts: reading these instead of spend_transactions is what keeps the
 * pages under the speed goals at 10M rows. Keyed by organisation_id first, like the other spend facts (Citus).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table spend_breakdown_totals (
      organisation_id integer not null,
      supplier_id integer,
      expense_type text,
      service text,
      transactions bigint not null,
      total_pence bigint not null,
      constraint spend_breakdown_totals_key unique nulls not distinct (organisation_id, supplier_id, expense_type, service)
    )
  `.execute(db);
  await sql`create index spend_breakdown_totals_supplier_idx on spend_breakdown_totals (supplier_id, organisation_id)`.execute(db);

  await sql`
    create table spend_supplier_totals (
      supplier_id integer primary key references suppliers (id) on delete cascade,
      transactions bigint not null,
      total_pence bigint not null,
      councils integer not null
    )
  `.execute(db);
  await sql`create index spend_supplier_totals_total_idx on spend_supplier_totals (total_pence desc, supplier_id)`.execute(db);
  await sql`create index spend_supplier_totals_councils_idx on spend_supplier_totals (councils desc, total_pence desc)`.execute(db);

  // One function for the three triggers: each branch reads only the transition tables its trigger declares.
  await sql`
    create function spend_apply_summary_delta() returns trigger language plpgsql as $$
    begin
      create temporary table if not exists spend_summary_delta (
        organisation_id integer, supplier_id integer, expense_type text, service text, transactions bigint, total_pence bigint
      ) on commit drop;
      truncate spend_summary_delta;
      if tg_op = 'INSERT' then
        insert into spend_summary_delta
        select organisation_id, supplier_id, expense_type, service, count(*), sum(amount_pence)
        from new_rows group by 1, 2, 3, 4;
      elsif tg_op = 'DELETE' then
        insert into spend_summary_delta
        select organisation_id, supplier_id, expense_type, service, -count(*), -sum(amount_pence)
        from old_rows group by 1, 2, 3, 4;
      else
        insert into spend_summary_delta
        select organisation_id, supplier_id, expense_type, service, sum(n), sum(p)
        from (
          select organisation_id, supplier_id, expense_type, service, 1 as n, amount_pence as p from new_rows
          union all
          select organisation_id, supplier_id, expense_type, service, -1, -amount_pence from old_rows
        ) changes
        group by 1, 2, 3, 4;
      end if;

      insert into spend_breakdown_totals as b (organisation_id, supplier_id, expense_type, service, transactions, total_pence)
      select organisation_id, supplier_id, expense_type, service, transactions, total_pence from spend_summary_delta
      where transactions <> 0 or total_pence <> 0
      on conflict on constraint spend_breakdown_totals_key do update
      set transactions = b.transactions + excluded.transactions, total_pence = b.total_pence + excluded.total_pence;

      insert into spend_supplier_totals as s (supplier_id, transactions, total_pence, councils)
      select b.supplier_id, sum(b.transactions), sum(b.total_pence), count(distinct b.organisation_id) filter (where b.transactions > 0)
      from spend_breakdown_totals b
      where b.supplier_id in (select distinct d.supplier_id from spend_summary_delta d where d.supplier_id is not null)
        and exists (select 1 from suppliers where suppliers.id = b.supplier_id)
      group by b.supplier_id
      on conflict (supplier_id) do update
      set transactions = excluded.transactions, total_pence = excluded.total_pence, councils = excluded.councils;
      return null;
    end
    $$
  `.execute(db);
  await sql`
    create trigger spend_transactions_summary_insert after insert on spend_transactions
    referencing new table as new_rows for each statement execute function spend_apply_summary_delta()
  `.execute(db);
  await sql`
    create trigger spend_transactions_summary_delete after delete on spend_transactions
    referencing old table as old_rows for each statement execute function spend_apply_summary_delta()
  `.execute(db);
  await sql`
    create trigger spend_transactions_summary_update after update on spend_transactions
    referencing old table as old_rows new table as new_rows for each statement execute function spend_apply_summary_delta()
  `.execute(db);

  // Transactions imported before this migration.
  await sql`
    insert into spend_breakdown_totals (organisation_id, supplier_id, expense_type, service, transactions, total_pence)
    select organisation_id, supplier_id, expense_type, service, count(*), sum(amount_pence)
    from spend_transactions group by 1, 2, 3, 4
  `.execute(db);
  await sql`
    insert into spend_supplier_totals (supplier_id, transactions, total_pence, councils)
    select supplier_id, sum(transactions), sum(total_pence), count(distinct organisation_id)
    from spend_breakdown_totals where supplier_id in (select id from suppliers) group by supplier_id
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger spend_transactions_summary_update on spend_transactions`.execute(db);
  await sql`drop trigger spend_transactions_summary_delete on spend_transactions`.execute(db);
  await sql`drop trigger spend_transactions_summary_insert on spend_transactions`.execute(db);
  await sql`drop function spend_apply_summary_delta()`.execute(db);
  await sql`drop table spend_supplier_totals`.execute(db);
  await sql`drop table spend_breakdown_totals`.execute(db);
}
