import { type Kysely, type SqlBool, sql } from 'kysely';
import type { SupplierAliasSource, SupplierMatchReviewStatus } from './spend.tables.js';
import type { SpendDatabase, SupplierRow } from './spend.repository.js';

/** The queries of people's supplier decisions: a supplier's page, merging and splitting (moving payments and aliases), the review queue, and the supplier list. Over 80 lines as a list of queries, each its own short function. */
export function createSupplierDecisionQueries(db: Kysely<SpendDatabase>) {
  return {
    /** One published supplier by id. */
    async findSupplierById(id: number): Promise<SupplierRow | undefined> {
      return db.selectFrom('suppliers').selectAll().where('id', '=', id).where('staged_file_id', 'is', null).executeTakeFirst();
    },

    /** The aliases of a supplier. */
    async listSupplierAliases(supplierId: number): Promise<{ alias: string; source: SupplierAliasSource }[]> {
      return db.selectFrom('supplier_aliases').select(['alias', 'source']).where('supplier_id', '=', supplierId).orderBy('alias').execute();
    },

    /** Distinct raw names under which a supplier was paid. */
    async listSupplierRawNames(supplierId: number): Promise<string[]> {
      const rows = await db
        .selectFrom('spend_transactions')
        .select('supplier_name')
        .distinct()
        .where('supplier_id', '=', supplierId)
        .execute();
      return rows.map((row) => row.supplier_name);
    },

    /** Points transactions paid to one supplier (optionally only under some raw names) at another. */
    async moveTransactions(fromSupplierId: number, toSupplierId: number, rawNames?: readonly string[]): Promise<number> {
      if (rawNames && rawNames.length === 0) return 0;
      const result = await db
        .updateTable('spend_transactions')
        .set({ supplier_id: toSupplierId })
        .where('supplier_id', '=', fromSupplierId)
        .$if(rawNames !== undefined, (query) => query.where('supplier_name', 'in', rawNames ?? []))
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /** Points aliases of one supplier (optionally only some) at another, marking them manual. */
    async moveAliases(fromSupplierId: number, toSupplierId: number, aliases?: readonly string[]): Promise<void> {
      if (aliases && aliases.length === 0) return;
      await db
        .updateTable('supplier_aliases')
        .set({ supplier_id: toSupplierId, source: 'manual' })
        .where('supplier_id', '=', fromSupplierId)
        .$if(aliases !== undefined, (query) => query.where('alias', 'in', aliases ?? []))
        .execute();
    },

    /** Settles reviews about a pair of suppliers (either way round). */
    async decideReviewsBetween(a: number, b: number, status: SupplierMatchReviewStatus, now: Date): Promise<void> {
      await db
        .updateTable('supplier_match_reviews')
        .set({ status, decided_at: now })
        .where((eb) =>
          eb.or([
            eb.and([eb('supplier_id', '=', a), eb('candidate_supplier_id', '=', b)]),
            eb.and([eb('supplier_id', '=', b), eb('candidate_supplier_id', '=', a)]),
          ]),
        )
        .where('status', '=', 'pending')
        .execute();
    },

    /** Deletes a supplier (its aliases and reviews cascade). */
    async deleteSupplier(id: number): Promise<void> {
      await db.deleteFrom('spend_monthly_rollups').where('supplier_id', '=', id).execute();
      await db.deleteFrom('suppliers').where('id', '=', id).execute();
    },

    /** One match review by id. */
    async findMatchReview(id: number) {
      return db.selectFrom('supplier_match_reviews').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** Settles one match review. */
    async decideReview(id: number, status: SupplierMatchReviewStatus, now: Date): Promise<void> {
      await db.updateTable('supplier_match_reviews').set({ status, decided_at: now }).where('id', '=', id).execute();
    },

    /** A page of pending match reviews, oldest first, with the names of both suppliers. */
    async listPendingReviewsWithNames(page: { offset: number; limit: number }) {
      const [count, rows] = await Promise.all([
        db
          .selectFrom('supplier_match_reviews as r')
          .innerJoin('suppliers as s', 's.id', 'r.supplier_id')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('r.status', '=', 'pending')
          .where('s.staged_file_id', 'is', null)
          .executeTakeFirstOrThrow(),
        db
          .selectFrom('supplier_match_reviews as r')
          .innerJoin('suppliers as s', 's.id', 'r.supplier_id')
          .innerJoin('suppliers as c', 'c.id', 'r.candidate_supplier_id')
          .select([
            'r.id',
            'r.raw_name',
            'r.similarity',
            'r.supplier_id',
            's.name as supplier_name',
            'r.candidate_supplier_id',
            'c.name as candidate_name',
            'c.company_number as candidate_company_number',
          ])
          .where('r.status', '=', 'pending')
          .where('s.staged_file_id', 'is', null)
          .orderBy('r.id')
          .offset(page.offset)
          .limit(page.limit)
          .execute(),
      ]);
      return { total: count.count, rows };
    },

    /** A page of suppliers (those whose normalised name contains `q`, when given), with names and payments counted. */
    async listSuppliers(filter: { q: string | null; offset: number; limit: number }) {
      const pattern = filter.q === null ? null : `%${filter.q.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
      let base = db.selectFrom('suppliers').where('suppliers.staged_file_id', 'is', null);
      if (pattern !== null) base = base.where('normalised_name', 'like', pattern);
      const [count, rows] = await Promise.all([
        base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
        base
          .select((eb) => [
            'suppliers.id',
            'suppliers.name',
            'suppliers.company_number',
            'suppliers.vat_number',
            eb
              .selectFrom('supplier_aliases')
              .select((inner) => inner.fn.countAll<number>().as('n'))
              .whereRef('supplier_aliases.supplier_id', '=', 'suppliers.id')
              .as('aliases'),
            eb
              .selectFrom('spend_monthly_rollups')
              .select(sql<number>`coalesce(sum(transactions), 0)::int8`.as('n'))
              .whereRef('spend_monthly_rollups.supplier_id', '=', 'suppliers.id')
              .as('payments'),
          ])
          .orderBy('suppliers.normalised_name')
          .orderBy('suppliers.id')
          .offset(filter.offset)
          .limit(filter.limit)
          .execute(),
      ]);
      return { total: count.count, rows };
    },

    /** Pending match reviews, oldest first. */
    async listPendingReviews(limit: number) {
      return db
        .selectFrom('supplier_match_reviews')
        .selectAll()
        .where('status', '=', 'pending')
        .where('supplier_id', 'not in', db.selectFrom('suppliers').select('id').where('staged_file_id', 'is not', null))
        .orderBy('id')
        .limit(limit)
        .execute();
    },

    /** True when a supplier has any transactions (used before deleting an empty one). */
    async supplierHasTransactions(id: number): Promise<boolean> {
      const row = await db
        .selectFrom('spend_transactions')
        .select(sql<SqlBool>`true`.as('found'))
        .where('supplier_id', '=', id)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}

export type SupplierDecisionQueries = ReturnType<typeof createSupplierDecisionQueries>;
