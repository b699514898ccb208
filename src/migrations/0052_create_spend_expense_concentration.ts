import { type Kysely, sql } from 'kysely';

/**
 * Concentration per organisation and expense type, so council pages read a few dozen rows instead of ranking
 * every supplier. Measured at 10M transactions across 300 councils on PostgreSQL: ranking spend_breakdown_totals
 * per request took 203 ms p50 and 560 ms p95 (bench/spend-queries.bench.ts).
 *
 * Triggers on spend_transactions only mark an organisation stale (cheap, so imports stay fast); the first read after an
 * import recomputes it (spend-analysis.repository.ts), under an advisory lock so two readers do not both do it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table spend_expense_concentration (
      organisation_id integer not null,
      expense_type text,
      suppliers integer not null,
      total_pence bigint not null,
      top1_pence bigint not null,
      top5_pence bigint not null,
      sum_of_squares double precision not null,
      constraint spend_expense_concentration_key unique nulls not distinct (organisation_id, expense_type)
    )
  `.execute(db);
  await sql`create table spend_expense_concentration_stale (organisation_id integer primary key)`.execute(db);

  // Recomputes every expense type of some organisations from the breakdown: named suppliers with a positive net total.
  await sql`
    create function spend_refresh_expense_concentration(organisation_ids integer[]) returns void language sql as $$
      select pg_advisory_xact_lock(2050, id) from unnest(organisation_ids) as id order by id;
      delete from spend_expense_concentration_stale where organisation_id = any(organisation_ids);
      delete from spend_expense_concentration where organisation_id = any(organisation_ids);
      insert into spend_expense_concentration (organisation_id, expense_type, suppliers, total_pence, top1_pence, top5_pence, sum_of_squares)
      select organisation_id, expense_type, count(*), sum(pence), max(pence), coalesce(sum(pence) filter (where rank <= 5), 0),
             sum(pence::float8 * pence::float8)
      from (
        select organisation_id, expense_type, pence,
               row_number() over (partition by organisation_id, expense_type order by pence desc, supplier_id) as rank
        from (
          select organisation_id, expense_type, supplier_id, sum(total_pence) as pence
          from spend_breakdown_totals
          where organisation_id = any(organisation_ids) and supplier_id is not null
          group by organisation_id, expense_type, supplier_id
          having sum(total_pence) > 0
        ) per_supplier
      ) ranked
      group by organisation_id, expense_type;
    $$
  `.execute(db);

  await sql`
    create function spend_mark_concentration_stale() returns trigger language plpgsql as $$
    begin
      if tg_op in ('INSERT', 'UPDATE') then
        insert into spend_expense_concentration_stale (organisation_id) select distinct organisation_id from new_rows on conflict do nothing;
      end if;
      if tg_op in ('DELETE', 'UPDATE') then
        insert into spend_expense_concentration_stale (organisation_id) select distinct organisation_id from old_rows on conflict do nothing;
      end if;
      return null;
    end
    $$
  `.execute(db);
  await sql`
    create trigger spend_transactions_concentration_insert after insert on spend_transactions
    referencing new table as new_rows for each statement execute function spend_mark_concentration_stale()
  `.execute(db);
  await sql`
    create trigger spend_transactions_concentration_delete after delete on spend_transactions
    referencing old table as old_rows for each statement execute function spend_mark_concentration_stale()
  `.execute(db);
  await sql`
    create trigger spend_transactions_concentration_update after update on spend_transactions
    referencing old table as old_rows new table as new_rows for each statement execute function spend_mark_concentration_stale()
  `.execute(db);

  await sql`select spend_refresh_expense_concentration(array(select distinct organisation_id from spend_breakdown_totals))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const operation of ['insert', 'delete', 'update']) {
    await sql`drop trigger ${sql.raw(`spend_transactions_concentration_${operation}`)} on spend_transactions`.execute(db);
  }
  await sql`drop function spend_mark_concentration_stale()`.execute(db);
  await sql`drop function spend_refresh_expense_concentration(integer[])`.execute(db);
  await sql`drop table spend_expense_concentration_stale`.execute(db);
  await sql`drop table spend_expense_concentration`.execute(db);
}
