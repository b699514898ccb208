import type { Clock } from '../../platform/clock.js';
import type { SearchDocumentInput } from '../../platform/search.js';
import { isoDate } from '../../platform/clock.js';
import { NotFoundError } from '../../platform/errors.js';
import type { Organisation, OrganisationsService } from '../organisations/index.js';
import { cpvDivisionName } from './contracts.cpv.js';
import { createContractImports } from './contract-imports.service.js';
import { organisationIndex } from './contract-buyers.js';
import type { OcdsIssue, OcdsShape } from './ocds/index.js';
import type { ContractFilter, ContractRow, ContractsRepository, ContractSupplierRow } from './contracts.repository.js';
import { addMonthsToDate } from '../../platform/months.js';

export interface OcdsImportOutcome {
  file: string;
  status: 'imported' | 'rejected';
  releases: number;
  contracts: number;
  created: number;
  updated: number;
  /** Contracts left as they were because the stored release is newer. */
  unchanged: number;
  /** Each grouped problem in one line: the message, then the JSON paths where it occurs. */
  errors: string[];
  warnings: string[];
  /** The same problems, structured: message, paths and count. */
  issues: { errors: OcdsIssue[]; warnings: OcdsIssue[] };
  /** What the file held: release package, record package, release, compiled release, record, versioned release. */
  shapes: OcdsShape[];
}

export interface ContractSummary {
  id: number;
  title: string | null;
  ocid: string;
  source: 'contract' | 'award' | 'tender';
  buyerName: string | null;
  organisation: { gssCode: string | null; slug: string; name: string } | null;
  suppliers: { name: string | null; identifier: string | null; supplierId: number | null }[];
  valuePence: number | null;
  minimumValuePence: number | null;
  currency: string | null;
  startDate: string | null;
  endDate: string | null;
  status: string | null;
  category: string | null;
  categoryName: string | null;
  cpvCodes: string[];
  sourceUrl: string | null;
  releaseDate: string | null;
}

/** Matches contract suppliers to spend suppliers (the spend module does this; see spend-intelligence). */
export type SupplierMatcher = (
  suppliers: readonly { name: string | null; scheme: string | null; id: string | null }[],
) => Promise<(number | null)[]>;

export { cpvDivision, cpvDivisionName } from './contracts.cpv.js';

/** Months ahead the expiry timeline looks. */
export const EXPIRY_HORIZON_MONTHS = 18;

/** A contract as a search document, with its buyer and suppliers; supplier topics for followers. */
function contractSearchDocument(row: ContractRow, named: readonly ContractSupplierRow[]): SearchDocumentInput {
  return {
    type: 'contract',
    key: String(row.id),
    title: row.title ?? row.ocid,
    names: row.ocid,
    body: [
      row.description ?? '',
      row.buyer_name ? `Buyer: ${row.buyer_name}.` : '',
      named.length > 0 ? `Suppliers: ${named.map((supplier) => supplier.name ?? '').join(', ')}.` : '',
    ]
      .filter(Boolean)
      .join('\n'),
    url: `/contracts/${row.id}`,
    visibility: 'public' as const,
    topics: named.flatMap((supplier) => (supplier.supplier_id ? [`supplier:${supplier.supplier_id}`] : [])),
    updatedAt: row.updated_at,
  };
}

/**
 * Contracts from OCDS: import (contract-imports.service.ts), the register per council, expiry timeline, and links to
 * spend suppliers. Over 80 lines as a set of short methods sharing one set of dependencies.
 */
export function createContractsService({
  contractsRepository: repository,
  organisationsService,
  matchSuppliers,
  clock,
}: {
  contractsRepository: ContractsRepository;
  organisationsService: Pick<OrganisationsService, 'listOrganisations' | 'getOrganisation'>;
  matchSuppliers: SupplierMatcher;
  clock: Clock;
}) {
  function present(row: ContractRow, suppliers: readonly ContractSupplierRow[], byId: Map<number, Organisation>): ContractSummary {
    const organisation = row.organisation_id === null ? undefined : byId.get(row.organisation_id);
    return {
      id: row.id,
      title: row.title,
      ocid: row.ocid,
      source: row.source,
      buyerName: row.buyer_name,
      organisation: organisation ? { gssCode: organisation.gssCode, slug: organisation.slug, name: organisation.name } : null,
      suppliers: suppliers
        .filter((supplier) => supplier.contract_id === row.id)
        .map((supplier) => ({ name: supplier.name, identifier: supplier.identifier, supplierId: supplier.supplier_id })),
      valuePence: row.value_pence,
      minimumValuePence: row.minimum_value_pence,
      currency: row.currency,
      startDate: row.start_date,
      endDate: row.end_date,
      status: row.status,
      category: row.category,
      categoryName: cpvDivisionName(row.category),
      cpvCodes: row.cpv_codes,
      sourceUrl: row.source_url,
      releaseDate: row.release_date,
    };
  }

  async function presentRows(rows: readonly ContractRow[]): Promise<ContractSummary[]> {
    const [suppliers, { byId }] = await Promise.all([
      repository.listContractSuppliers(rows.map((row) => row.id)),
      organisationIndex(organisationsService),
    ]);
    return rows.map((row) => present(row, suppliers, byId));
  }

  return {
    ...createContractImports({ repository, organisationsService, matchSuppliers, clock }),

    /** Contracts as search documents (changed since an instant, or all), with buyer and suppliers; supplier topics for followers. */
    async listSearchDocuments(changedSince?: Date): Promise<SearchDocumentInput[]> {
      const rows = await repository.listContractsChangedSince(changedSince);
      const suppliers = await repository.listContractSuppliers(rows.map((row) => row.id));
      const byContract = new Map<number, ContractSupplierRow[]>();
      for (const supplier of suppliers) byContract.set(supplier.contract_id, [...(byContract.get(supplier.contract_id) ?? []), supplier]);
      return rows.map((row) => contractSearchDocument(row, byContract.get(row.id) ?? []));
    },

    /** A page of the contract register, optionally for one council (GSS code or slug), ending soonest first. */
    async listContracts(query: {
      organisation?: string | undefined;
      q?: string | undefined;
      status?: string | undefined;
      endingWithinMonths?: number | undefined;
      page: number;
      pageSize: number;
    }) {
      let organisation: Organisation | null = null;
      if (query.organisation) organisation = await organisationsService.getOrganisation(query.organisation);
      const today = isoDate(clock());
      const filter: ContractFilter = {
        organisationId: organisation?.id,
        q: query.q?.trim() || undefined,
        status: query.status || undefined,
        ...(query.endingWithinMonths ? { endingFrom: today, endingTo: addMonthsToDate(today, query.endingWithinMonths) } : {}),
      };
      const { total, rows } = await repository.listContracts(filter, { offset: (query.page - 1) * query.pageSize, limit: query.pageSize });
      return {
        organisation: organisation ? { gssCode: organisation.gssCode, slug: organisation.slug, name: organisation.name } : null,
        total,
        items: await presentRows(rows),
      };
    },

    /** Contracts ending in the next 18 months (optionally for one council), grouped by the month they end. */
    async getExpiryTimeline(query: { organisation?: string | undefined }) {
      const listed = await this.listContracts({
        organisation: query.organisation,
        endingWithinMonths: EXPIRY_HORIZON_MONTHS,
        page: 1,
        pageSize: 1000,
      });
      const months = new Map<string, ContractSummary[]>();
      for (const contract of listed.items) {
        const month = (contract.endDate ?? '').slice(0, 7);
        months.set(month, [...(months.get(month) ?? []), contract]);
      }
      return {
        organisation: listed.organisation,
        total: listed.total,
        from: isoDate(clock()),
        to: addMonthsToDate(isoDate(clock()), EXPIRY_HORIZON_MONTHS),
        months: [...months.entries()].map(([month, contracts]) => ({ month, contracts })),
      };
    },

    /** One contract with its suppliers. */
    async getContract(id: number): Promise<ContractSummary & { description: string | null }> {
      const row = await repository.findContract(id);
      if (!row) throw new NotFoundError(`No contract has the id ${id}`);
      const [presented] = await presentRows([row]);
      if (!presented) throw new NotFoundError(`No contract has the id ${id}`);
      return { ...presented, description: row.description };
    },

    /** Contracts naming a spend supplier. */
    /**
     * The share of contract value with small and medium-sized suppliers, where the supplier's size is known (OCDS
     * partyScale), with the councils whose contracts give it; null when no contract gives a supplier's size.
     */
    async measureSmeShare(): Promise<{ smePence: number; knownPence: number; councilIds: number[] } | null> {
      const rows = await repository.sumValueBySupplierScale();
      const knownPence = rows.reduce((sum, row) => sum + row.known_pence, 0);
      if (knownPence === 0) return null;
      return {
        smePence: rows.reduce((sum, row) => sum + row.sme_pence, 0),
        knownPence,
        councilIds: rows.map((row) => row.organisation_id),
      };
    },

    async listContractsOfSupplier(supplierId: number): Promise<ContractSummary[]> {
      return presentRows(await repository.listContractsOfSupplier(supplierId));
    },

    /** Collective re-procurement chances: CPV divisions where two or more councils' contracts end in the same half-year. */
    async listExpiryClusters() {
      const today = isoDate(clock());
      const [rows, { byId }] = await Promise.all([
        repository.listExpiryClusters(today, addMonthsToDate(today, EXPIRY_HORIZON_MONTHS)),
        organisationIndex(organisationsService),
      ]);
      return rows.map((row) => ({
        category: row.category,
        categoryName: cpvDivisionName(row.category),
        windowStart: row.window_start,
        windowEnd: addMonthsToDate(row.window_start, 6),
        councils: row.councils,
        contracts: row.contracts,
        councilNames: row.organisation_ids.flatMap((id) => {
          const organisation = byId.get(id);
          return organisation ? [organisation.name] : [];
        }),
        contractIds: row.contract_ids,
      }));
    },

    /** How many contracts the register holds. */
    countContracts: () => repository.countContracts(),
  };
}

export type ContractsService = ReturnType<typeof createContractsService>;
