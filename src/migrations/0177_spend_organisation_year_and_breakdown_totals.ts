import { type Kysely, sql } from 'kysely';

/**
 * Two more roll-ups of each organisation's spend, for the parts of a council's page that still read every one of its
 * monthly roll-ups or breakdown rows (measured in SCALING.md: the yearly leaders alone cost more than everything 0173
 * switched together):
 *
 * - spend_organisation_year_supplier_totals: organisation × named supplier × calendar year × expense type, for "the
 *   supplier paid most, per expense type and year". A supplier paid every month is one row a year instead of twelve.
 * - spend_organisation_breakdown_totals: organisation × expense type, and organisation × service, for "spend by
 *   expense type" and "spend by service": a row per type or service instead of one per supplier and pair.
 *
 * They are kept as 0173's totals are: added once at the end of each file's import (both summary functions are
 * redefined here), taken out when a file is withdrawn or replaced (spend_remove_file_from_summaries, which now groups
 * the file's payments by service too), a row that falls back to nothing deleted. A supplier merge or split rebuilds
 * its suppliers' yearly rows from their monthly roll-ups (the spend module does it beside them); the breakdown by
 * expense type or service does not name suppliers, so a merge leaves it as it is.
 *
 * Also indexes spend_organisation_supplier_totals by supplier: deleting a supplier (a merge) cascades to it, and
 * without an index each deletion read the whole table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table spend_organisation_year_supplier_totals (
      organisation_id integer not null references organisations (id),
      supplier_id integer not null references suppliers (id) on delete cascade,
      year integer not null,
      expense_type text,
      transactions bigint not null,
      total_pence bigint not null,
      constraint spend_organisation_year_supplier_totals_key unique nulls not distinct (organisation_id, year, supplier_id, expense_type)
    )
  `.execute(db);
  await sql`create index spend_organisation_year_supplier_totals_supplier_idx on spend_organisation_year_supplier_totals (supplier_id)`.execute(
    db,
  );
  await sql`
    create table spend_organisation_breakdown_totals (
      organisation_id integer not null references organisations (id),
      dimension text not null check (dimension in ('expense_type', 'service')),
      value text,
      transactions bigint not null,
      total_pence bigint not null,
      constraint spend_organisation_breakdown_totals_key unique nulls not distinct (organisation_id, dimension, value)
    )
  `.execute(db);
  await sql`create index spend_organisation_supplier_totals_supplier_idx on spend_organisation_supplier_totals (supplier_id)`.execute(db);
  await sql`
    insert into spend_organisation_year_supplier_totals (organisation_id, supplier_id, year, expense_type, transactions, total_pence)
    select organisation_id, supplier_id, extract(year from month)::int, expense_type, sum(transactions), sum(total_pence)
    from spend_monthly_rollups where supplier_id is not null
    group by 1, 2, 3, 4 having sum(transactions) <> 0 or sum(total_pence) <> 0 order by 1, 3, 2, 4
  `.execute(db);
  for (const dimension of ['expense_type', 'service'] as const) {
    await sql`
      insert into spend_organisation_breakdown_totals (organisation_id, dimension, value, transactions, total_pence)
      select organisation_id, ${dimension}, ${sql.ref(dimension)}, sum(transactions), sum(total_pence)
      from spend_breakdown_totals
      group by 1, 3 having sum(transactions) <> 0 or sum(total_pence) <> 0 order by 1, 3
    `.execute(db);
  }
  await defineSummaryFunctions(db, true);
  await sql.raw(removeFileFunction(true)).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(removeFileFunction(false)).execute(db);
  await defineSummaryFunctions(db, false);
  await sql`drop index spend_organisation_supplier_totals_supplier_idx`.execute(db);
  await sql`drop table spend_organisation_breakdown_totals`.execute(db);
  await sql`drop table spend_organisation_year_supplier_totals`.execute(db);
}

/** Adds the groups of spend_file_groups (a file's sums, made by the function that runs this) to this migration's totals. */
const ADD_TO_YEAR_AND_BREAKDOWN_TOTALS = `
      insert into spend_organisation_year_supplier_totals as y (organisation_id, supplier_id, year, expense_type, transactions, total_pence)
      select organisation_id, supplier_id, extract(year from month)::int, expense_type, sum(transactions), sum(total_pence)
      from spend_file_groups where supplier_id is not null group by 1, 2, 3, 4
      on conflict on constraint spend_organisation_year_supplier_totals_key do update
      set transactions = y.transactions + excluded.transactions, total_pence = y.total_pence + excluded.total_pence;

      insert into spend_organisation_breakdown_totals as d (organisation_id, dimension, value, transactions, total_pence)
      select organisation_id, 'expense_type', expense_type, sum(transactions), sum(total_pence) from spend_file_groups group by 1, 3
      union all
      select organisation_id, 'service', service, sum(transactions), sum(total_pence) from spend_file_groups group by 1, 3
      on conflict on constraint spend_organisation_breakdown_totals_key do update
      set transactions = d.transactions + excluded.transactions, total_pence = d.total_pence + excluded.total_pence;
`;

/**
 * The statements both summary functions run on a file's groups: as 0173 defined them, with this migration's totals
 * when `yearAndBreakdownTotals` (and without, to undo it).
 */
function fromFileGroups(yearAndBreakdownTotals: boolean): string {
  return `
      insert into spend_monthly_rollups as r (organisation_id, supplier_id, month, expense_type, transactions, total_pence)
      select organisation_id, supplier_id, month, expense_type, sum(transactions), sum(total_pence)
      from spend_file_groups group by 1, 2, 3, 4
      on conflict on constraint spend_monthly_rollups_key do update
      set transactions = r.transactions + excluded.transactions, total_pence = r.total_pence + excluded.total_pence;

      insert into spend_organisation_month_totals as m (organisation_id, month, transactions, total_pence)
      select organisation_id, month, sum(transactions), sum(total_pence)
      from spend_file_groups group by 1, 2
      on conflict (organisation_id, month) do update
      set transactions = m.transactions + excluded.transactions, total_pence = m.total_pence + excluded.total_pence;

      insert into spend_organisation_supplier_totals as o (organisation_id, supplier_id, transactions, total_pence)
      select organisation_id, supplier_id, sum(transactions), sum(total_pence)
      from spend_file_groups group by 1, 2
      on conflict on constraint spend_organisation_supplier_totals_key do update
      set transactions = o.transactions + excluded.transactions, total_pence = o.total_pence + excluded.total_pence;
${yearAndBreakdownTotals ? ADD_TO_YEAR_AND_BREAKDOWN_TOTALS : ''}
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
`;
}

/** (Re)defines spend_add_file_to_summaries and spend_publish_staged_groups, with or without this migration's totals. */
async function defineSummaryFunctions(db: Kysely<unknown>, yearAndBreakdownTotals: boolean): Promise<void> {
  await sql
    .raw(
      `
    create or replace function spend_add_file_to_summaries(added_file_id integer) returns void language plpgsql as $$
    begin
      -- The month by date arithmetic: measured on 500,000 rows, a third faster than date_trunc('month', …)::date.
      create temporary table spend_file_groups on commit drop as
      select organisation_id, supplier_id, payment_date - (extract(day from payment_date)::int - 1) as month, expense_type, service,
             count(*) as transactions, sum(amount_pence) as total_pence
      from spend_transactions where file_id = added_file_id
      group by 1, 2, 3, 4, 5;
${fromFileGroups(yearAndBreakdownTotals)}
      drop table spend_file_groups;
    end
    $$`,
    )
    .execute(db);
  await sql
    .raw(
      `
    create or replace function spend_publish_staged_groups(published_file_id integer) returns void language plpgsql as $$
    begin
      create temporary table spend_file_groups on commit drop as
      select organisation_id, supplier_id, month, expense_type, service, sum(transactions) as transactions, sum(total_pence) as total_pence
      from spend_staged_groups where file_id = published_file_id
      group by 1, 2, 3, 4, 5;
${fromFileGroups(yearAndBreakdownTotals)}
      delete from spend_staged_groups where file_id = published_file_id;
      drop table spend_file_groups;
    end
    $$`,
    )
    .execute(db);
}

/** Takes a file's groups (spend_file_groups, by service too) out of this migration's totals, deleting the rows left at nothing. */
const REMOVE_FROM_YEAR_AND_BREAKDOWN_TOTALS = `
    update spend_organisation_year_supplier_totals y
    set transactions = y.transactions - g.transactions, total_pence = y.total_pence - g.total_pence
    from (select organisation_id, supplier_id, extract(year from month)::int as year, expense_type, sum(transactions) as transactions,
                 sum(total_pence) as total_pence
          from spend_file_groups where supplier_id is not null group by 1, 2, 3, 4) g
    where y.organisation_id = g.organisation_id and y.year = g.year and y.supplier_id = g.supplier_id
      and y.expense_type is not distinct from g.expense_type;
    delete from spend_organisation_year_supplier_totals y using spend_file_groups g
    where y.organisation_id = g.organisation_id and y.year = extract(year from g.month)::int and y.supplier_id = g.supplier_id
      and y.expense_type is not distinct from g.expense_type and y.transactions = 0 and y.total_pence = 0;

    update spend_organisation_breakdown_totals d
    set transactions = d.transactions - g.transactions, total_pence = d.total_pence - g.total_pence
    from (select organisation_id, 'expense_type' as dimension, expense_type as value, sum(transactions) as transactions,
                 sum(total_pence) as total_pence from spend_file_groups group by 1, 3
          union all
          select organisation_id, 'service', service, sum(transactions), sum(total_pence) from spend_file_groups group by 1, 3) g
    where d.organisation_id = g.organisation_id and d.dimension = g.dimension and d.value is not distinct from g.value;
    delete from spend_organisation_breakdown_totals d
    where d.organisation_id in (select distinct organisation_id from spend_file_groups) and d.transactions = 0 and d.total_pence = 0;
`;

/**
 * spend_remove_file_from_summaries as 0173 defined it, and with `yearAndBreakdownTotals` also taking the file out of
 * this migration's totals (its groups then keep the service apart, and the older tables sum over it).
 */
function removeFileFunction(yearAndBreakdownTotals: boolean): string {
  const service = yearAndBreakdownTotals ? ', service' : '';
  const groups = yearAndBreakdownTotals
    ? `(select organisation_id, supplier_id, month, expense_type, sum(transactions) as transactions, sum(total_pence) as total_pence
          from spend_file_groups group by 1, 2, 3, 4)`
    : 'spend_file_groups';
  return `
  create or replace function spend_remove_file_from_summaries(removed_file_id integer) returns void language plpgsql as $$
  begin
    create temporary table spend_file_groups on commit drop as
    select organisation_id, supplier_id, payment_date - (extract(day from payment_date)::int - 1) as month, expense_type${service},
           count(*) as transactions, sum(amount_pence) as total_pence
    from spend_transactions where file_id = removed_file_id
    group by 1, 2, 3, 4${yearAndBreakdownTotals ? ', 5' : ''};

    update spend_monthly_rollups r
    set transactions = r.transactions - g.transactions, total_pence = r.total_pence - g.total_pence
    from ${groups} g
    where r.organisation_id = g.organisation_id and r.supplier_id is not distinct from g.supplier_id
      and r.month = g.month and r.expense_type is not distinct from g.expense_type;
    delete from spend_monthly_rollups r using spend_file_groups g
    where r.organisation_id = g.organisation_id and r.supplier_id is not distinct from g.supplier_id
      and r.month = g.month and r.expense_type is not distinct from g.expense_type
      and r.transactions = 0 and r.total_pence = 0;

    update spend_organisation_month_totals m
    set transactions = m.transactions - g.transactions, total_pence = m.total_pence - g.total_pence
    from (select organisation_id, month, sum(transactions) as transactions, sum(total_pence) as total_pence from spend_file_groups group by 1, 2) g
    where m.organisation_id = g.organisation_id and m.month = g.month;
    delete from spend_organisation_month_totals m using spend_file_groups g
    where m.organisation_id = g.organisation_id and m.month = g.month and m.transactions = 0 and m.total_pence = 0;

    update spend_organisation_supplier_totals o
    set transactions = o.transactions - g.transactions, total_pence = o.total_pence - g.total_pence
    from (select organisation_id, supplier_id, sum(transactions) as transactions, sum(total_pence) as total_pence from spend_file_groups group by 1, 2) g
    where o.organisation_id = g.organisation_id and o.supplier_id is not distinct from g.supplier_id;
    delete from spend_organisation_supplier_totals o using spend_file_groups g
    where o.organisation_id = g.organisation_id and o.supplier_id is not distinct from g.supplier_id and o.transactions = 0 and o.total_pence = 0;
${yearAndBreakdownTotals ? REMOVE_FROM_YEAR_AND_BREAKDOWN_TOTALS : ''}
    drop table spend_file_groups;
  end
  $$
`;
}
