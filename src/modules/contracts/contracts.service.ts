import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Actor } from '../../platform/actor.js';
import { recordAuditEvent } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import type { SearchDocumentInput } from '../../platform/search.js';
import { isoDate } from '../../platform/clock.js';
import { NotFoundError } from '../../platform/errors.js';
import type { Organisation, OrganisationsService } from '../organisations/index.js';
import { type ContractDraft, parseOcds } from './ocds/index.js';
import type { ContractFilter, ContractRow, ContractsRepository, ContractSupplierRow } from './contracts.repository.js';

export interface OcdsImportOutcome {
  file: string;
  status: 'imported' | 'rejected';
  releases: number;
  contracts: number;
  created: number;
  updated: number;
  /** Contracts left as they were because the stored release is newer. */
  unchanged: number;
  errors: string[];
  warnings: string[];
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

/** Matches contract suppliers to spend suppliers (the spend module does this; see spend/analysis). */
export type SupplierMatcher = (
  suppliers: readonly { name: string | null; scheme: string | null; id: string | null }[],
) => Promise<(number | null)[]>;

/** Months ahead the expiry timeline looks. */
export const EXPIRY_HORIZON_MONTHS = 18;

// CPV divisions (the first two digits of a Common Procurement Vocabulary code), named briefly for people.
const CPV_DIVISIONS: Record<string, string> = {
  '09': 'Fuel and energy',
  '15': 'Food and drink',
  '18': 'Clothing and workwear',
  '22': 'Printed matter',
  '30': 'Office and computing equipment',
  '32': 'Radio, television and telecoms equipment',
  '33': 'Medical equipment',
  '34': 'Vehicles and transport equipment',
  '39': 'Furniture and furnishings',
  '42': 'Industrial machinery',
  '44': 'Construction materials',
  '45': 'Construction work',
  '48': 'Software packages and information systems',
  '50': 'Repair and maintenance',
  '55': 'Hotel, catering and retail',
  '60': 'Transport services',
  '64': 'Postal and telecoms services',
  '65': 'Utilities',
  '66': 'Financial and insurance services',
  '70': 'Property services',
  '71': 'Architecture, engineering and inspection',
  '72': 'IT services',
  '73': 'Research and development',
  '75': 'Administration and social security services',
  '77': 'Agricultural, forestry and horticultural services',
  '79': 'Business services',
  '80': 'Education and training',
  '85': 'Health and social care',
  '90': 'Waste, cleaning and environmental services',
  '92': 'Recreation, culture and sport',
  '98': 'Other community and personal services',
};

/** The CPV division of a code ("72000000" from "72212000"), or null. */
export function cpvDivision(code: string | undefined): string | null {
  const match = code ? /^(\d{2})\d{6}/.exec(code.trim()) : null;
  return match?.[1] ? `${match[1]}000000` : null;
}

/** A person's name for a CPV division code. */
export function cpvDivisionName(category: string | null): string | null {
  if (!category) return null;
  const division = category.slice(0, 2);
  return CPV_DIVISIONS[division] ?? `CPV division ${division}`;
}

function dateOnly(value: string | null): string | null {
  return value && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null;
}

function normaliseBuyer(name: string): string {
  return name
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .replace(/\b(the)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Adds months to a YYYY-MM-DD date (day kept, clamped by the calendar). */
function addMonths(date: string, months: number): string {
  const value = new Date(`${date}T00:00:00Z`);
  value.setUTCMonth(value.getUTCMonth() + months);
  return value.toISOString().slice(0, 10);
}

/** Contracts from OCDS: import, the register per council, expiry timeline, and links to spend suppliers. */
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
  async function organisationIndex() {
    const { items } = await organisationsService.listOrganisations({ page: 1, pageSize: 100_000 });
    const byName = new Map<string, Organisation>();
    // Current organisations win a shared name: a buyer today is today's council.
    for (const item of [...items].sort((a, b) => Number(a.current) - Number(b.current))) {
      for (const name of [item.name, item.officialName, ...item.alternativeNames]) byName.set(normaliseBuyer(name), item);
    }
    return { byName, byId: new Map(items.map((item) => [item.id, item])) };
  }

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
    const [suppliers, { byId }] = await Promise.all([repository.listContractSuppliers(rows.map((row) => row.id)), organisationIndex()]);
    return rows.map((row) => present(row, suppliers, byId));
  }

  return {
    /** Contracts as search documents (changed since an instant, or all), with buyer and suppliers; supplier topics for followers. */
    async listSearchDocuments(changedSince?: Date): Promise<SearchDocumentInput[]> {
      const rows = await repository.listContractsChangedSince(changedSince);
      const suppliers = await repository.listContractSuppliers(rows.map((row) => row.id));
      const byContract = new Map<number, ContractSupplierRow[]>();
      for (const supplier of suppliers) byContract.set(supplier.contract_id, [...(byContract.get(supplier.contract_id) ?? []), supplier]);
      return rows.map((row) => {
        const named = byContract.get(row.id) ?? [];
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
      });
    },

    /**
     * Imports one OCDS file (release or record package, bare release, list of releases, or record): every contract
     * is added or updated by its identity key, all in one transaction with one audit event; a file with any
     * problem is refused with the JSON path of each problem and nothing is written.
     */
    async importOcds(input: { text: string; fileName: string; actor: Actor | null }): Promise<OcdsImportOutcome> {
      // The file is named in the outcome; each problem is told by its JSON path.
      const result = parseOcds(input.text);
      const empty = { file: input.fileName, releases: 0, contracts: 0, created: 0, updated: 0, unchanged: 0, warnings: [] };
      if (!result.ok) {
        return {
          ...empty,
          status: 'rejected',
          errors: result.errors.map((issue) => `${issue.path}: ${issue.message}`),
        };
      }
      // The same identity key can appear in several releases of a package: the newest release wins.
      const drafts = new Map<string, ContractDraft>();
      for (const draft of result.contracts) {
        const held = drafts.get(draft.identityKey);
        if (!held || (draft.releaseDate ?? '') >= (held.releaseDate ?? '')) drafts.set(draft.identityKey, draft);
      }
      const { byName } = await organisationIndex();
      const chosen = [...drafts.values()];
      const supplierIds = await matchSuppliers(chosen.flatMap((draft) => draft.suppliers));
      const now = clock();
      const sha256 = createHash('sha256').update(input.text).digest('hex');
      const counts = await repository.inTransaction(async (queries, trx) => {
        const existing = new Map(
          (await queries.findContractsByIdentityKeys(chosen.map((draft) => draft.identityKey))).map((row) => [row.identity_key, row]),
        );
        let created = 0;
        let updated = 0;
        let unchanged = 0;
        let supplierIndex = 0;
        for (const draft of chosen) {
          const ids = draft.suppliers.map(() => supplierIds[supplierIndex++] ?? null);
          const held = existing.get(draft.identityKey);
          if (held && (held.release_date ?? '') > (draft.releaseDate ?? '')) {
            unchanged++;
            continue;
          }
          const organisation = draft.buyerName ? byName.get(normaliseBuyer(draft.buyerName)) : undefined;
          const contractId = await queries.upsertContract(
            {
              identity_key: draft.identityKey,
              source: draft.source,
              ocid: draft.ocid,
              release_id: draft.releaseId,
              release_date: draft.releaseDate,
              award_id: draft.awardId,
              contract_id: draft.contractId,
              title: draft.title,
              description: draft.description,
              buyer_name: draft.buyerName,
              buyer_scheme: draft.buyerIdentifier?.scheme ?? null,
              buyer_identifier: draft.buyerIdentifier?.id ?? null,
              organisation_id: organisation?.id ?? null,
              value_pence: draft.valuePence,
              minimum_value_pence: draft.minimumValuePence,
              currency: draft.currency,
              start_date: dateOnly(draft.startDate),
              end_date: dateOnly(draft.endDate),
              status: draft.status,
              source_url: draft.sourceUrl,
              cpv_codes: draft.cpvCodes,
              category: cpvDivision(draft.cpvCodes[0]),
              source_file: input.fileName,
            },
            now,
          );
          await queries.replaceContractSuppliers(
            contractId,
            draft.suppliers.map((supplier, position) => ({
              position,
              name: supplier.name,
              scheme: supplier.scheme,
              identifier: supplier.id,
              supplier_id: ids[position] ?? null,
            })),
          );
          if (held) updated++;
          else created++;
        }
        const importId = await queries.insertImport({
          file_name: input.fileName,
          sha256,
          package_kind: result.packageKind,
          releases: result.releases.length,
          contracts: chosen.length,
          created,
          updated,
          imported_by: input.actor?.userId ?? null,
        });
        await recordAuditEvent(trx, input.actor, {
          action: 'contracts.ocds-imported',
          subjectType: 'contract-import',
          subjectId: importId,
          organisationId: null,
          before: null,
          after: { file: input.fileName, sha256, releases: result.releases.length, contracts: chosen.length, created, updated, unchanged },
        });
        return { created, updated, unchanged };
      });
      return {
        file: input.fileName,
        status: 'imported',
        releases: result.releases.length,
        contracts: chosen.length,
        ...counts,
        errors: [],
        warnings: result.warnings,
      };
    },

    /** Reads and imports an OCDS file from disk. */
    async importOcdsFile(filePath: string, actor: Actor | null = null): Promise<OcdsImportOutcome> {
      const text = await fs.readFile(filePath, 'utf8');
      return this.importOcds({ text, fileName: path.basename(filePath), actor });
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
        ...(query.endingWithinMonths ? { endingFrom: today, endingTo: addMonths(today, query.endingWithinMonths) } : {}),
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
        to: addMonths(isoDate(clock()), EXPIRY_HORIZON_MONTHS),
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
    async listContractsOfSupplier(supplierId: number): Promise<ContractSummary[]> {
      return presentRows(await repository.listContractsOfSupplier(supplierId));
    },

    /** Collective re-procurement chances: CPV divisions where two or more councils' contracts end in the same half-year. */
    async listExpiryClusters() {
      const today = isoDate(clock());
      const [rows, { byId }] = await Promise.all([
        repository.listExpiryClusters(today, addMonths(today, EXPIRY_HORIZON_MONTHS)),
        organisationIndex(),
      ]);
      return rows.map((row) => ({
        category: row.category,
        categoryName: cpvDivisionName(row.category),
        windowStart: row.window_start,
        windowEnd: addMonths(row.window_start, 6),
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
