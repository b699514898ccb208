import { type Kysely, sql } from 'kysely';
import { fileCoversFromSql, fileCoversToSql } from '../spend/index.js';
import type { SpendAnalysisTables } from './spend-intelligence.tables.js';

export interface SupplierListRow {
  id: number;
  name: string;
  total_pence: number;
  councils: number;
  transactions: number;
}

export interface AmountRow {
  key: string | null;
  transactions: number;
  total_pence: number;
}

export interface OrganisationAmountRow {
  organisation_id: number;
  transactions: number;
  total_pence: number;
}

export interface OrganisationDatesRow {
  date_from: string | null;
  date_to: string | null;
  /** Payments whose files gave no date, each counted in the first month of its file's period. */
  without_dates: number;
}

export interface ConcentrationAggregateRow {
  expense_type: string | null;
  suppliers: number;
  total_pence: number;
  top1_pence: number;
  top5_pence: number;
  sum_of_squares: number;
}

export interface YearlyLeaderRow {
  expense_type: string | null;
  year: number;
  supplier_id: number;
  supplier_name: string;
  supplier_pence: number;
  year_pence: number;
}

export interface SpendFilter {
  supplierId?: number | undefined;
  expenseType?: string | undefined;
}

export type SupplierSort = 'total' | 'councils' | 'name';

const ORDER: Record<SupplierSort, ReturnType<typeof sql>> = {
  total: sql`t.total_pence desc, s.id`,
  councils: sql`t.councils desc, t.total_pence desc, s.id`,
  name: sql`s.name, s.id`,
};

/**
 * A page of an organisation's suppliers by amount paid, from its supplier totals (0173): a row per supplier, so the
 * page is read in index order and only its rows are joined to their names; the count is a separate index scan.
 */
async function pageOfSupplierTotals(
  db: Kysely<SpendAnalysisTables>,
  organisationId: number,
  page: { offset: number; limit: number },
): Promise<{ total: number; rows: (AmountRow & { supplier_id: number })[] }> {
  const [count, rows] = await Promise.all([
    sql<{ total: number }>`
      select count(*)::int8 as total from spend_organisation_supplier_totals
      where organisation_id = ${organisationId} and supplier_id is not null and transactions > 0
    `.execute(db),
    sql<AmountRow & { supplier_id: number }>`
      select o.supplier_id, s.name as key, o.transactions::int8 as transactions, o.total_pence::int8 as total_pence
      from spend_organisation_supplier_totals o join suppliers s on s.id = o.supplier_id
      where o.organisation_id = ${organisationId} and o.transactions > 0
      order by o.total_pence desc, o.supplier_id
      limit ${page.limit} offset ${page.offset}
    `.execute(db),
  ]);
  return { total: rows.rows.length === 0 ? 0 : (count.rows[0]?.total ?? 0), rows: rows.rows };
}

/** Matches a supplier search counts before it says "more than" instead of how many. */
export const SEARCH_COUNT_CAP = 1000;

/** Every query of the spend analysis pages: they read the summaries (spend_breakdown_totals, spend_supplier_totals, roll-ups, organisation totals). Over 80 lines as a list of queries, each its own short function. */
export function createSpendAnalysisRepository(db: Kysely<SpendAnalysisTables>) {
  const filterClause = (filter: SpendFilter) =>
    sql.join(
      [
        sql`true`,
        ...(filter.supplierId !== undefined ? [sql`supplier_id = ${filter.supplierId}`] : []),
        ...(filter.expenseType !== undefined ? [sql`lower(expense_type) = lower(${filter.expenseType})`] : []),
      ],
      sql` and `,
    );

  return {
    /**
     * Suppliers paid anything, whose normalised name or alias contains `needle` (or all), with their totals. A search
     * counts its matches only up to SEARCH_COUNT_CAP (or the end of the page asked for): measured at 100M payments and
     * 500,000 suppliers, counting the 57,000 names with a common word took as long as finding the page (200 ms each,
     * 550 ms at p95 together); counting to a thousand takes 65 ms.
     */
    async searchSuppliers(
      needle: string | null,
      companyNumber: string | null,
      sort: SupplierSort,
      page: { offset: number; limit: number },
    ): Promise<{ total: number; totalIsLowerBound: boolean; rows: SupplierListRow[] }> {
      const matches = needle
        ? sql`and s.staged_file_id is null and (s.normalised_name like ${`%${needle}%`}
              or s.id in (select supplier_id from supplier_aliases where alias like ${`%${needle}%`})
              ${companyNumber ? sql`or s.company_number = ${companyNumber}` : sql``})`
        : sql``;
      const cap = needle ? Math.max(SEARCH_COUNT_CAP, page.offset + page.limit) : null;
      const [count, rows] = await Promise.all([
        sql<{ total: number }>`
          select count(*)::int8 as total from (
            select 1 from spend_supplier_totals t join suppliers s on s.id = t.supplier_id
            where t.transactions > 0 ${matches}
            ${cap === null ? sql`` : sql`limit ${cap + 1}`}
          ) matched
        `.execute(db),
        sql<SupplierListRow>`
          select s.id, s.name, t.total_pence, t.councils, t.transactions
          from spend_supplier_totals t join suppliers s on s.id = t.supplier_id
          where t.transactions > 0 ${matches}
          order by ${ORDER[sort]}
          limit ${page.limit} offset ${page.offset}
        `.execute(db),
      ]);
      const total = count.rows[0]?.total ?? 0;
      return cap !== null && total > cap
        ? { total: cap, totalIsLowerBound: true, rows: rows.rows }
        : { total, totalIsLowerBound: false, rows: rows.rows };
    },

    /** Suppliers added since an instant (all when none), with their company number and a few other names: the one search. */
    async listSuppliersAddedSince(since: Date | undefined) {
      const result = await sql<{ id: number; name: string; company_number: string | null; created_at: Date; aliases: string | null }>`
        select s.id, s.name, s.company_number, s.created_at,
          (select string_agg(a.alias, ' | ') from (select alias from supplier_aliases where supplier_id = s.id order by alias limit 5) a) as aliases
        from suppliers s
        ${since ? sql`where s.created_at >= ${since}` : sql``}
        order by s.id
      `.execute(db);
      return result.rows;
    },

    /** One supplier with its totals (zeros when it has none). */
    async findSupplier(id: number) {
      return db
        .selectFrom('suppliers as s')
        .leftJoin('spend_supplier_totals as t', 't.supplier_id', 's.id')
        .select([
          's.id',
          's.name',
          's.normalised_name',
          's.company_number',
          's.vat_number',
          sql<number>`coalesce(t.total_pence, 0)`.as('total_pence'),
          sql<number>`coalesce(t.transactions, 0)`.as('transactions'),
          sql<number>`coalesce(t.councils, 0)`.as('councils'),
        ])
        .where('s.id', '=', id)
        .executeTakeFirst();
    },

    /** The normalised names a supplier was paid under. */
    async listSupplierAliases(id: number): Promise<string[]> {
      const rows = await db.selectFrom('supplier_aliases').select('alias').where('supplier_id', '=', id).orderBy('alias').execute();
      return rows.map((row) => row.alias);
    },

    /** What each organisation paid a supplier. */
    async listSupplierOrganisationTotals(id: number): Promise<OrganisationAmountRow[]> {
      const result = await sql<OrganisationAmountRow>`
        select organisation_id, sum(transactions)::int8 as transactions, sum(total_pence)::int8 as total_pence
        from spend_breakdown_totals where supplier_id = ${id}
        group by organisation_id having sum(transactions) > 0
        order by 3 desc, 1
      `.execute(db);
      return result.rows;
    },

    /** A supplier's payments by month (YYYY-MM-01), across every organisation. */
    async listSupplierMonths(id: number): Promise<AmountRow[]> {
      const result = await sql<AmountRow>`
        select to_char(month, 'YYYY-MM') as key, sum(transactions)::int8 as transactions, sum(total_pence)::int8 as total_pence
        from spend_monthly_rollups where supplier_id = ${id}
        group by month order by month
      `.execute(db);
      return result.rows;
    },

    /** A supplier's payments by expense type or by service. */
    async listSupplierBreakdown(id: number, dimension: 'expense_type' | 'service'): Promise<AmountRow[]> {
      const result = await sql<AmountRow>`
        select ${sql.ref(dimension)} as key, sum(transactions)::int8 as transactions, sum(total_pence)::int8 as total_pence
        from spend_breakdown_totals where supplier_id = ${id}
        group by 1 having sum(transactions) > 0 order by 3 desc
      `.execute(db);
      return result.rows;
    },

    /**
     * Totals of every organisation with imported spend (from the file records: one row per file); the dates are those
     * its files cover (a file without dates covers the period it was published for), with its payments that had none.
     */
    async listOrganisationTotals(): Promise<(OrganisationAmountRow & OrganisationDatesRow)[]> {
      const result = await sql<OrganisationAmountRow & OrganisationDatesRow>`
        select organisation_id, sum(rows_imported)::int8 as transactions, sum(total_pence)::int8 as total_pence,
               min(${fileCoversFromSql})::text as date_from, max(${fileCoversToSql})::text as date_to,
               sum(rows_without_dates)::int8 as without_dates
        from spend_files where status = 'imported'
        group by organisation_id order by 3 desc
      `.execute(db);
      return result.rows;
    },

    /** An organisation's (or several organisations') spend by month, optionally with one supplier or expense type. */
    async listOrganisationMonths(
      organisationIds: readonly number[],
      filter: SpendFilter = {},
    ): Promise<(AmountRow & { organisation_id: number })[]> {
      if (organisationIds.length === 0) return [];
      // All spend: a row per organisation and month (0173), not every roll-up group of the organisation.
      const result = await sql<AmountRow & { organisation_id: number }>`
        select organisation_id, to_char(month, 'YYYY-MM') as key, sum(transactions)::int8 as transactions, sum(total_pence)::int8 as total_pence
        from ${filter.supplierId === undefined && filter.expenseType === undefined ? sql`spend_organisation_month_totals` : sql`spend_monthly_rollups`}
        where organisation_id = any(${sql.val(organisationIds)}::int[]) and ${filterClause(filter)}
        group by organisation_id, month order by month, organisation_id
      `.execute(db);
      return result.rows;
    },

    /** Totals of several organisations, optionally with one supplier or within one expense type. */
    async listOrganisationTotalsFor(
      organisationIds: readonly number[],
      filter: SpendFilter = {},
    ): Promise<(OrganisationAmountRow & { suppliers: number })[]> {
      if (organisationIds.length === 0) return [];
      // Unless within one expense type: a row per organisation and supplier (0173), not one per expense type and service too.
      const result = await sql<OrganisationAmountRow & { suppliers: number }>`
        select organisation_id, sum(transactions)::int8 as transactions, sum(total_pence)::int8 as total_pence,
               count(distinct supplier_id) filter (where transactions > 0)::int8 as suppliers
        from ${filter.expenseType === undefined ? sql`spend_organisation_supplier_totals` : sql`spend_breakdown_totals`}
        where organisation_id = any(${sql.val(organisationIds)}::int[]) and ${filterClause(filter)}
        group by organisation_id
      `.execute(db);
      return result.rows;
    },

    /** An organisation's suppliers by amount paid (optionally within one expense type), a page at a time. */
    async listOrganisationSuppliers(
      organisationId: number,
      expenseType: string | undefined,
      page: { offset: number; limit: number },
    ): Promise<{ total: number; rows: (AmountRow & { supplier_id: number })[] }> {
      if (expenseType === undefined) return pageOfSupplierTotals(db, organisationId, page);
      const where = sql`organisation_id = ${organisationId} and supplier_id is not null and ${filterClause({ expenseType })}`;
      const result = await sql<AmountRow & { supplier_id: number; total: number }>`
        with per_supplier as (
          select supplier_id, sum(transactions)::int8 as transactions, sum(total_pence)::int8 as total_pence
          from spend_breakdown_totals where ${where}
          group by supplier_id having sum(transactions) > 0
        )
        select p.supplier_id, s.name as key, p.transactions, p.total_pence, count(*) over ()::int8 as total
        from per_supplier p join suppliers s on s.id = p.supplier_id
        order by p.total_pence desc, p.supplier_id
        limit ${page.limit} offset ${page.offset}
      `.execute(db);
      return { total: result.rows[0]?.total ?? 0, rows: result.rows.map(({ total: _total, ...row }) => row) };
    },

    /** An organisation's spend by expense type or by service. */
    async listOrganisationBreakdown(organisationId: number, dimension: 'expense_type' | 'service'): Promise<AmountRow[]> {
      // From the organisation's breakdown totals (0177): a row per expense type or service, not one per supplier too.
      const result = await sql<AmountRow>`
        select value as key, transactions::int8 as transactions, total_pence::int8 as total_pence
        from spend_organisation_breakdown_totals where organisation_id = ${organisationId} and dimension = ${dimension} and transactions > 0
        order by 3 desc, 1
      `.execute(db);
      return result.rows;
    },

    /** Per expense type: named suppliers with a positive net total, their sum, the top one and top five, and the sum of squares (kept by the summary trigger). */
    async listOrganisationConcentration(organisationId: number): Promise<ConcentrationAggregateRow[]> {
      const stale = await db
        .selectFrom('spend_expense_concentration_stale')
        .select('organisation_id')
        .where('organisation_id', '=', organisationId)
        .executeTakeFirst();
      if (stale) {
        await db.transaction().execute(async (trx) => {
          await sql`select spend_refresh_expense_concentration(${sql.val([organisationId])}::int[])`.execute(trx);
        });
      }
      return db
        .selectFrom('spend_expense_concentration')
        .select(['expense_type', 'suppliers', 'total_pence', 'top1_pence', 'top5_pence', 'sum_of_squares'])
        .where('organisation_id', '=', organisationId)
        .orderBy('total_pence', 'desc')
        .orderBy('expense_type')
        .execute();
    },

    /** For each expense type and calendar year of an organisation, the supplier paid most and its share. */
    async listOrganisationYearlyLeaders(organisationId: number): Promise<YearlyLeaderRow[]> {
      // From the organisation's yearly supplier totals (0177): a supplier paid every month is one row a year, not
      // twelve. Each year's leader is one probe of the leader index (0179), not a ranking of every row.
      const result = await sql<YearlyLeaderRow>`
        with years as (
          select expense_type, year, sum(total_pence) as year_pence
          from spend_organisation_year_supplier_totals
          where organisation_id = ${organisationId} and total_pence > 0
          group by expense_type, year
        )
        select y.expense_type, y.year, l.supplier_id, s.name as supplier_name, l.total_pence::int8 as supplier_pence, y.year_pence::int8 as year_pence
        from years y
        cross join lateral (
          select t.supplier_id, t.total_pence from spend_organisation_year_supplier_totals t
          where t.organisation_id = ${organisationId} and t.year = y.year and coalesce(t.expense_type, '') = coalesce(y.expense_type, '')
            and t.total_pence > 0
          order by t.total_pence desc, t.supplier_id
          limit 1
        ) l
        join suppliers s on s.id = l.supplier_id
        order by y.expense_type, y.year
      `.execute(db);
      return result.rows;
    },

    /** Suppliers paid by at least `minimum` organisations, most widely used first. */
    async listSharedSuppliers(
      minimum: number,
      page: { offset: number; limit: number },
    ): Promise<{ total: number; rows: SupplierListRow[] }> {
      const [count, rows] = await Promise.all([
        sql<{ total: number }>`select count(*)::int8 as total from spend_supplier_totals where councils >= ${minimum}`.execute(db),
        sql<SupplierListRow>`
          select s.id, s.name, t.total_pence, t.councils, t.transactions
          from spend_supplier_totals t join suppliers s on s.id = t.supplier_id
          where t.councils >= ${minimum}
          order by t.councils desc, t.total_pence desc, s.id
          limit ${page.limit} offset ${page.offset}
        `.execute(db),
      ]);
      return { total: count.rows[0]?.total ?? 0, rows: rows.rows };
    },

    /** For some suppliers, each kind of spend (expense type, compared without case) and how many organisations booked it so. */
    async listSupplierExpenseTypesAcrossOrganisations(
      supplierIds: readonly number[],
    ): Promise<{ supplier_id: number; expense_type: string; councils: number; total_pence: number }[]> {
      if (supplierIds.length === 0) return [];
      const result = await sql<{ supplier_id: number; expense_type: string; councils: number; total_pence: number }>`
        select supplier_id, min(expense_type) as expense_type, count(distinct organisation_id)::int8 as councils, sum(total_pence)::int8 as total_pence
        from spend_breakdown_totals
        where supplier_id = any(${sql.val(supplierIds)}::int[]) and expense_type is not null and transactions > 0
        group by supplier_id, lower(expense_type)
        order by supplier_id, 3 desc, 4 desc
      `.execute(db);
      return result.rows;
    },

    /** Suppliers holding any of these company numbers. */
    async findSuppliersByCompanyNumbers(numbers: readonly string[]): Promise<{ id: number; company_number: string }[]> {
      if (numbers.length === 0) return [];
      const rows = await db
        .selectFrom('suppliers')
        .select(['id', 'company_number'])
        .where('company_number', 'in', numbers)
        .orderBy('id')
        .execute();
      return rows.flatMap((row) => (row.company_number ? [{ id: row.id, company_number: row.company_number }] : []));
    },

    /** The supplier each of these normalised names stands for (as an alias, or as a supplier's own normalised name). */
    async findSuppliersByNormalisedNames(names: readonly string[]): Promise<{ name: string; id: number }[]> {
      if (names.length === 0) return [];
      const result = await sql<{ name: string; id: number }>`
        select alias as name, supplier_id as id from supplier_aliases where alias = any(${sql.val(names)}::text[])
        union all
        select normalised_name, min(id) from suppliers where normalised_name = any(${sql.val(names)}::text[]) group by normalised_name
      `.execute(db);
      return result.rows;
    },

    /** Names of some suppliers. */
    async listSupplierNames(ids: readonly number[]): Promise<{ id: number; name: string }[]> {
      if (ids.length === 0) return [];
      return db.selectFrom('suppliers').select(['id', 'name']).where('id', 'in', ids).execute();
    },
  };
}

export type SpendAnalysisRepository = ReturnType<typeof createSpendAnalysisRepository>;
