import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { moduleDatabase } from '../../app/database-schema.js';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/support/engines.js';
import { stagingFileRecord } from '../../../test/support/spend-records.js';
import { useSpendServices } from '../../../test/support/spend.js';
import { readSpendFile } from './ingest/index.js';
import { SupplierIdentities, type SupplierIdentity } from './spend-copy-chunks.js';
import { createSpendRepository, type SpendDatabase, type SpendQueries } from './spend.repository.js';
import type { SpendService } from './spend.service.js';
import { ImportSupplierResolution } from './supplier-resolution.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/spend/', import.meta.url));

/** The payees of a real file, in file order, as an import gives them to the resolver. */
async function payeesOf(file: string): Promise<SupplierIdentity[]> {
  const read = await readSpendFile(createReadStream(FIXTURES + file), { fileName: path.basename(file) });
  const identities = new SupplierIdentities();
  const byKey = new Map<string, SupplierIdentity>();
  for await (const record of read.records) {
    const identity = identities.of(record);
    if (identity && !byKey.has(identity.key)) byKey.set(identity.key, identity);
  }
  return [...byKey.values()];
}

class RolledBack extends Error {
  constructor(readonly outcome: Map<string, string>) {
    super('rolled back');
  }
}

describeEachEngine('resolving a file’s payees to suppliers', ({ database }) => {
  const { db, organisationId, spendService } = useSpendServices(database);
  let service: SpendService;
  beforeAll(() => {
    service = spendService();
  });

  /**
   * Resolves payees in requests of `size` inside a transaction that is then rolled back; returns each payee's
   * supplier as 'published <id>' or, for a supplier the resolution made, 'new <its normalised name>'.
   */
  async function resolveIn(payees: readonly SupplierIdentity[], size: number, gss: string): Promise<Map<string, string>> {
    const repository = createSpendRepository(moduleDatabase<SpendDatabase>(database().db));
    const publishedRows = await sql<{ id: number }>`select id from suppliers where staged_file_id is null`.execute(db());
    const published = new Set(publishedRows.rows.map((row) => row.id));
    const fileId = await repository.insertFile(
      stagingFileRecord(await organisationId(gss), {
        file_name: `resolve-${size}.csv`,
        sha256: createHash('sha256').update(`resolve-${size}-${payees.length}-${Math.random()}`).digest('hex'),
      }),
    );
    try {
      await repository.inTransaction(async (queries: SpendQueries) => {
        const resolution = new ImportSupplierResolution(fileId);
        const resolved = new Map<string, number>();
        for (let start = 0; start < payees.length; start += size) {
          for (const [key, id] of await resolution.resolve(queries, payees.slice(start, start + size))) resolved.set(key, id);
        }
        // A supplier this resolution made is named by the first payee (in file order) that went to it.
        const firstPayee = new Map<number, string>();
        for (const payee of payees) {
          const id = resolved.get(payee.key);
          if (id !== undefined && !published.has(id) && !firstPayee.has(id)) firstPayee.set(id, payee.key);
        }
        const outcome = new Map<string, string>();
        for (const [key, id] of resolved) outcome.set(key, published.has(id) ? `published ${id}` : `new ${firstPayee.get(id) ?? ''}`);
        throw new RolledBack(outcome);
      });
    } catch (error) {
      if (error instanceof RolledBack) return error.outcome;
      throw error;
    } finally {
      await sql`delete from spend_files where id = ${fileId}`.execute(db());
    }
    throw new Error('the resolution was not rolled back');
  }

  it('resolves the payees of real files together exactly as it does one by one', async () => {
    // Published suppliers to match against: another year of one council and another council.
    for (const [file, gss] of [
      ['devon/DCCSpendingOver500_201101.csv', 'E10000008'],
      ['trafford/trafford-2014-09.csv', 'E08000009'],
    ] as const) {
      const outcome = await service.importSpendFile({
        organisationId: await organisationId(gss),
        path: FIXTURES + file,
        fileName: path.basename(file),
      });
      expect(outcome.status).toBe('imported');
    }
    for (const [file, gss] of [
      ['devon/DCCSpendingOver500_201905.csv', 'E10000008'],
      ['oxford/expenditure-over-500-oct-dec-2015.csv', 'E07000178'],
    ] as const) {
      const payees = await payeesOf(file);
      expect(payees.length).toBeGreaterThan(500);
      const together = await resolveIn(payees, 1000, gss);
      const oneByOne = await resolveIn(payees, 1, gss);
      expect(together.size).toBe(payees.length);
      expect(oneByOne).toEqual(together);
      // Some payees met published suppliers by name or VAT number, and some similar names were merged into one new supplier.
      const published = [...together.values()].filter((value) => value.startsWith('published')).length;
      expect(published).toBeGreaterThan(0);
      expect(new Set(together.values()).size).toBeLessThan(payees.length);
    }
  }, 240_000);

  it('remembers a reviewer’s rejection and merge, and applies them to later files', async () => {
    const oxford = await organisationId('E07000178');
    let fileNumber = 0;
    const importNames = async (...names: string[]) => {
      fileNumber++;
      const csv = ['Date,Supplier,Amount', ...names.map((name, i) => `0${(i % 9) + 1}/05/2021,${name},${fileNumber}0.00`)].join('\r\n');
      const outcome = await service.importSpendFile({
        organisationId: oxford,
        stream: Readable.from([Buffer.from(csv)]),
        fileName: `reviewed-${fileNumber}.csv`,
      });
      expect(outcome.status).toBe('imported');
      const rows = await sql<{ supplier_id: number }>`
        select supplier_id from spend_transactions where file_id = ${outcome.fileId} order by line
      `.execute(db());
      return rows.rows.map((row) => row.supplier_id);
    };
    const pendingBetween = async (a: number, b: number) =>
      (await service.listPendingMatchReviews(1000)).filter(
        (review) => [review.supplier_id, review.candidate_supplier_id].sort().join() === [a, b].sort().join(),
      );

    const [voyageOne, graffiti] = await importNames('Quorvian Analytics 1 Limited', 'Zelbrook Graffiti Removal Ltd');
    const [voyageTwo, graffitiNorth] = await importNames('QUORVIAN ANALYTICS 2 LTD', 'Zelbrook Graffiti Removal (North) Ltd');
    expect(voyageTwo).not.toBe(voyageOne);
    expect(graffitiNorth).not.toBe(graffiti);
    const [rejected] = await pendingBetween(voyageOne ?? 0, voyageTwo ?? 0);
    const [accepted] = await pendingBetween(graffiti ?? 0, graffitiNorth ?? 0);
    if (!rejected || !accepted) throw new Error('both pairs should be queued for review');

    await service.decideMatchReview({ id: rejected.id, accept: false });
    await service.decideMatchReview({ id: accepted.id, accept: true });

    // A later file: the rejected name stays apart and is not queued again; the merged one joins the supplier kept.
    const [voyageLater, graffitiLater, voyageOneLater] = await importNames(
      'Quorvian Analytics 2 Limited',
      'ZELBROOK GRAFFITI REMOVAL (NORTH) LIMITED',
      'QUORVIAN ANALYTICS 1 LTD',
    );
    expect(voyageLater).toBe(voyageTwo);
    expect(voyageOneLater).toBe(voyageOne);
    expect(graffitiLater).toBe(graffiti);
    expect(await pendingBetween(voyageOne ?? 0, voyageTwo ?? 0)).toEqual([]);
    expect(await pendingBetween(graffiti ?? 0, graffitiNorth ?? 0)).toEqual([]);
  });

  it('takes a similar name at the same postcode as the same supplier, and leaves one at another postcode to a person', async () => {
    const oxford = await organisationId('E07000178');
    const importRows = async (name: string, rows: string[]) => {
      const csv = ['Date,Supplier,Supplier Postcode,Amount', ...rows.map((row) => `03/06/2021,${row},100.00`)].join('\n');
      const outcome = await service.importSpendFile({ organisationId: oxford, stream: Readable.from([Buffer.from(csv)]), fileName: name });
      expect(outcome.status).toBe('imported');
      const found = await sql<{ supplier_id: number; postcode: string | null }>`
        select t.supplier_id, s.postcode from spend_transactions t join suppliers s on s.id = t.supplier_id
        where t.file_id = ${outcome.fileId} order by t.line
      `.execute(db());
      return found.rows;
    };
    const [first, other] = await importRows('postcodes-1.csv', [
      'Brindlecote Graffiti Removal Ltd,ox1 2jd',
      'Fennimore Graffiti Removal Ltd,OX4 1AB',
    ]);
    // The postcode is kept as Royal Mail writes it.
    expect(first?.postcode).toBe('OX1 2JD');
    const [samePlace, elsewhere] = await importRows('postcodes-2.csv', [
      'Brindlecote Graffiti Removal (North) Ltd,OX12JD',
      'Fennimore Graffiti Removal (North) Ltd,LS1 4AP',
    ]);
    expect(samePlace?.supplier_id).toBe(first?.supplier_id);
    expect(elsewhere?.supplier_id).not.toBe(other?.supplier_id);
    const reviews = await service.listPendingMatchReviews(1000);
    expect(
      reviews.some((review) => review.supplier_id === elsewhere?.supplier_id && review.candidate_supplier_id === other?.supplier_id),
    ).toBe(true);
  });
});
