import { type Kysely, sql } from 'kysely';

/**
 * The payments of a staging file (0095) are in no summary until the file is published, but the statement triggers
 * of 0050 counted them when they were deleted or updated: discarding an abandoned or failed import took its payments
 * out of spend_breakdown_totals and spend_supplier_totals although they had never been added (leaving rows too low,
 * or below zero for a supplier only that import had paid), and a supplier merge or split moved them between
 * suppliers there. spend_apply_summary_delta now leaves out the rows of staging files; the rows of every other
 * file (and of none) count as they did.
 *
 * Rows already wrong cannot be told apart from right ones (nothing records which discards or merges touched them),
 * so the breakdown totals are recomputed from the payments of files that are not staging, the supplier totals from
 * them, and every organisation's concentration is marked stale. The monthly roll-ups and organisation totals were
 * never touched by these triggers (they are kept per file, 0053 and 0173). This reads every payment once, grouped,
 * as 0050 did when it filled the table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(summaryDeltaFunction(true)).execute(db);
  await sql`delete from spend_breakdown_totals`.execute(db);
  await sql`
    insert into spend_breakdown_totals (organisation_id, supplier_id, expense_type, service, transactions, total_pence)
    select t.organisation_id, t.supplier_id, t.expense_type, t.service, count(*), sum(t.amount_pence)
    from spend_transactions t
    where not exists (select 1 from spend_files f where f.id = t.file_id and f.status = 'staging')
    group by 1, 2, 3, 4
  `.execute(db);
  await sql`
    insert into spend_supplier_totals as s (supplier_id, transactions, total_pence, councils)
    select b.supplier_id, sum(b.transactions), sum(b.total_pence), count(distinct b.organisation_id) filter (where b.transactions > 0)
    from spend_breakdown_totals b
    where b.supplier_id in (select id from suppliers)
    group by b.supplier_id
    on conflict (supplier_id) do update
    set transactions = excluded.transactions, total_pence = excluded.total_pence, councils = excluded.councils
  `.execute(db);
  await sql`
    update spend_supplier_totals s set transactions = 0, total_pence = 0, councils = 0
    where (s.transactions <> 0 or s.total_pence <> 0 or s.councils <> 0)
      and not exists (select 1 from spend_breakdown_totals b where b.supplier_id = s.supplier_id)
  `.execute(db);
  await sql`
    insert into spend_expense_concentration_stale (organisation_id)
    select distinct organisation_id from spend_breakdown_totals on conflict do nothing
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(summaryDeltaFunction(false)).execute(db);
}

/** spend_apply_summary_delta as 0050 defined it, leaving out the rows of staging files when `withoutStaged`. */
function summaryDeltaFunction(withoutStaged: boolean): string {
  const counted = (rows: string) =>
    withoutStaged
      ? `(select * from ${rows} r where not exists (select 1 from spend_files f where f.id = r.file_id and f.status = 'staging'))`
      : rows;
  return `
    create or replace function spend_apply_summary_delta() returns trigger language plpgsql as $$
    begin
      create temporary table if not exists spend_summary_delta (
        organisation_id integer, supplier_id integer, expense_type text, service text, transactions bigint, total_pence bigint
      ) on commit drop;
      truncate spend_summary_delta;
      if tg_op = 'INSERT' then
        insert into spend_summary_delta
        select organisation_id, supplier_id, expense_type, service, count(*), sum(amount_pence)
        from ${counted('new_rows')} counted_rows group by 1, 2, 3, 4;
      elsif tg_op = 'DELETE' then
        insert into spend_summary_delta
        select organisation_id, supplier_id, expense_type, service, -count(*), -sum(amount_pence)
        from ${counted('old_rows')} counted_rows group by 1, 2, 3, 4;
      else
        insert into spend_summary_delta
        select organisation_id, supplier_id, expense_type, service, sum(n), sum(p)
        from (
          select organisation_id, supplier_id, expense_type, service, 1 as n, amount_pence as p from ${counted('new_rows')} counted_new
          union all
          select organisation_id, supplier_id, expense_type, service, -1, -amount_pence from ${counted('old_rows')} counted_old
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
  `;
}
