import { type Kysely, sql } from 'kysely';
import type { WorkforceTables } from './workforce.tables.js';
import type { OpportunityFilter, OpportunityRow } from './workforce.repository.js';

/** The queries on opportunities (jobs, secondments and placements offered by organisations). */
export function createOpportunitiesQueries(db: Kysely<WorkforceTables>) {
  return {
    // ---- Opportunities ----
    listOpportunities: async (filter: OpportunityFilter, page: { offset: number; limit: number }, sort: 'closing' | 'newest') => {
      let query = db.selectFrom('workforce_opportunities');
      if (filter.kind) query = query.where('kind', '=', filter.kind);
      if (filter.remote) query = query.where('remote', '=', filter.remote);
      if (filter.openOn) query = query.where('closing_date', '>=', filter.openOn);
      if (filter.organisationIds)
        query = query.where('organisation_id', 'in', filter.organisationIds.length > 0 ? [...filter.organisationIds] : [-1]);
      if (filter.q)
        query = query.where(sql<boolean>`(role || ' ' || summary || ' ' || place) ilike ${`%${filter.q.replace(/[%_\\]/g, '\\$&')}%`}`);
      const [{ total }, rows] = await Promise.all([
        query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
        query
          .selectAll()
          .orderBy(sort === 'closing' ? 'closing_date' : 'created_at', sort === 'closing' ? 'asc' : 'desc')
          .orderBy('id', 'desc')
          .offset(page.offset)
          .limit(page.limit)
          .execute(),
      ]);
      return { total, rows };
    },

    findOpportunity: (id: number) => db.selectFrom('workforce_opportunities').selectAll().where('id', '=', id).executeTakeFirst(),

    insertOpportunity: async (values: Omit<OpportunityRow, 'id' | 'created_at'>) =>
      (await db.insertInto('workforce_opportunities').values(values).returning('id').executeTakeFirstOrThrow()).id,

    countOpportunities: async () =>
      (
        await db
          .selectFrom('workforce_opportunities')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .executeTakeFirstOrThrow()
      ).count,
  };
}
