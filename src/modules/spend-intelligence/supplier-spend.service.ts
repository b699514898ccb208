import type { SearchDocumentInput } from '../../platform/search.js';
import { NotFoundError } from '../../platform/errors.js';
import { cleanCompanyNumber, normaliseSupplierName } from '../spend/index.js';
import type { SpendAnalysisCore, SpendAnalysisDependencies } from './spend-intelligence.core.js';
import type { AmountRow, SupplierSort } from './spend-intelligence.repository.js';
import { presentAmounts, type SupplierListItem } from './spend-intelligence.records.js';

/** Suppliers across councils: search, one supplier, those several councils share, matching contract suppliers, and their search documents. Over 80 lines as a set of short methods sharing one set of dependencies. */
export function createSupplierSpendService(
  { spendAnalysisRepository: repository }: SpendAnalysisDependencies,
  { withCouncils }: SpendAnalysisCore,
) {
  return {
    /** Suppliers as search documents (added since an instant, or all): name, other names and company number. */
    async listSearchDocuments(changedSince?: Date): Promise<SearchDocumentInput[]> {
      const rows = await repository.listSuppliersAddedSince(changedSince);
      return rows.map((row) => ({
        type: 'supplier',
        key: String(row.id),
        title: row.name,
        names: [row.aliases ?? '', row.company_number ?? ''].filter(Boolean).join(' | '),
        body: row.company_number ? `Supplier paid by councils. Company number ${row.company_number}.` : 'Supplier paid by councils.',
        url: `/spend/suppliers/${row.id}`,
        visibility: 'public' as const,
        topics: [],
        updatedAt: row.created_at,
      }));
    },

    /** Suppliers whose name (any alias) contains the text, or whose company number it is; largest totals first. */
    async searchSuppliers(query: { q?: string | undefined; sort?: SupplierSort | undefined; page: number; pageSize: number }) {
      const text = query.q?.trim() ?? '';
      const needle = text === '' ? null : normaliseSupplierName(text) || text.toUpperCase();
      const { total, totalIsLowerBound, rows } = await repository.searchSuppliers(needle, cleanCompanyNumber(text), query.sort ?? 'total', {
        offset: (query.page - 1) * query.pageSize,
        limit: query.pageSize,
      });
      return {
        total,
        totalIsLowerBound,
        items: rows.map((row): SupplierListItem => ({
          id: row.id,
          name: row.name,
          totalPence: row.total_pence,
          councils: row.councils,
          transactions: row.transactions,
        })),
      };
    },

    /** One supplier: totals, identifiers, names seen, and its payments by council, year, month, expense type and service. */
    async getSupplier(id: number) {
      const supplier = await repository.findSupplier(id);
      if (!supplier) throw new NotFoundError(`No supplier has the id ${id}`);
      const [aliases, byOrganisation, months, expenseTypes, services] = await Promise.all([
        repository.listSupplierAliases(id),
        repository.listSupplierOrganisationTotals(id),
        repository.listSupplierMonths(id),
        repository.listSupplierBreakdown(id, 'expense_type'),
        repository.listSupplierBreakdown(id, 'service'),
      ]);
      const years = new Map<string, AmountRow>();
      for (const month of months) {
        const year = (month.key ?? '').slice(0, 4);
        const entry = years.get(year) ?? { key: year, transactions: 0, total_pence: 0 };
        entry.transactions += month.transactions;
        entry.total_pence += month.total_pence;
        years.set(year, entry);
      }
      return {
        id: supplier.id,
        name: supplier.name,
        normalisedName: supplier.normalised_name,
        companyNumber: supplier.company_number,
        vatNumber: supplier.vat_number,
        totalPence: supplier.total_pence,
        transactions: supplier.transactions,
        councils: supplier.councils,
        aliases,
        byCouncil: await withCouncils(byOrganisation),
        byYear: presentAmounts([...years.values()], 'Unknown'),
        byMonth: presentAmounts(months, 'Unknown'),
        byExpenseType: presentAmounts(expenseTypes, 'Not stated'),
        byService: presentAmounts(services, 'Not stated'),
      };
    },

    /** Suppliers paid by at least `minCouncils` councils, with the kinds of spend several councils booked them under. */
    async listSharedSuppliers(query: { minCouncils: number; page: number; pageSize: number }) {
      const { total, rows } = await repository.listSharedSuppliers(query.minCouncils, {
        offset: (query.page - 1) * query.pageSize,
        limit: query.pageSize,
      });
      const kinds = await repository.listSupplierExpenseTypesAcrossOrganisations(rows.map((row) => row.id));
      return {
        total,
        items: rows.map((row) => ({
          id: row.id,
          name: row.name,
          totalPence: row.total_pence,
          councils: row.councils,
          transactions: row.transactions,
          sharedExpenseTypes: kinds
            .filter((kind) => kind.supplier_id === row.id && kind.councils >= 2)
            .slice(0, 3)
            .map((kind) => ({ expenseType: kind.expense_type, councils: kind.councils, totalPence: kind.total_pence })),
        })),
      };
    },

    /** The spend supplier each contract supplier is: by company number (GB-COH), then by normalised name; null when none. */
    async matchSuppliers(
      suppliers: readonly { name: string | null; scheme: string | null; id: string | null }[],
    ): Promise<(number | null)[]> {
      const companyNumbers = suppliers.map((supplier) =>
        supplier.scheme?.toUpperCase() === 'GB-COH' || supplier.scheme === null ? cleanCompanyNumber(supplier.id) : null,
      );
      const names = suppliers.map((supplier) => (supplier.name ? normaliseSupplierName(supplier.name) : ''));
      const [byCompany, byName] = await Promise.all([
        repository.findSuppliersByCompanyNumbers(companyNumbers.filter((value): value is string => value !== null)),
        repository.findSuppliersByNormalisedNames(names.filter((name) => name !== '')),
      ]);
      const company = new Map(byCompany.map((row) => [row.company_number, row.id]));
      const named = new Map<string, number>();
      for (const row of byName) if (!named.has(row.name)) named.set(row.name, row.id);
      return suppliers.map((_, index) => {
        const number = companyNumbers[index];
        const name = names[index];
        return (number ? company.get(number) : undefined) ?? (name ? named.get(name) : undefined) ?? null;
      });
    },

    /** Names of suppliers by id (for other modules' pages). */
    async listSupplierNames(ids: readonly number[]): Promise<Map<number, string>> {
      return new Map((await repository.listSupplierNames(ids)).map((row) => [row.id, row.name]));
    },
  };
}
