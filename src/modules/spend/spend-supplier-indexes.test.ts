import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/support/engines.js';
import { useSpendServices } from '../../../test/support/spend.js';

const FIXTURE = fileURLToPath(new URL('../../../test/fixtures/spend/oxford/expenditure-over-500-oct-dec-2015.csv', import.meta.url));

/**
 * The published-supplier name indexes take new entries into a pending list (migration 0176), which every search for
 * candidates reads through; an import moves it into the indexes once it has published its suppliers.
 */
describeEachEngine('the supplier name indexes after an import', ({ database }) => {
  const { db, organisationId, spendService } = useSpendServices(database);

  it('hold every published supplier in the indexes themselves, with nothing left pending', async () => {
    const outcome = await spendService().importSpendFile({
      organisationId: await organisationId('E07000178'),
      path: FIXTURE,
      fileName: 'oxford.csv',
    });
    expect(outcome.status).toBe('imported');
    const published = await sql<{ count: string }>`select count(*) as count from suppliers where staged_file_id is null`.execute(db());
    expect(Number(published.rows[0]?.count)).toBeGreaterThan(100);
    // The number of pending-list pages each call moves into its index: none are left to move.
    const pending = await sql<{ grams: string; trigrams: string }>`
      select gin_clean_pending_list('suppliers_published_name_grams_idx'::regclass) as grams,
             gin_clean_pending_list('suppliers_published_name_trgm_idx'::regclass) as trigrams
    `.execute(db());
    expect(pending.rows.map((row) => [Number(row.grams), Number(row.trigrams)])).toEqual([[0, 0]]);
    // And the two conditions the indexes serve (a word piece, trigram likeness) still find the file's suppliers.
    const found = await sql<{ count: string }>`
      select count(*) as count from suppliers s
      where s.staged_file_id is null and supplier_name_grams(s.normalised_name) @> array['OXF'] and s.normalised_name % 'OXFORD'
    `.execute(db());
    expect(Number(found.rows[0]?.count)).toBeGreaterThan(0);
  });
});
