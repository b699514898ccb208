import type { Clock } from '../../platform/clock.js';
import type { SearchDocumentInput } from '../../platform/search.js';
import { InputError, NotFoundError } from '../../platform/errors.js';
import type { Organisation, OrganisationsService } from '../organisations/index.js';
import { cleanCompanyNumber, normaliseSupplierName } from '../spend/index.js';
import { type Concentration, concentrationFromAggregate, describeConcentration } from './spend-concentration.js';
import type { AmountRow, SpendAnalysisRepository, SpendFilter, SupplierSort } from './spend-intelligence.repository.js';

export interface SupplierListItem {
  id: number;
  name: string;
  totalPence: number;
  councils: number;
  transactions: number;
}

export interface Amount {
  key: string | null;
  label: string;
  transactions: number;
  totalPence: number;
  share: number;
}

export interface CouncilReference {
  organisationId: number;
  gssCode: string | null;
  slug: string;
  name: string;
  councilTypeName: string | null;
  region: string | null;
  population: number | null;
}

export interface CouncilAmount extends CouncilReference {
  totalPence: number;
  transactions: number;
  perResidentPence: number | null;
}

export interface ConcentrationItem extends Concentration {
  level: 'low' | 'moderate' | 'high';
  meaning: string;
}

export interface LockInSignal {
  expenseType: string | null;
  supplierId: number;
  supplierName: string;
  years: number[];
  lowestShare: number;
}

/** Share of an expense type's spend a supplier must take in a year to count as leading it, for lock-in. */
export const LOCK_IN_SHARE = 0.5;
/** Years a supplier must lead an expense type before it is called a lock-in signal. */
export const LOCK_IN_YEARS = 3;

const DIRECTORY_TTL_MS = 60_000;

function presentAmounts(rows: readonly AmountRow[], emptyLabel: string): Amount[] {
  const total = rows.reduce((sum, row) => sum + Math.max(0, row.total_pence), 0);
  return rows.map((row) => ({
    key: row.key,
    label: row.key ?? emptyLabel,
    transactions: row.transactions,
    totalPence: row.total_pence,
    share: total > 0 ? Math.round((Math.max(0, row.total_pence) / total) * 10_000) / 10_000 : 0,
  }));
}

function reference(organisation: Organisation): CouncilReference {
  return {
    organisationId: organisation.id,
    gssCode: organisation.gssCode,
    slug: organisation.slug,
    name: organisation.name,
    councilTypeName: organisation.councilTypeName,
    region: organisation.region,
    population: organisation.population,
  };
}

function perResident(totalPence: number, population: number | null): number | null {
  return population && population > 0 ? Math.round(totalPence / population) : null;
}

/** Finds lock-in: expense types where one supplier took at least LOCK_IN_SHARE of the spend in LOCK_IN_YEARS or more years. */
export function findLockIn(
  leaders: readonly { expenseType: string | null; year: number; supplierId: number; supplierName: string; share: number }[],
): LockInSignal[] {
  const groups = new Map<
    string,
    { expenseType: string | null; supplierId: number; supplierName: string; years: number[]; shares: number[] }
  >();
  for (const leader of leaders) {
    if (leader.share < LOCK_IN_SHARE) continue;
    const key = `${leader.expenseType ?? ''}\u0000${leader.supplierId}`;
    const group = groups.get(key) ?? {
      expenseType: leader.expenseType,
      supplierId: leader.supplierId,
      supplierName: leader.supplierName,
      years: [],
      shares: [],
    };
    group.years.push(leader.year);
    group.shares.push(leader.share);
    groups.set(key, group);
  }
  return [...groups.values()]
    .filter((group) => group.years.length >= LOCK_IN_YEARS)
    .map((group) => ({
      expenseType: group.expenseType,
      supplierId: group.supplierId,
      supplierName: group.supplierName,
      years: [...group.years].sort((a, b) => a - b),
      lowestShare: Math.min(...group.shares),
    }))
    .sort((a, b) => b.years.length - a.years.length || b.lowestShare - a.lowestShare);
}

/** Spend intelligence: suppliers across councils, council spend, concentration, lock-in, comparisons and shared suppliers. */
export function createSpendAnalysisService({
  spendAnalysisRepository: repository,
  organisationsService,
  clock,
}: {
  spendAnalysisRepository: SpendAnalysisRepository;
  organisationsService: Pick<OrganisationsService, 'listOrganisations' | 'getOrganisation'>;
  clock: Clock;
}) {
  let directory: { loadedAt: number; byId: Map<number, Organisation>; all: Organisation[] } | null = null;

  /** Every organisation in the register, kept for a minute: names, codes and populations for spend figures. */
  async function organisationDirectory() {
    const now = clock().getTime();
    if (directory && now - directory.loadedAt < DIRECTORY_TTL_MS) return directory;
    const { items } = await organisationsService.listOrganisations({ page: 1, pageSize: 100_000 });
    directory = { loadedAt: now, byId: new Map(items.map((item) => [item.id, item])), all: items };
    return directory;
  }

  async function councilByCode(code: string): Promise<Organisation> {
    const { all } = await organisationDirectory();
    const wanted = code.trim().toUpperCase();
    const found = all.find((item) => item.gssCode?.toUpperCase() === wanted || item.slug.toUpperCase() === wanted);
    if (found) return found;
    const detail = await organisationsService.getOrganisation(code.trim());
    return detail;
  }

  async function withCouncils(rows: readonly { organisation_id: number; total_pence: number; transactions: number }[]) {
    const { byId } = await organisationDirectory();
    return rows.flatMap((row) => {
      const organisation = byId.get(row.organisation_id);
      // Spend is published by public bodies; a supplier's rows (from before uploads were refused to them) are never a council's.
      if (!organisation || organisation.kind === 'supplier') return [];
      return [
        {
          ...reference(organisation),
          totalPence: row.total_pence,
          transactions: row.transactions,
          perResidentPence: perResident(row.total_pence, organisation.population),
        } satisfies CouncilAmount,
      ];
    });
  }

  async function concentrationOf(organisationId: number): Promise<ConcentrationItem[]> {
    const rows = await repository.listOrganisationConcentration(organisationId);
    return rows.map((row) => {
      const concentration = concentrationFromAggregate({
        expenseType: row.expense_type,
        suppliers: row.suppliers,
        totalPence: row.total_pence,
        top1Pence: row.top1_pence,
        top5Pence: row.top5_pence,
        sumOfSquares: row.sum_of_squares,
      });
      return { ...concentration, ...describeConcentration(concentration) };
    });
  }

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
      const { total, rows } = await repository.searchSuppliers(needle, cleanCompanyNumber(text), query.sort ?? 'total', {
        offset: (query.page - 1) * query.pageSize,
        limit: query.pageSize,
      });
      return {
        total,
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

export type SpendAnalysisService = ReturnType<typeof createSpendAnalysisService>;
