import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import fsPromises from 'node:fs/promises';
import os from 'node:os';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import type { Actor } from '../../platform/actor.js';
import { recordAuditEvent } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import type { SearchDocumentInput } from '../../platform/search.js';
import { isoDate } from '../../platform/clock.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import { contractsPolicy } from './contracts.policy.js';
import type { Organisation, OrganisationsService } from '../organisations/index.js';
import { cpvDivisionName } from './contracts.cpv.js';
import { createContractWriter, supplierKey } from './contracts.writer.js';
import { type ContractDraft, describeIssue, type OcdsIssue, type OcdsShape, readOcds, textChunks } from './ocds/index.js';
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

/** Feeds every chunk to a hash on its way through. */
async function* hashing(chunks: AsyncIterable<string>, hash: Hash): AsyncIterable<string> {
  for await (const chunk of chunks) {
    hash.update(chunk);
    yield chunk;
  }
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

  /**
   * Imports one OCDS file in two readings. The first checks it against the standard (no database involved) and
   * gathers its suppliers; a file with any error is refused with the JSON paths of each problem and nothing is
   * written. The second reads it again and writes every contract, added or updated by its identity key, in one
   * transaction with one audit event, a few hundred at a time.
   */
  async function importOcdsSource(input: {
    open: () => AsyncIterable<string>;
    fileName: string;
    actor: Actor | null;
  }): Promise<OcdsImportOutcome> {
    const suppliers = new Map<string, ContractDraft['suppliers'][number]>();
    const firstHash = createHash('sha256');
    const checked = await readOcds(hashing(input.open(), firstHash), {
      onRelease: ({ contracts }) => {
        for (const draft of contracts) for (const supplier of draft.suppliers) suppliers.set(supplierKey(supplier), supplier);
      },
    });
    const described = { errors: checked.errors.map(describeIssue), warnings: checked.warnings.map(describeIssue) };
    const outcome = { file: input.fileName, shapes: checked.shapes, issues: { errors: checked.errors, warnings: checked.warnings } };
    if (checked.errors.length > 0) {
      return { ...outcome, ...described, status: 'rejected', releases: 0, contracts: 0, created: 0, updated: 0, unchanged: 0 };
    }
    const sha256 = firstHash.digest('hex');
    const supplierIds = await matchDistinctSuppliers([...suppliers.values()]);
    const { byName } = await organisationIndex();
    const now = clock();
    const written = await repository.inTransaction(async (queries, trx) => {
      const organisationOf = (buyerName: string | null) => (buyerName ? byName.get(normaliseBuyer(buyerName)) : undefined);
      const writer = createContractWriter({ queries, supplierIds, organisationOf, now, fileName: input.fileName });
      const secondHash = createHash('sha256');
      await readOcds(hashing(input.open(), secondHash), {
        validate: false,
        onRelease: ({ contracts }) => writer.add(contracts),
        afterChunk: () => writer.flushWhenFull(),
      });
      await writer.flush();
      // The file was checked in the first reading; if it changed since, nothing of this reading is kept.
      if (secondHash.digest('hex') !== sha256)
        throw new ConflictError(`${input.fileName} changed while it was being imported; nothing was written`);
      const counts = writer.counts();
      const importId = await queries.insertImport({
        file_name: input.fileName,
        sha256,
        package_kind: `${checked.layout === 'single' ? '' : `${checked.layout}: `}${checked.shapes.join(', ')}`.slice(0, 200),
        releases: checked.releases,
        contracts: counts.contracts,
        created: counts.created,
        updated: counts.updated,
        imported_by: input.actor?.userId ?? null,
      });
      await recordAuditEvent(trx, input.actor, {
        action: 'contracts.ocds-imported',
        subjectType: 'contract-import',
        subjectId: importId,
        organisationId: null,
        before: null,
        after: { file: input.fileName, sha256, releases: checked.releases, ...counts },
      });
      return counts;
    });
    return { ...outcome, ...described, status: 'imported', releases: checked.releases, ...written };
  }

  /** Spend supplier ids for each distinct supplier named in a file, asked a few thousand at a time. */
  async function matchDistinctSuppliers(suppliers: ContractDraft['suppliers']): Promise<Map<string, number | null>> {
    const ids = new Map<string, number | null>();
    for (let start = 0; start < suppliers.length; start += 5000) {
      const slice = suppliers.slice(start, start + 5000);
      const matched = await matchSuppliers(slice);
      slice.forEach((supplier, index) => ids.set(supplierKey(supplier), matched[index] ?? null));
    }
    return ids;
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
     * Imports OCDS text (any shape the reader recognises): see importOcdsSource.
     */
    async importOcds(input: { text: string; fileName: string; actor: Actor | null }): Promise<OcdsImportOutcome> {
      return importOcdsSource({ open: () => textChunks(input.text), fileName: input.fileName, actor: input.actor });
    },

    /** Reads and imports an OCDS file from disk, streamed: a bulk download of any size keeps memory flat. */
    async importOcdsFile(filePath: string, actor: Actor | null = null, fileName = path.basename(filePath)): Promise<OcdsImportOutcome> {
      return importOcdsSource({ open: () => fs.createReadStream(filePath, { encoding: 'utf8', highWaterMark: 1 << 20 }), fileName, actor });
    },

    /** Whether this person may import OCDS files (the import form is shown only to them). */
    canImportContracts: (actor: Actor | null) => contractsPolicy.canImportContracts(actor),

    /**
     * Imports an uploaded OCDS file: who may import is decided before a byte is read; the upload is kept in a
     * temporary file (so it can be read twice without holding it in memory) and removed afterwards.
     */
    async importOcdsUpload(
      actor: Actor,
      upload: { fileName: string; stream: Readable & { truncated?: boolean } },
    ): Promise<OcdsImportOutcome> {
      if (!contractsPolicy.canImportContracts(actor)) {
        upload.stream.resume();
        throw new NotAllowedError('Only platform admins import contracts: they come from national sources for every council.');
      }
      const folder = await fsPromises.mkdtemp(path.join(os.tmpdir(), 'commons-ocds-'));
      const file = path.join(folder, 'upload.json');
      try {
        await pipeline(upload.stream, fs.createWriteStream(file, { mode: 0o600 }));
        if (upload.stream.truncated)
          throw new InputError('The file is too big', [{ field: 'file', message: 'The selected file must be smaller than 2 GB' }]);
        return await this.importOcdsFile(file, actor, path.basename(upload.fileName) || 'upload.json');
      } finally {
        await fsPromises.rm(folder, { recursive: true, force: true });
      }
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
        organisationIndex(),
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
