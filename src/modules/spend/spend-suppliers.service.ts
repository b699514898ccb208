/**
 * People's decisions about suppliers: merging several into one, splitting names off into a new one, and the queue of
 * uncertain matches the import leaves for a person (accepting merges, rejecting keeps the pair apart for good).
 */
import type { Actor } from '../../platform/actor.js';
import type { Clock } from '../../platform/clock.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import { normaliseSupplierName } from './ingest/index.js';
import { spendPolicy } from './spend.policy.js';
import type { SpendQueries, SpendRepository } from './spend.repository.js';

/** People's supplier decisions: merging and splitting suppliers, and the queue of uncertain matches. Over 80 lines as a set of short methods sharing one set of dependencies. */
export function createSpendSuppliersService({ spendRepository, clock }: { spendRepository: SpendRepository; clock: Clock }) {
  /** Moves suppliers' payments, aliases and roll-ups to `into` and deletes them, inside the caller's transaction. */
  async function mergeInTransaction(repository: SpendQueries, from: readonly number[], into: number): Promise<void> {
    for (const id of from) {
      await repository.moveTransactions(id, into);
      await repository.moveAliases(id, into);
      await repository.decideReviewsBetween(id, into, 'accepted', clock());
      await repository.deleteSupplier(id);
    }
    await repository.rebuildSupplierRollups([into]);
    await repository.rebuildStagedGroups([into]);
  }

  /** People may change suppliers only as the policy allows; a null actor is a command run on the server. */
  function requireSupplierManager(actor: Actor | null): void {
    if (actor !== null && !spendPolicy.canManageSuppliers(actor))
      throw new NotAllowedError('Only platform admins can merge, split and match suppliers');
  }

  async function requireSupplier(id: number) {
    const supplier = await spendRepository.findSupplierById(id);
    if (!supplier) throw new NotFoundError(`No supplier has the id ${id}`);
    return supplier;
  }

  return {
    /** Merges suppliers into one (an admin decision): their payments, aliases and roll-ups move to `into`. */
    async mergeSuppliers({ from, into, actor = null }: { from: readonly number[]; into: number; actor?: Actor | null }): Promise<void> {
      requireSupplierManager(actor);
      if (from.includes(into))
        throw new InputError('A supplier cannot be merged into itself', [
          { field: 'from', message: 'A supplier cannot be merged into itself' },
        ]);
      const target = await requireSupplier(into);
      const merged: { id: number; name: string }[] = [];
      for (const id of from) merged.push(await requireSupplier(id));
      await spendRepository.inTransaction(async (repository) => {
        const aliasesBefore = await repository.listSupplierAliases(into);
        await mergeInTransaction(repository, from, into);
        await repository.recordAudit(actor, {
          action: 'supplier.merged',
          subjectType: 'supplier',
          subjectId: into,
          organisationId: null,
          before: {
            supplier: { id: target.id, name: target.name, aliases: aliasesBefore.map((alias) => alias.alias) },
            merged: merged.map((supplier) => ({ id: supplier.id, name: supplier.name })),
          },
          after: {
            supplier: {
              id: target.id,
              name: target.name,
              aliases: (await repository.listSupplierAliases(into)).map((alias) => alias.alias),
            },
          },
        });
      });
    },

    /** Splits names off a supplier into a new one (an admin decision); returns the new supplier's id. */
    async splitSupplier({
      supplierId,
      aliases,
      name,
      actor = null,
    }: {
      supplierId: number;
      aliases: readonly string[];
      name: string;
      actor?: Actor | null;
    }): Promise<number> {
      requireSupplierManager(actor);
      if (name.trim() === '')
        throw new InputError('Enter the name of the new supplier', [{ field: 'name', message: 'Enter the name of the new supplier' }]);
      if (aliases.length === 0)
        throw new InputError('Choose the names that belong to the new supplier', [
          { field: 'aliases', message: 'Choose the names that belong to the new supplier' },
        ]);
      await requireSupplier(supplierId);
      const held = new Set((await spendRepository.listSupplierAliases(supplierId)).map((alias) => alias.alias));
      const moving = aliases.map((alias) => normaliseSupplierName(alias));
      const missing = moving.filter((alias) => !held.has(alias));
      if (missing.length > 0) throw new InputError(`Supplier ${supplierId} has no alias ${missing.join(', ')}`);
      if (moving.length === held.size) throw new InputError('Splitting every alias off a supplier would leave it empty: rename it instead');
      const movingSet = new Set(moving);
      return spendRepository.inTransaction(async (repository) => {
        const [newId] = await repository.insertSuppliers([
          { name: name.trim(), normalised_name: normaliseSupplierName(name), company_number: null, vat_number: null },
        ]);
        if (newId === undefined) throw new Error('supplier insert returned no id');
        await repository.moveAliases(supplierId, newId, moving);
        const rawNames = (await repository.listSupplierRawNames(supplierId)).filter((raw) => movingSet.has(normaliseSupplierName(raw)));
        const payments = await repository.moveTransactions(supplierId, newId, rawNames);
        await repository.rebuildSupplierRollups([supplierId, newId]);
        await repository.rebuildStagedGroups([supplierId, newId]);
        await repository.recordAudit(actor, {
          action: 'supplier.split',
          subjectType: 'supplier',
          subjectId: supplierId,
          organisationId: null,
          before: { supplier: { id: supplierId, aliases: [...held].sort() } },
          after: {
            supplier: { id: supplierId, aliases: [...held].filter((alias) => !movingSet.has(alias)).sort() },
            newSupplier: { id: newId, name: name.trim(), aliases: [...movingSet].sort(), payments },
          },
        });
        return newId;
      });
    },

    /** Uncertain supplier matches waiting for a person. */
    listPendingMatchReviews: (limit = 100) => spendRepository.listPendingReviews(limit),

    /** One page of the review queue, oldest first, with both suppliers' names. */
    async listMatchReviewQueue(page: { page: number; pageSize: number }) {
      return spendRepository.listPendingReviewsWithNames({ offset: (page.page - 1) * page.pageSize, limit: page.pageSize });
    },

    /**
     * Decides a queued match: accepting merges the new supplier into the existing one it looked like;
     * rejecting keeps them apart (and the pair is not queued again).
     */
    async decideMatchReview({ id, accept, actor = null }: { id: number; accept: boolean; actor?: Actor | null }): Promise<void> {
      requireSupplierManager(actor);
      const review = await spendRepository.findMatchReview(id);
      if (!review) throw new NotFoundError(`No supplier match review has the id ${id}`);
      if (review.status !== 'pending') throw new ConflictError(`This match was already ${review.status}`);
      await spendRepository.inTransaction(async (repository) => {
        if (accept) await mergeInTransaction(repository, [review.supplier_id], review.candidate_supplier_id);
        else await repository.decideReview(id, 'rejected', clock());
        await repository.recordAudit(actor, {
          action: accept ? 'supplier-match.accepted' : 'supplier-match.rejected',
          subjectType: 'supplier-match-review',
          subjectId: id,
          organisationId: null,
          before: {
            status: 'pending',
            supplierId: review.supplier_id,
            candidateSupplierId: review.candidate_supplier_id,
            rawName: review.raw_name,
          },
          after: { status: accept ? 'accepted' : 'rejected', ...(accept ? { mergedInto: review.candidate_supplier_id } : {}) },
        });
      });
    },

    /** Suppliers by name (or all), with how many names and payments each has. */
    async listSuppliers(filter: { q?: string; page: number; pageSize: number }) {
      const q = filter.q?.trim() ? normaliseSupplierName(filter.q) || filter.q.trim().toUpperCase() : null;
      return spendRepository.listSuppliers({ q, offset: (filter.page - 1) * filter.pageSize, limit: filter.pageSize });
    },

    /** One supplier with its aliases. */
    async getSupplier(id: number) {
      const supplier = await requireSupplier(id);
      return { ...supplier, aliases: await spendRepository.listSupplierAliases(id) };
    },
  };
}
