import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/support/engines.js';
import { buildTestApp } from '../../../test/support/test-app.js';
import { SEARCH_COUNT_CAP } from './spend-intelligence.repository.js';

/** A search that matches more suppliers than it counts says "more than", on the page and in the API. */
describeEachEngine('supplier search with many matches', ({ database }) => {
  let app: FastifyInstance;
  const many = SEARCH_COUNT_CAP + 5;

  beforeAll(async () => {
    const db = database().db;
    ({ app } = await buildTestApp(database()));
    // Suppliers and their all-council totals written straight in, as the summaries would hold them.
    await sql`
      insert into suppliers (name, normalised_name)
      select 'Plentiful Widgets ' || n || ' Ltd', 'PLENTIFUL WIDGETS ' || n from generate_series(1, ${many}) as n
    `.execute(db);
    await sql`
      insert into supplier_aliases (alias, supplier_id, source)
      select normalised_name, id, 'exact' from suppliers where normalised_name like 'PLENTIFUL WIDGETS %'
    `.execute(db);
    await sql`
      insert into spend_supplier_totals (supplier_id, transactions, total_pence, councils)
      select id, 1, 100000 + id, 1 from suppliers where normalised_name like 'PLENTIFUL WIDGETS %'
    `.execute(db);
    await sql`
      insert into suppliers (name, normalised_name) values ('Rare Gadgets Ltd', 'RARE GADGETS')
    `.execute(db);
    await sql`
      insert into supplier_aliases (alias, supplier_id, source) select normalised_name, id, 'exact' from suppliers where normalised_name = 'RARE GADGETS'
    `.execute(db);
    await sql`
      insert into spend_supplier_totals (supplier_id, transactions, total_pence, councils)
      select id, 2, 5000, 1 from suppliers where normalised_name = 'RARE GADGETS'
    `.execute(db);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('counts up to the cap and says there are more, and counts a few exactly', async () => {
    const plenty = (await app.inject({ url: '/api/v1/spend/suppliers?q=plentiful widgets' })).json<{
      total: number;
      totalIsLowerBound: boolean;
      items: unknown[];
    }>();
    expect(plenty).toMatchObject({ total: SEARCH_COUNT_CAP, totalIsLowerBound: true });
    expect(plenty.items.length).toBeGreaterThan(0);
    const rare = (await app.inject({ url: '/api/v1/spend/suppliers?q=rare gadgets' })).json<{
      total: number;
      totalIsLowerBound: boolean;
    }>();
    expect(rare).toMatchObject({ total: 1, totalIsLowerBound: false });

    const page = await app.inject({ url: '/spend/suppliers?q=plentiful+widgets' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('More than 1,000 suppliers match, so the first 1,000 in this order are listed.');
    expect((await app.inject({ url: '/spend/suppliers?q=rare+gadgets' })).body).not.toContain('More than');
  });

  it('counts past the cap as far as the page asked for', async () => {
    const last = (await app.inject({ url: `/api/v1/spend/suppliers?q=plentiful widgets&page=21&pageSize=50` })).json<{
      total: number;
      totalIsLowerBound: boolean;
      items: unknown[];
    }>();
    expect(last).toMatchObject({ total: many, totalIsLowerBound: false });
    expect(last.items).toHaveLength(many - 20 * 50);
  });
});
