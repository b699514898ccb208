import { cpvDivision } from './contracts.cpv.js';
import type { ContractsQueries } from './contracts.repository.js';
import { compactKey } from './ocds/compact-key.js';
import type { ContractDraft, ContractSupplier } from './ocds/index.js';

/** Drafts written per round trip: enough to keep the database busy, few enough that memory stays flat. */
const BATCH_SIZE = 500;

/** The key that tells suppliers apart when matching them to spend suppliers. */
export function supplierKey(supplier: ContractSupplier): string {
  return `${supplier.scheme ?? ''}\u0000${supplier.id ?? ''}\u0000${supplier.name ?? ''}`;
}

function dateOnly(value: string | null): string | null {
  return value && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null;
}

type Outcome = 'created' | 'updated' | 'unchanged';

/** A contract draft as a row of the register. */
function contractRow(draft: ContractDraft, organisationOf: (buyerName: string | null) => { id: number } | undefined, fileName: string) {
  return {
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
    organisation_id: organisationOf(draft.buyerName)?.id ?? null,
    value_pence: draft.valuePence,
    minimum_value_pence: draft.minimumValuePence,
    currency: draft.currency,
    start_date: dateOnly(draft.startDate),
    end_date: dateOnly(draft.endDate),
    status: draft.status,
    source_url: draft.sourceUrl,
    cpv_codes: draft.cpvCodes,
    category: cpvDivision(draft.cpvCodes[0]),
    source_file: fileName,
  };
}

/** What a contract writer needs: the queries, the file's matched suppliers and buyers, the time and the file's name. */
interface ContractWriterOptions {
  queries: ContractsQueries;
  supplierIds: Map<string, number | null>;
  organisationOf: (buyerName: string | null) => { id: number } | undefined;
  now: Date;
  fileName: string;
}

/**
 * Writes contract drafts inside the import's transaction, a batch at a time. The same identity key can come from
 * several releases of a file: the newest release wins, wherever in the file it is, and a stored contract from a newer
 * release than the file's is left as it is. Each key's outcome is remembered so the counts describe the file as a whole.
 */
export function createContractWriter({ queries, supplierIds, organisationOf, now, fileName }: ContractWriterOptions) {
  let batch: ContractDraft[] = [];
  // By compact key: one entry per contract of a file of any size.
  const outcomes = new Map<string, Outcome>();

  /** Three statements for a whole batch: the contracts, then their suppliers replaced. */
  async function write(drafts: readonly ContractDraft[]): Promise<void> {
    const ids = await queries.upsertContracts(
      drafts.map((draft) => contractRow(draft, organisationOf, fileName)),
      now,
    );
    const suppliers = drafts.flatMap((draft) =>
      draft.suppliers.map((supplier, position) => ({
        contract_id: ids.get(draft.identityKey) as number,
        position,
        name: supplier.name,
        scheme: supplier.scheme,
        identifier: supplier.id,
        supplier_id: supplierIds.get(supplierKey(supplier)) ?? null,
        scale: supplier.scale,
      })),
    );
    await queries.replaceSuppliersOfContracts([...ids.values()], suppliers);
  }

  async function flush(): Promise<void> {
    if (batch.length === 0) return;
    // Newest release first within the batch; the stored rows settle it across batches.
    const newest = new Map<string, ContractDraft>();
    for (const draft of batch) {
      const held = newest.get(draft.identityKey);
      if (!held || (draft.releaseDate ?? '') >= (held.releaseDate ?? '')) newest.set(draft.identityKey, draft);
    }
    batch = [];
    const drafts = [...newest.values()];
    const stored = new Map(
      (await queries.findContractsByIdentityKeys(drafts.map((draft) => draft.identityKey))).map((row) => [row.identity_key, row]),
    );
    const toWrite: ContractDraft[] = [];
    for (const draft of drafts) {
      const held = stored.get(draft.identityKey);
      const key = compactKey(draft.identityKey);
      const before = outcomes.get(key);
      if (held && (held.release_date ?? '') > (draft.releaseDate ?? '')) {
        if (before === undefined) outcomes.set(key, 'unchanged');
        continue;
      }
      toWrite.push(draft);
      if (before === undefined) outcomes.set(key, held ? 'updated' : 'created');
      else if (before === 'unchanged') outcomes.set(key, 'updated');
    }
    await write(toWrite);
  }

  return {
    add(drafts: readonly ContractDraft[]): void {
      batch.push(...drafts);
    },
    /** Writes the gathered drafts once there are enough of them. */
    async flushWhenFull(): Promise<void> {
      if (batch.length >= BATCH_SIZE) await flush();
    },
    flush,
    counts(): { contracts: number; created: number; updated: number; unchanged: number } {
      const counts = { contracts: outcomes.size, created: 0, updated: 0, unchanged: 0 };
      for (const outcome of outcomes.values()) counts[outcome] += 1;
      return counts;
    },
  };
}
