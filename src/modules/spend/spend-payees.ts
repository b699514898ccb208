import { cleanPostcode, normaliseSupplierName, ownCopy, type SpendRecord } from './ingest/index.js';
import { cleanCompanyNumber, cleanVatNumber } from './supplier-matching.js';

/** The payees of a file as an import sees them: each one's identity, worked out once, and those resolved recently. */

/** Distinct payees an import remembers (between this and twice this); more than the batches parsed ahead can name. */
export const MAX_REMEMBERED_PAYEES = 50_000;

/** A payee as the supplier resolver sees it: the raw name and identifiers, cleaned, and the key they are resolved by. */
export interface SupplierIdentity {
  key: string;
  rawName: string;
  normalisedName: string;
  companyNumber: string | null;
  vatNumber: string | null;
  /** The postcode the payee was first seen with: not part of the key (a company pays from several places), a hint for fuzzy matching. */
  postcode: string | null;
}

/** Resolves payees to supplier ids (by key), in the import's transaction. Asked once per payee, or again for one forgotten (RecentMap). */
export type ResolveSuppliers = (identities: SupplierIdentity[]) => Promise<Map<string, number>>;

/**
 * Payee identities of one file. Redacted and nameless payees have none (they resolve to no supplier rather than a
 * pseudo-supplier, so supplier counts and concentration are not distorted by withheld names).
 */
export class SupplierIdentities {
  /** By raw name, company number and VAT number: a file names few payees many times (measured: a third of the import's CPU went on building them per row). */
  private readonly byRaw = new Map<string, SupplierIdentity | null>();

  of(record: SpendRecord): SupplierIdentity | null {
    if (record.supplierRedacted) return null;
    const rawKey =
      record.companyNumber === null && record.vatNumber === null
        ? record.supplierName
        : `${record.supplierName}\u0000${record.companyNumber ?? ''}\u0000${record.vatNumber ?? ''}`;
    const known = this.byRaw.get(rawKey);
    if (known !== undefined) return known;
    const supplierName = ownCopy(record.supplierName);
    const normalisedName = ownCopy(normaliseSupplierName(supplierName));
    const companyNumber = normalisedName === '' ? null : cleanCompanyNumber(record.companyNumber);
    const vatNumber = normalisedName === '' || companyNumber ? null : cleanVatNumber(record.vatNumber);
    const identity =
      normalisedName === ''
        ? null
        : {
            key: `${companyNumber ?? ''}|${vatNumber ?? ''}|${normalisedName}`,
            rawName: supplierName,
            normalisedName,
            companyNumber,
            vatNumber,
            postcode: cleanPostcode(record.supplierPostcode),
          };
    // Names repeat heavily within a file; the cache is cleared rather than grown without bound.
    if (this.byRaw.size > MAX_REMEMBERED_PAYEES) this.byRaw.clear();
    this.byRaw.set(ownCopy(rawKey), identity);
    return identity;
  }
}

/**
 * A map that remembers the last `limit` to `2 × limit` keys set: when full it starts afresh, keeping the previous
 * generation readable, so memory stays flat however many distinct payees a file names. A key is forgotten only
 * after `limit` newer ones, far more than the batches parsed ahead can be waiting on; a payee named again after
 * that is simply resolved again (by its alias).
 */
export class RecentMap<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();

  constructor(private readonly limit: number) {}

  get(key: string): V | undefined {
    return this.current.get(key) ?? this.previous.get(key);
  }

  has(key: string): boolean {
    return this.current.has(key) || this.previous.has(key);
  }

  set(key: string, value: V): void {
    if (this.current.size >= this.limit) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
  }
}
