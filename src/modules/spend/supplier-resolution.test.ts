import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, it } from 'vitest';
import { moduleDatabase } from '../../app/database-schema.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { normaliseSupplierName, readSpendFile } from './ingest/index.js';
import type { SupplierIdentity } from './spend-copy-chunks.js';
import { createSpendRepository, type SpendQueries } from './spend.repository.js';
import { cleanCompanyNumber, cleanVatNumber } from './supplier-matching.js';
import { ImportSupplierResolution } from './supplier-resolution.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/spend/', import.meta.url));

/** Councils whose suppliers are already published when the files under test arrive. */
const EARLIER_FILES = ['devon/DCCSpendingOver500_201101.csv', 'leeds/raw-2011-05.csv', 'more/manchester/spendover500.csv'];
/** Files of other councils resolved against them: VAT numbers (Trafford), company numbers (Kirklees), names only (Salford). */
const FILES = [
  'trafford/trafford-2014-09.csv',
  'more/kirklees/KC-Published-Data-2023-12-31.xlsx',
  'more/salford/expenditure-report-april-2023.csv',
];

/** A file's distinct payees in file order, as the import sees them (see SupplierIdentities in spend-copy-chunks.ts). */
async function identitiesOf(file: string): Promise<SupplierIdentity[]> {
  const result = await readSpendFile(createReadStream(FIXTURES + file), { fileName: file });
  const identities = new Map<string, SupplierIdentity>();
  for await (const batch of result.batches) {
    for (const record of batch) {
      if (record.supplierRedacted) continue;
      const normalisedName = normaliseSupplierName(record.supplierName);
      if (normalisedName === '') continue;
      const companyNumber = cleanCompanyNumber(record.companyNumber);
      const vatNumber = companyNumber ? null : cleanVatNumber(record.vatNumber);
      const key = `${companyNumber ?? ''}|${vatNumber ?? ''}|${normalisedName}`;
      if (!identities.has(key)) identities.set(key, { key, rawName: record.supplierName, normalisedName, companyNumber, vatNumber });
    }
  }
  return [...identities.values()];
}

class RolledBack extends Error {}

describeEachEngine('resolving a file’s payees set by set', ({ database }) => {
  const repository = () => createSpendRepository(moduleDatabase(database().db));
  let organisationId = 0;
  const files = new Map<string, SupplierIdentity[]>();

  beforeAll(async () => {
    const row = await database().db.selectFrom('organisations').select('id').orderBy('id').executeTakeFirstOrThrow();
    organisationId = row.id;
    for (const file of [...EARLIER_FILES, ...FILES]) files.set(file, await identitiesOf(file));
    // The earlier councils' suppliers are published: each file resolved in one go, without staging.
    for (const file of EARLIER_FILES) {
      const resolution = new ImportSupplierResolution(null);
      await repository().inTransaction((queries) => resolution.resolve(queries, files.get(file) ?? []));
    }
  }, 600_000);

  /** Each payee's supplier, named by the first payee of the file resolved to it, for one file resolved in requests of `size`. */
  async function resolveInRequests(file: string, size: number): Promise<{ grouping: Map<string, string>; existing: number }> {
    const identities = files.get(file) ?? [];
    let outcome: { grouping: Map<string, string>; existing: number } | undefined;
    try {
      await repository().inTransaction(async (queries: SpendQueries) => {
        const stagingFileId = await queries.insertFile({
          organisation_id: organisationId,
          file_name: file,
          sha256: createHash('sha256').update(`${size} ${file}`).digest('hex'),
          byte_size: 0,
          stored_path: 'spend/none',
          status: 'staging',
          error: null,
          layout: null,
          mapping: null,
          period_from: null,
          period_to: null,
          warnings: [],
          imported_at: new Date('2024-01-01T00:00:00Z'),
          imported_by: null,
        });
        const resolution = new ImportSupplierResolution(stagingFileId);
        const supplierOf = new Map<string, number>();
        for (let start = 0; start < identities.length; start += size) {
          for (const [key, id] of await resolution.resolve(queries, identities.slice(start, start + size))) supplierOf.set(key, id);
        }
        const firstKeyOf = new Map<number, string>();
        const grouping = new Map<string, string>();
        let existing = 0;
        const staged = new Set(
          (await database().db.selectFrom('suppliers').select('id').where('staged_file_id', '=', stagingFileId).execute()).map(
            (supplier) => supplier.id,
          ),
        );
        for (const identity of identities) {
          const id = supplierOf.get(identity.key);
          if (id === undefined) throw new Error(`no supplier for ${identity.key}`);
          if (!staged.has(id)) existing++;
          if (!firstKeyOf.has(id)) firstKeyOf.set(id, staged.has(id) ? `new ${identity.key}` : `published ${id}`);
          grouping.set(identity.key, firstKeyOf.get(id) ?? '');
        }
        outcome = { grouping, existing };
        throw new RolledBack();
      });
    } catch (error) {
      if (!(error instanceof RolledBack)) throw error;
    }
    if (!outcome) throw new Error('resolution did not finish');
    return outcome;
  }

  it.each(FILES)(
    'resolves %s to exactly the suppliers one-by-one resolution gives',
    async (file) => {
      const together = await resolveInRequests(file, 100_000);
      const oneByOne = await resolveInRequests(file, 1);
      const inBatches = await resolveInRequests(file, 97);
      expect(together.grouping.size).toBeGreaterThan(300);
      // Some payees join suppliers the earlier councils published, and some names of the file join each other.
      expect(together.existing).toBeGreaterThan(0);
      expect(new Set(together.grouping.values()).size).toBeLessThan(together.grouping.size);
      expect(oneByOne.grouping).toEqual(together.grouping);
      expect(inBatches.grouping).toEqual(together.grouping);
    },
    600_000,
  );
});
