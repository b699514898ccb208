import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type { SupplierAliasSource } from './spend.tables.js';
import type { BlockCandidate, SpendDatabase } from './spend.repository.js';

/** Suppliers a query may see: the published ones, and those an import is staging for the file it is writing. */
function seenBy(eb: ExpressionBuilder<SpendDatabase, 'suppliers'>, stagingFileId: number | null) {
  return stagingFileId === null
    ? eb('suppliers.staged_file_id', 'is', null)
    : eb.or([eb('suppliers.staged_file_id', 'is', null), eb('suppliers.staged_file_id', '=', stagingFileId)]);
}

/**
 * Moves the entries waiting in the published-supplier name indexes' pending lists (migration 0176) into the indexes,
 * in bulk: every search reads the whole list. Run once suppliers have been published.
 */
export async function settleSupplierNameIndexes(db: Kysely<SpendDatabase>): Promise<void> {
  await sql`
    select gin_clean_pending_list('suppliers_published_name_grams_idx'::regclass),
           gin_clean_pending_list('suppliers_published_name_trgm_idx'::regclass)
  `.execute(db);
}

/** The queries an import resolves payees with: suppliers by company or VAT number, aliases, candidates by word blocks, and recording new suppliers, aliases and match reviews. Over 80 lines as a list of queries, each its own short function. */
export function createSupplierLookupQueries(db: Kysely<SpendDatabase>) {
  return {
    settleSupplierNameIndexes: () => settleSupplierNameIndexes(db),

    /** Suppliers holding any of these company numbers (published ones, and those staged by `stagingFileId`). */
    async findSuppliersByCompanyNumbers(
      numbers: readonly string[],
      stagingFileId: number | null = null,
    ): Promise<{ id: number; company_number: string }[]> {
      if (numbers.length === 0) return [];
      const rows = await db
        .selectFrom('suppliers')
        .select(['id', 'company_number'])
        .where('company_number', 'in', numbers)
        .where((eb) => seenBy(eb, stagingFileId))
        .orderBy('id')
        .execute();
      return rows.flatMap((row) => (row.company_number ? [{ id: row.id, company_number: row.company_number }] : []));
    },

    /** Suppliers holding any of these VAT numbers (published ones, and those staged by `stagingFileId`). */
    async findSuppliersByVatNumbers(
      numbers: readonly string[],
      stagingFileId: number | null = null,
    ): Promise<{ id: number; vat_number: string }[]> {
      if (numbers.length === 0) return [];
      const rows = await db
        .selectFrom('suppliers')
        .select(['id', 'vat_number'])
        .where('vat_number', 'in', numbers)
        .where((eb) => seenBy(eb, stagingFileId))
        .orderBy('id')
        .execute();
      return rows.flatMap((row) => (row.vat_number ? [{ id: row.id, vat_number: row.vat_number }] : []));
    },

    /** The supplier each of these normalised names is an alias of (published, or staged by `stagingFileId`). */
    async findAliases(aliases: readonly string[], stagingFileId: number | null = null): Promise<{ alias: string; supplier_id: number }[]> {
      if (aliases.length === 0) return [];
      // Looked up one by one through the primary key: given a list, the planner reckoned a scan of every alias
      // cheaper than a thousand lookups, and took twenty times as long (measured with 200,000 aliases).
      const result = await sql<{ alias: string; supplier_id: number }>`
        select a.alias, a.supplier_id
        from unnest(${sql.val(aliases)}::text[]) as wanted(alias)
        join supplier_aliases a on a.alias = wanted.alias
        join suppliers s on s.id = a.supplier_id
        where s.staged_file_id is null ${stagingFileId === null ? sql`` : sql`or s.staged_file_id = ${stagingFileId}`}
      `.execute(db);
      return result.rows;
    },

    /**
     * For all these blocks in one statement, up to `perBlock` published suppliers each whose normalised name
     * holds both of the block's words inside its words (supplier_name_grams, migration 0173), oldest first. Suppliers staged by an import in
     * progress are left out, so a file's candidates do not depend on how its rows fall into requests.
     */
    async findBlockCandidates(blocks: readonly (readonly [string, string])[], perBlock: number): Promise<BlockCandidate[]> {
      // Each word must be one of the indexed pieces (three or four letters or digits).
      const usable = blocks.filter(([first, second]) => [first, second].every((word) => word.length >= 3 && /^[A-Z0-9]+$/.test(word)));
      if (usable.length === 0) return [];
      // The planner cannot see how few suppliers hold a piece of a word: the index is always the way, and its cost
      // guess (each row's pieces computed) would otherwise have the statement compiled (this transaction only).
      const before = await sql<{ jit: string }>`
        select current_setting('jit') as jit, set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)
      `.execute(db);
      const result = await sql<BlockCandidate>`
        select b.first || ' ' || b.second as block, c.id as supplier_id, c.name as candidate_raw_name, c.company_number, c.vat_number, c.postcode
        from unnest(${sql.val(usable.map(([first]) => first))}::text[], ${sql.val(usable.map(([, second]) => second))}::text[]) as b(first, second)
        cross join lateral (
          select s.id, s.name, s.company_number, s.vat_number, s.postcode
          from suppliers s
          where supplier_name_grams(s.normalised_name) @> array[b.first, b.second] and s.staged_file_id is null
          order by s.id
          limit ${perBlock}
        ) c
      `.execute(db);
      await sql`select set_config('enable_seqscan', 'on', true), set_config('jit', ${before.rows[0]?.jit ?? 'on'}, true)`.execute(db);
      return result.rows;
    },

    /** Adds suppliers and returns their ids in the order given (staged ones carry `staged_file_id`). */
    async insertSuppliers(
      rows: readonly {
        name: string;
        normalised_name: string;
        company_number: string | null;
        vat_number: string | null;
        postcode?: string | null;
        staged_file_id?: number | null;
      }[],
    ): Promise<number[]> {
      const ids: number[] = [];
      for (let start = 0; start < rows.length; start += 1000) {
        const inserted = await db
          .insertInto('suppliers')
          .values(rows.slice(start, start + 1000))
          .returning('id')
          .execute();
        ids.push(...inserted.map((row) => row.id));
      }
      return ids;
    },

    /** Records names as aliases of suppliers; an alias already held keeps its supplier. */
    async insertAliases(rows: readonly { alias: string; supplier_id: number; source: SupplierAliasSource }[]): Promise<void> {
      for (let start = 0; start < rows.length; start += 1000) {
        await db
          .insertInto('supplier_aliases')
          .values(rows.slice(start, start + 1000))
          .onConflict((oc) => oc.column('alias').doNothing())
          .execute();
      }
    },

    /** Queues uncertain matches for a person to decide. */
    async insertMatchReviews(
      rows: readonly {
        raw_name: string;
        normalised_name: string;
        supplier_id: number;
        candidate_supplier_id: number;
        similarity: number;
      }[],
    ): Promise<void> {
      for (let start = 0; start < rows.length; start += 1000) {
        await db
          .insertInto('supplier_match_reviews')
          .values(rows.slice(start, start + 1000))
          .onConflict((oc) => oc.columns(['supplier_id', 'candidate_supplier_id']).doNothing())
          .execute();
      }
    },
  };
}

export type SupplierLookupQueries = ReturnType<typeof createSupplierLookupQueries>;
