import type { SupplierIdentity } from './spend-copy-chunks.js';
import type { BlockCandidate, SpendQueries } from './spend.repository.js';
import { blockingKeys, compareSupplierNames, type NameProfile, nameProfile, type PairVerdict } from './supplier-matching.js';
import { candidateBlocks } from './supplier-blocking.js';

/** Published suppliers fetched per block of word starts (oldest first); a block this full is a common one. */
const SUPPLIERS_PER_BLOCK = 50;
/** Published suppliers scored per new name: those sharing most of its blocks, then the oldest. */
const CANDIDATES_PER_NAME = 10;
/** A blocking key shared by more suppliers of one import than this tells too little to compare them all. */
const MAX_BLOCK = 400;
/** Blocks larger than this are compared only for a name with no smaller one. */
const COMMON_BLOCK = 60;

type AliasSource = 'exact' | 'company-number' | 'vat' | 'fuzzy';

/** A supplier this import made, as the in-memory matcher keeps it. */
interface MadeSupplier {
  id: number;
  normalisedName: string;
  profile: NameProfile;
  companyNumber: string | null;
  vatNumber: string | null;
  postcode: string | null;
}

interface Candidate {
  id: number;
  profile: NameProfile;
  companyNumber: string | null;
  vatNumber: string | null;
  postcode: string | null;
}

/** Two different company numbers, or two different VAT numbers, say two different companies whatever their names. */
function identifiersConflict(identity: SupplierIdentity, candidate: Candidate): boolean {
  if (identity.companyNumber && candidate.companyNumber && identity.companyNumber !== candidate.companyNumber) return true;
  return Boolean(identity.vatNumber && candidate.vatNumber && identity.vatNumber !== candidate.vatNumber);
}

/**
 * A name a person would have to check ('review') is taken as the same supplier when both payees give the same
 * postcode: a similar name at the same address. Different postcodes change nothing, because one company pays from
 * many places; only company and VAT numbers keep two payees apart.
 */
function withPostcode(verdict: PairVerdict, identity: SupplierIdentity, candidate: Candidate): PairVerdict {
  return verdict === 'review' && identity.postcode !== null && identity.postcode === candidate.postcode ? 'merge' : verdict;
}

/**
 * Resolves one import's payees to suppliers, set by set (a request's new payees together), inside the import's
 * transaction. In file order, each payee goes to: the supplier holding its company number, else its VAT number,
 * else its normalised name as an alias (which is how a reviewer's merge or split is remembered for later files),
 * else the best-scoring similar supplier when compareSupplierNames says 'merge', or 'review' at the same postcode
 * (unless company or VAT numbers disagree); otherwise it becomes a new supplier, with a review queued when a similar one scored 'review'.
 *
 * Similar suppliers come from two places: published ones, fetched for all of a request's names in one statement
 * by blocks of word starts (candidateBlocks, through the trigram index) and scored here in memory, and the ones
 * this import made, kept in memory and blocked by word prefixes. Suppliers
 * staged by this import are never fetched as fuzzy candidates from the database, so a payee meets the same
 * candidates whether the file arrives in one request or one payee at a time: the file resolves the same however
 * it is chunked.
 */
export class ImportSupplierResolution {
  private readonly madeByCompany = new Map<string, number>();
  private readonly madeByVat = new Map<string, number>();
  private readonly aliases = new Map<string, number>();
  private readonly made = new Map<number, MadeSupplier>();
  private readonly blocks = new Map<string, MadeSupplier[]>();
  private readonly profiles = new Map<string, NameProfile>();

  constructor(readonly stagingFileId: number | null) {}

  async resolve(repository: SpendQueries, pending: readonly SupplierIdentity[]): Promise<Map<string, number>> {
    const resolved = new Map<string, number>();
    if (pending.length === 0) return resolved;
    const { byCompany, byVat, byAlias } = await this.findKnown(repository, pending);
    // Published suppliers for all the new names at once, by blocks of word starts; scored in memory below.
    const fuzzy = pending.filter(
      (identity) =>
        !(identity.companyNumber && byCompany.has(identity.companyNumber)) &&
        !(identity.vatNumber && byVat.has(identity.vatNumber)) &&
        !byAlias.has(identity.normalisedName),
    );
    const publishedFor = await this.publishedCandidates(repository, fuzzy);

    const aliases: { alias: string; supplier_id: number; source: AliasSource }[] = [];
    const fresh: { identity: SupplierIdentity; temporaryId: number }[] = [];
    const reviews: { identity: SupplierIdentity; temporaryId: number; candidateId: number; similarity: number }[] = [];
    let nextTemporary = -1;
    const assign = (identity: SupplierIdentity, id: number, source: AliasSource) => {
      resolved.set(identity.key, id);
      aliases.push({ alias: identity.normalisedName, supplier_id: id, source });
      if (!this.aliases.has(identity.normalisedName)) this.aliases.set(identity.normalisedName, id);
    };

    for (const identity of pending) {
      const byNumber =
        (identity.companyNumber ? (byCompany.get(identity.companyNumber) ?? this.madeByCompany.get(identity.companyNumber)) : undefined) ??
        (identity.vatNumber ? (byVat.get(identity.vatNumber) ?? this.madeByVat.get(identity.vatNumber)) : undefined);
      if (byNumber !== undefined) {
        assign(identity, byNumber, identity.companyNumber ? 'company-number' : 'vat');
        continue;
      }
      const aliased = byAlias.get(identity.normalisedName) ?? this.aliases.get(identity.normalisedName);
      if (aliased !== undefined) {
        resolved.set(identity.key, aliased);
        continue;
      }
      const profile = this.profileOf(identity.rawName);
      const best = this.bestCandidate(identity, profile, publishedFor(identity.rawName));
      if (best?.verdict === 'merge') {
        assign(identity, best.id, 'fuzzy');
        continue;
      }
      const temporaryId = nextTemporary--;
      fresh.push({ identity, temporaryId });
      this.remember({
        id: temporaryId,
        normalisedName: identity.normalisedName,
        profile,
        companyNumber: identity.companyNumber,
        vatNumber: identity.vatNumber,
        postcode: identity.postcode,
      });
      assign(identity, temporaryId, 'exact');
      if (best?.verdict === 'review') reviews.push({ identity, temporaryId, candidateId: best.id, similarity: best.score });
    }

    await this.save(repository, { resolved, aliases, fresh, reviews });
    return resolved;
  }

  /** The suppliers already holding the payees' company numbers, VAT numbers and names (as aliases). */
  private async findKnown(repository: SpendQueries, pending: readonly SupplierIdentity[]) {
    const byCompany = new Map(
      (await repository.findSuppliersByCompanyNumbers(unique(pending.map((identity) => identity.companyNumber)), this.stagingFileId)).map(
        (row) => [row.company_number, row.id],
      ),
    );
    const byVat = new Map(
      (await repository.findSuppliersByVatNumbers(unique(pending.map((identity) => identity.vatNumber)), this.stagingFileId)).map((row) => [
        row.vat_number,
        row.id,
      ]),
    );
    const byAlias = new Map(
      (await repository.findAliases(unique(pending.map((identity) => identity.normalisedName)), this.stagingFileId)).map((row) => [
        row.alias,
        row.supplier_id,
      ]),
    );
    return { byCompany, byVat, byAlias };
  }

  /** The published suppliers similar to each of these payees, fetched in one statement by blocks of word starts. */
  private async publishedCandidates(
    repository: SpendQueries,
    fuzzy: readonly SupplierIdentity[],
  ): Promise<(rawName: string) => BlockCandidate[]> {
    const blocksOf = new Map<string, string[]>();
    const wanted = new Map<string, [string, string]>();
    for (const identity of fuzzy) {
      if (blocksOf.has(identity.rawName)) continue;
      const blocks = candidateBlocks(this.profileOf(identity.rawName));
      blocksOf.set(
        identity.rawName,
        blocks.map((block) => block.join(' ')),
      );
      for (const block of blocks) wanted.set(block.join(' '), block);
    }
    const byBlock = new Map<string, BlockCandidate[]>();
    for (const row of await repository.findBlockCandidates([...wanted.values()], SUPPLIERS_PER_BLOCK)) {
      const list = byBlock.get(row.block) ?? [];
      list.push(row);
      byBlock.set(row.block, list);
    }
    return (rawName: string): BlockCandidate[] => {
      const shared = new Map<number, { row: BlockCandidate; count: number }>();
      for (const block of blocksOf.get(rawName) ?? []) {
        for (const row of byBlock.get(block) ?? []) {
          const seen = shared.get(row.supplier_id);
          if (seen) seen.count++;
          else shared.set(row.supplier_id, { row, count: 1 });
        }
      }
      return [...shared.values()]
        .sort((a, b) => b.count - a.count || a.row.supplier_id - b.row.supplier_id)
        .slice(0, CANDIDATES_PER_NAME)
        .map(({ row }) => row);
    };
  }

  /** Inserts the new suppliers, then the aliases and reviews with their real ids in place of the temporary ones. */
  private async save(
    repository: SpendQueries,
    {
      resolved,
      aliases,
      fresh,
      reviews,
    }: {
      resolved: Map<string, number>;
      aliases: { alias: string; supplier_id: number; source: AliasSource }[];
      fresh: { identity: SupplierIdentity; temporaryId: number }[];
      reviews: { identity: SupplierIdentity; temporaryId: number; candidateId: number; similarity: number }[];
    },
  ): Promise<void> {
    const ids = await repository.insertSuppliers(
      fresh.map(({ identity }) => ({
        name: identity.rawName,
        normalised_name: identity.normalisedName,
        company_number: identity.companyNumber,
        vat_number: identity.vatNumber,
        postcode: identity.postcode,
        staged_file_id: this.stagingFileId,
      })),
    );
    const real = new Map<number, number>();
    fresh.forEach(({ temporaryId }, index) => {
      const id = ids[index];
      if (id === undefined) throw new Error('supplier insert returned too few ids');
      real.set(temporaryId, id);
    });
    const idOf = (id: number) => (id < 0 ? (real.get(id) ?? id) : id);
    this.settle(real);
    for (const [key, id] of resolved) resolved.set(key, idOf(id));
    await repository.insertAliases(dedupeAliases(aliases.map((alias) => ({ ...alias, supplier_id: idOf(alias.supplier_id) }))));
    await repository.insertMatchReviews(
      reviews.map((review) => ({
        raw_name: review.identity.rawName,
        normalised_name: review.identity.normalisedName,
        supplier_id: idOf(review.temporaryId),
        candidate_supplier_id: idOf(review.candidateId),
        similarity: review.similarity,
      })),
    );
  }

  /** The best-scoring published or newly made supplier for a new payee, if any scores 'merge' or 'review'. */
  private bestCandidate(
    identity: SupplierIdentity,
    profile: NameProfile,
    published: readonly BlockCandidate[],
  ): { id: number; verdict: PairVerdict; score: number } | null {
    const candidates: Candidate[] = [];
    for (const row of published) {
      if (this.made.has(row.supplier_id)) continue;
      candidates.push({
        id: row.supplier_id,
        profile: this.profileOf(row.candidate_raw_name),
        companyNumber: row.company_number,
        vatNumber: row.vat_number,
        postcode: row.postcode,
      });
    }
    const seen = new Set<number>();
    // Common keys ("MANC", "LEED") are left out when the name has rarer ones: a name that could merge shares those too.
    const keyed = blockingKeys(profile).map((key) => ({ key, block: this.blocks.get(key) ?? [] }));
    const rare = keyed.filter(({ block }) => block.length <= COMMON_BLOCK);
    const smallest = keyed.reduce<(typeof keyed)[number] | null>(
      (found, next) => (found && found.block.length <= next.block.length ? found : next),
      null,
    );
    for (const { block } of rare.length > 0 ? rare : smallest ? [smallest] : []) {
      for (const supplier of block) {
        if (seen.has(supplier.id)) continue;
        seen.add(supplier.id);
        candidates.push(supplier);
      }
    }
    let best: { id: number; verdict: PairVerdict; score: number } | null = null;
    for (const candidate of candidates) {
      if (identifiersConflict(identity, candidate)) continue;
      const compared = compareSupplierNames(profile, candidate.profile);
      const verdict = withPostcode(compared.verdict, identity, candidate);
      const score = compared.score;
      if (verdict === 'separate') continue;
      const better =
        !best ||
        (verdict === 'merge' && best.verdict !== 'merge') ||
        (verdict === best.verdict && (score > best.score || (score === best.score && candidate.id < best.id)));
      if (better) best = { id: candidate.id, verdict, score };
    }
    return best;
  }

  private profileOf(rawName: string): NameProfile {
    let profile = this.profiles.get(rawName);
    if (!profile) {
      if (this.profiles.size >= 50_000) this.profiles.clear();
      profile = nameProfile(rawName);
      this.profiles.set(rawName, profile);
    }
    return profile;
  }

  private remember(supplier: MadeSupplier): void {
    this.made.set(supplier.id, supplier);
    if (supplier.companyNumber && !this.madeByCompany.has(supplier.companyNumber))
      this.madeByCompany.set(supplier.companyNumber, supplier.id);
    if (supplier.vatNumber && !this.madeByVat.has(supplier.vatNumber)) this.madeByVat.set(supplier.vatNumber, supplier.id);
    for (const key of blockingKeys(supplier.profile)) {
      const block = this.blocks.get(key) ?? [];
      if (block.length < MAX_BLOCK) block.push(supplier);
      this.blocks.set(key, block);
    }
  }

  /** Replaces the temporary ids of suppliers just inserted with their real ones. */
  private settle(real: ReadonlyMap<number, number>): void {
    for (const [temporaryId, id] of real) {
      const supplier = this.made.get(temporaryId);
      if (!supplier) continue;
      this.made.delete(temporaryId);
      supplier.id = id;
      this.made.set(id, supplier);
      if (supplier.companyNumber && this.madeByCompany.get(supplier.companyNumber) === temporaryId)
        this.madeByCompany.set(supplier.companyNumber, id);
      if (supplier.vatNumber && this.madeByVat.get(supplier.vatNumber) === temporaryId) this.madeByVat.set(supplier.vatNumber, id);
    }
    for (const [alias, id] of this.aliases) if (id < 0) this.aliases.set(alias, real.get(id) ?? id);
  }
}

function unique(values: readonly (string | null)[]): string[] {
  return [...new Set(values.filter((value): value is string => value !== null))];
}

function dedupeAliases<T extends { alias: string }>(rows: readonly T[]): T[] {
  const seen = new Map<string, T>();
  for (const row of rows) if (!seen.has(row.alias)) seen.set(row.alias, row);
  return [...seen.values()];
}
