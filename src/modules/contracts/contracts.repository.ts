import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import type { AuditTables } from '../../platform/audit.js';
import type { ContractsTable, ContractTables } from './contracts.tables.js';

export type ContractRow = Selectable<ContractsTable>;
export type ContractInsert = Insertable<ContractsTable>;
export type ContractDatabase = Kysely<ContractTables & AuditTables>;

export interface ContractFilter {
  organisationId?: number | undefined;
  q?: string | undefined;
  status?: string | undefined;
  endingFrom?: string | undefined;
  endingTo?: string | undefined;
}

export interface ContractSupplierRow {
  contract_id: number;
  position: number;
  name: string | null;
  scheme: string | null;
  identifier: string | null;
  supplier_id: number | null;
}

export interface ExpiryClusterRow {
  category: string;
  window_start: string;
  councils: number;
  contracts: number;
  organisation_ids: number[];
  contract_ids: number[];
}

/** Every query of the contracts module. Over 80 lines as a list of queries, each its own short function. */
export function createContractsQueries(db: ContractDatabase) {
  const applyFilter = (filter: ContractFilter) =>
    sql.join(
      [
        sql`true`,
        ...(filter.organisationId !== undefined ? [sql`c.organisation_id = ${filter.organisationId}`] : []),
        ...(filter.status ? [sql`c.status = ${filter.status}`] : []),
        ...(filter.q ? [sql`(c.title ilike ${`%${filter.q}%`} or c.buyer_name ilike ${`%${filter.q}%`} or c.ocid = ${filter.q})`] : []),
        ...(filter.endingFrom ? [sql`c.end_date >= ${filter.endingFrom}`] : []),
        ...(filter.endingTo ? [sql`c.end_date <= ${filter.endingTo}`] : []),
      ],
      sql` and `,
    );

  return {
    /** Contracts by identity key (to tell creates from updates). */
    async findContractsByIdentityKeys(
      keys: readonly string[],
    ): Promise<{ id: number; identity_key: string; release_date: string | null }[]> {
      if (keys.length === 0) return [];
      return db.selectFrom('contracts').select(['id', 'identity_key', 'release_date']).where('identity_key', 'in', keys).execute();
    },

    /** Adds a contract, or updates the one with the same identity key; returns its id. */
    async upsertContract(row: ContractInsert, now: Date): Promise<number> {
      const { identity_key: _key, ...changes } = row;
      const result = await db
        .insertInto('contracts')
        .values({ ...row, updated_at: now })
        .onConflict((oc) => oc.column('identity_key').doUpdateSet({ ...changes, updated_at: now }))
        .returning('id')
        .executeTakeFirstOrThrow();
      return result.id;
    },

    /** Adds or updates many contracts at once (identity keys must differ); returns each one's id by identity key. */
    async upsertContracts(rows: readonly ContractInsert[], now: Date): Promise<Map<string, number>> {
      if (rows.length === 0) return new Map();
      const result = await db
        .insertInto('contracts')
        .values(rows.map((row) => ({ ...row, updated_at: now })))
        .onConflict((oc) =>
          oc.column('identity_key').doUpdateSet((eb) => {
            const changes: Record<string, unknown> = {};
            for (const column of Object.keys(rows[0] as object)) {
              if (column !== 'identity_key') changes[column] = eb.ref(`excluded.${column}` as 'excluded.title');
            }
            return { ...changes, updated_at: now };
          }),
        )
        .returning(['id', 'identity_key'])
        .execute();
      return new Map(result.map((row) => [row.identity_key, row.id]));
    },

    /** Replaces the suppliers named on many contracts at once. */
    async replaceSuppliersOfContracts(contractIds: readonly number[], suppliers: readonly ContractSupplierRow[]): Promise<void> {
      if (contractIds.length === 0) return;
      await db.deleteFrom('contract_suppliers').where('contract_id', 'in', contractIds).execute();
      for (let start = 0; start < suppliers.length; start += 2000) {
        await db
          .insertInto('contract_suppliers')
          .values(suppliers.slice(start, start + 2000))
          .execute();
      }
    },

    /** Replaces the suppliers named on a contract. */
    async replaceContractSuppliers(contractId: number, suppliers: readonly Omit<ContractSupplierRow, 'contract_id'>[]): Promise<void> {
      await db.deleteFrom('contract_suppliers').where('contract_id', '=', contractId).execute();
      if (suppliers.length > 0) {
        await db
          .insertInto('contract_suppliers')
          .values(suppliers.map((supplier) => ({ ...supplier, contract_id: contractId })))
          .execute();
      }
    },

    /** Records an imported file; returns its id. */
    async insertImport(row: Insertable<ContractTables['contract_imports']>): Promise<number> {
      const result = await db.insertInto('contract_imports').values(row).returning('id').executeTakeFirstOrThrow();
      return result.id;
    },

    /** A page of contracts matching the filter, ending soonest first (undated last). */
    async listContracts(filter: ContractFilter, page: { offset: number; limit: number }): Promise<{ total: number; rows: ContractRow[] }> {
      const where = applyFilter(filter);
      const [count, rows] = await Promise.all([
        sql<{ total: number }>`select count(*)::int8 as total from contracts c where ${where}`.execute(db),
        sql<ContractRow>`
          select c.* from contracts c where ${where}
          order by c.end_date asc nulls last, c.id
          limit ${page.limit} offset ${page.offset}
        `.execute(db),
      ]);
      return { total: count.rows[0]?.total ?? 0, rows: rows.rows };
    },

    /** One contract. */
    async findContract(id: number): Promise<ContractRow | undefined> {
      return db.selectFrom('contracts').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** Contracts changed since an instant (all when none): the one search. */
    async listContractsChangedSince(since: Date | undefined): Promise<ContractRow[]> {
      let query = db.selectFrom('contracts').selectAll();
      if (since) query = query.where('updated_at', '>=', since);
      return query.orderBy('id').execute();
    },

    /** The suppliers named on some contracts, in order. */
    async listContractSuppliers(contractIds: readonly number[]): Promise<ContractSupplierRow[]> {
      if (contractIds.length === 0) return [];
      return db
        .selectFrom('contract_suppliers')
        .selectAll()
        .where('contract_id', 'in', contractIds)
        .orderBy('contract_id')
        .orderBy('position')
        .execute();
    },

    /** Contracts naming a spend supplier. */
    async listContractsOfSupplier(supplierId: number): Promise<ContractRow[]> {
      const result = await sql<ContractRow>`
        select c.* from contracts c
        where c.id in (select contract_id from contract_suppliers where supplier_id = ${supplierId})
        order by c.end_date desc nulls last, c.id
      `.execute(db);
      return result.rows;
    },

    /** Categories (CPV divisions) in which two or more councils' contracts end in the same half-year between two dates. */
    async listExpiryClusters(from: string, to: string): Promise<ExpiryClusterRow[]> {
      const result = await sql<ExpiryClusterRow>`
        with dated as (
          select id, organisation_id, category,
                 make_date(extract(year from end_date)::int, case when extract(month from end_date) <= 6 then 1 else 7 end, 1) as window_start
          from contracts
          where end_date between ${from}::date and ${to}::date and category is not null and organisation_id is not null
        )
        select category, window_start::text as window_start, count(distinct organisation_id)::int8 as councils, count(*)::int8 as contracts,
               array_agg(distinct organisation_id) as organisation_ids, array_agg(id order by id) as contract_ids
        from dated group by category, window_start
        having count(distinct organisation_id) >= 2
        order by window_start, councils desc, category
      `.execute(db);
      return result.rows;
    },

    /** Every contract and how many have a known organisation, for the register's front page. */
    async countContracts(): Promise<{ contracts: number; linked: number }> {
      const result = await sql<{ contracts: number; linked: number }>`
        select count(*)::int8 as contracts, count(organisation_id)::int8 as linked from contracts
      `.execute(db);
      return result.rows[0] ?? { contracts: 0, linked: 0 };
    },

    /**
     * Contract value per council with suppliers of known size (OCDS partyScale), in pounds sterling: a contract's
     * value is shared equally among its suppliers, and each share counts where that supplier's size is known.
     * Small and medium-sized: micro, sme and selfEmployed.
     */
    async sumValueBySupplierScale(): Promise<{ organisation_id: number; sme_pence: number; known_pence: number }[]> {
      const result = await sql<{ organisation_id: number; sme_pence: string | number; known_pence: string | number }>`
        select c.organisation_id,
               coalesce(sum(round(c.value_pence::numeric / n.suppliers)) filter (where s.scale in ('micro', 'sme', 'selfEmployed')), 0) as sme_pence,
               sum(round(c.value_pence::numeric / n.suppliers)) as known_pence
        from contract_suppliers s
        join contracts c on c.id = s.contract_id
        join (select contract_id, count(*) as suppliers from contract_suppliers group by contract_id) n on n.contract_id = s.contract_id
        where s.scale is not null and c.organisation_id is not null and c.value_pence > 0 and coalesce(c.currency, 'GBP') = 'GBP'
        group by c.organisation_id
        order by c.organisation_id
      `.execute(db);
      return result.rows.map((row) => ({
        organisation_id: row.organisation_id,
        sme_pence: Number(row.sme_pence),
        known_pence: Number(row.known_pence),
      }));
    },
  };
}

export type ContractsQueries = ReturnType<typeof createContractsQueries>;

/** The contracts queries, and a way to run several in one transaction (with the transaction handle for the audit event). */
export function createContractsRepository(db: ContractDatabase) {
  return {
    ...createContractsQueries(db),
    /** Runs `work` in one transaction: all of it is written, or none. */
    async inTransaction<T>(work: (queries: ContractsQueries, trx: ContractDatabase) => Promise<T>): Promise<T> {
      return db.transaction().execute((trx) => work(createContractsQueries(trx), trx));
    },
  };
}

export type ContractsRepository = ReturnType<typeof createContractsRepository>;
