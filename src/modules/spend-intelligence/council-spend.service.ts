import type { Organisation } from '../organisations/index.js';
import { InputError, NotFoundError } from '../../platform/errors.js';
import type { SpendAnalysisCore, SpendAnalysisDependencies } from './spend-intelligence.core.js';
import type { SpendFilter } from './spend-intelligence.repository.js';
import { findLockIn, perResident, presentAmounts, reference } from './spend-intelligence.records.js';

/** Councils’ spend: each council’s figures and suppliers, concentration and lock-in, comparisons and similar councils. Over 80 lines as a set of short methods sharing one set of dependencies. */
export function createCouncilSpendService(
  { spendAnalysisRepository: repository }: SpendAnalysisDependencies,
  { organisationDirectory, councilByCode, withCouncils, concentrationOf }: SpendAnalysisCore,
) {
  return {
    /** Every council with imported spend, largest total first. */
    async listCouncilsWithSpend() {
      const rows = await repository.listOrganisationTotals();
      const councils = await withCouncils(rows);
      const dates = new Map(rows.map((row) => [row.organisation_id, { dateFrom: row.date_from, dateTo: row.date_to }]));
      return councils.map((council) => ({ ...council, ...(dates.get(council.organisationId) ?? { dateFrom: null, dateTo: null }) }));
    },

    /** A council's spend: totals, spend per resident, months, top suppliers, expense types, services, concentration and lock-in. */
    async getCouncilSpend(code: string) {
      const organisation = await councilByCode(code);
      const [totals, months, suppliers, expenseTypes, services, concentration, leaders, files] = await Promise.all([
        repository.listOrganisationTotalsFor([organisation.id]),
        repository.listOrganisationMonths([organisation.id]),
        repository.listOrganisationSuppliers(organisation.id, undefined, { offset: 0, limit: 20 }),
        repository.listOrganisationBreakdown(organisation.id, 'expense_type'),
        repository.listOrganisationBreakdown(organisation.id, 'service'),
        concentrationOf(organisation.id),
        repository.listOrganisationYearlyLeaders(organisation.id),
        repository.listOrganisationTotals(),
      ]);
      const total = totals[0] ?? { total_pence: 0, transactions: 0, suppliers: 0 };
      const period = files.find((file) => file.organisation_id === organisation.id);
      return {
        organisation: reference(organisation),
        totalPence: total.total_pence,
        transactions: total.transactions,
        suppliers: total.suppliers,
        dateFrom: period?.date_from ?? null,
        dateTo: period?.date_to ?? null,
        paymentsWithoutDates: period?.without_dates ?? 0,
        perResidentPence: perResident(total.total_pence, organisation.population),
        months: presentAmounts(months, 'Unknown'),
        topSuppliers: {
          total: suppliers.total,
          items: suppliers.rows.map((row) => ({
            id: row.supplier_id,
            name: row.key ?? '',
            transactions: row.transactions,
            totalPence: row.total_pence,
          })),
        },
        expenseTypes: presentAmounts(expenseTypes, 'Not stated'),
        services: presentAmounts(services, 'Not stated'),
        concentration,
        lockIn: findLockIn(
          leaders.map((row) => ({
            expenseType: row.expense_type,
            year: row.year,
            supplierId: row.supplier_id,
            supplierName: row.supplier_name,
            share: row.year_pence > 0 ? row.supplier_pence / row.year_pence : 0,
          })),
        ),
        yearsCovered: new Set(leaders.map((row) => row.year)).size,
      };
    },

    /** A council's suppliers by amount paid, a page at a time, optionally within one expense type. */
    async listCouncilSuppliers(code: string, query: { expenseType?: string | undefined; page: number; pageSize: number }) {
      const organisation = await councilByCode(code);
      const { total, rows } = await repository.listOrganisationSuppliers(organisation.id, query.expenseType, {
        offset: (query.page - 1) * query.pageSize,
        limit: query.pageSize,
      });
      return {
        organisation: reference(organisation),
        total,
        items: rows.map((row) => ({
          id: row.supplier_id,
          name: row.key ?? '',
          transactions: row.transactions,
          totalPence: row.total_pence,
        })),
      };
    },

    /** Concentration of a council's spend among suppliers, per expense type: HHI, top-1 and top-5 shares. */
    async getConcentration(code: string) {
      const organisation = await councilByCode(code);
      return { organisation: reference(organisation), items: await concentrationOf(organisation.id) };
    },

    /** Councils side by side: all spend, spend with one supplier, or spend within one expense type; totals and months. */
    async compareCouncils(query: { councils: readonly string[]; supplierId?: number | undefined; expenseType?: string | undefined }) {
      const codes = [...new Set(query.councils.map((code) => code.trim()).filter((code) => code !== ''))];
      if (codes.length < 2)
        throw new InputError('Choose at least two councils to compare', [
          { field: 'councils', message: 'Choose at least two councils to compare' },
        ]);
      if (codes.length > 8)
        throw new InputError('Compare at most eight councils at once', [{ field: 'councils', message: 'Choose eight councils or fewer' }]);
      const organisations: Organisation[] = [];
      for (const code of codes) {
        try {
          organisations.push(await councilByCode(code));
        } catch (error) {
          if (error instanceof NotFoundError)
            throw new InputError(`No council has the code ${code}`, [{ field: 'councils', message: `No council has the code ${code}` }]);
          throw error;
        }
      }
      const supplier = query.supplierId !== undefined ? await repository.findSupplier(query.supplierId) : undefined;
      if (query.supplierId !== undefined && !supplier) throw new NotFoundError(`No supplier has the id ${query.supplierId}`);
      const filter: SpendFilter = { supplierId: query.supplierId, expenseType: query.expenseType?.trim() || undefined };
      const ids = organisations.map((organisation) => organisation.id);
      const [totals, months] = await Promise.all([
        repository.listOrganisationTotalsFor(ids, filter),
        repository.listOrganisationMonths(ids, filter),
      ]);
      const totalOf = new Map(totals.map((row) => [row.organisation_id, row]));
      const monthKeys = [...new Set(months.map((row) => row.key ?? ''))].sort();
      return {
        supplier: supplier ? { id: supplier.id, name: supplier.name } : null,
        expenseType: filter.expenseType ?? null,
        councils: organisations.map((organisation) => {
          const row = totalOf.get(organisation.id);
          const totalPence = row?.total_pence ?? 0;
          return {
            ...reference(organisation),
            totalPence,
            transactions: row?.transactions ?? 0,
            suppliers: row?.suppliers ?? 0,
            perResidentPence: perResident(totalPence, organisation.population),
          };
        }),
        months: monthKeys.map((month) => ({
          month,
          values: organisations.map(
            (organisation) => months.find((row) => row.key === month && row.organisation_id === organisation.id)?.total_pence ?? 0,
          ),
        })),
      };
    },

    /**
     * Councils like this one that have spend data here: the same type in the same region first, then the same type
     * nearest in population.
     */
    async findSimilarCouncils(code: string, limit = 5) {
      const organisation = await councilByCode(code);
      const [{ all }, withSpend] = await Promise.all([organisationDirectory(), repository.listOrganisationTotals()]);
      // Only councils with spend here: a comparison with one that has none would show nothing.
      const hasSpend = new Set(withSpend.map((row) => row.organisation_id));
      const candidates = all.filter(
        (item) =>
          item.id !== organisation.id &&
          hasSpend.has(item.id) &&
          item.kind === 'principal' &&
          item.current &&
          item.councilType === organisation.councilType,
      );
      const distance = (item: Organisation) => Math.abs((item.population ?? 0) - (organisation.population ?? 0));
      const sameRegion = candidates
        .filter((item) => organisation.region !== null && item.region === organisation.region)
        .sort((a, b) => distance(a) - distance(b));
      const nearest = candidates.filter((item) => !sameRegion.includes(item)).sort((a, b) => distance(a) - distance(b));
      return {
        organisation: reference(organisation),
        items: [
          ...sameRegion.map((item) => ({ ...reference(item), reason: `Same type, ${item.region ?? 'same region'}` })),
          ...nearest.map((item) => ({ ...reference(item), reason: 'Same type, nearest population' })),
        ].slice(0, limit),
      };
    },
  };
}
