import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/support/engines.js';
import { stagingFileRecord } from '../../../test/support/spend-records.js';
import { useSpendServices } from '../../../test/support/spend.js';
import { moduleDatabase } from '../../app/database-schema.js';
import { createSpendRepository, type SpendDatabase } from './spend.repository.js';

const TRAFFORD = fileURLToPath(new URL('../../../test/fixtures/spend/trafford/trafford-2014-09.csv', import.meta.url));

describeEachEngine('what stopped spend imports leave behind', ({ database }) => {
  const spend = useSpendServices(database);

  it('removes .incoming copies left by a process stopped during the copy, and keeps one still being written', async () => {
    const service = spend.spendService();
    const folder = path.join(spend.filesDirectory(), 'spend');
    fs.mkdirSync(folder, { recursive: true });
    const stale = path.join(folder, '.incoming-4242-abcdef');
    const fresh = path.join(folder, '.incoming-4243-abcdef');
    fs.writeFileSync(stale, 'half a file');
    fs.writeFileSync(fresh, 'a file being copied');
    const hourAgo = new Date(Date.now() - 60 * 60_000);
    fs.utimesSync(stale, hourAgo, hourAgo);

    expect(await service.removeStaleIncomingFiles()).toBe(1);
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(fresh)).toBe(true);
    fs.rmSync(fresh);
  });

  it('removes the copy when the upload fails part-way', async () => {
    const service = spend.spendService();
    const failing = Readable.from(
      (async function* () {
        yield Buffer.from('Date,Amount\n');
        throw new Error('connection reset');
      })(),
    );
    await expect(service.storeSpendUpload(failing)).rejects.toThrow('connection reset');
    const left = fs.readdirSync(path.join(spend.filesDirectory(), 'spend')).filter((name) => name.startsWith('.incoming-'));
    expect(left).toEqual([]);
  });

  it('discards a staging file no import holds: its rows, group sums and suppliers, and shows none of them meanwhile', async () => {
    const service = spend.spendService();
    const organisationId = await spend.organisationId('E08000009');
    const repository = createSpendRepository(moduleDatabase<SpendDatabase>(database().db));
    // What a kill after some batches leaves: a staging file, a supplier it made, rows and group sums.
    const fileId = await repository.insertFile(
      stagingFileRecord(organisationId, { file_name: 'killed.csv', sha256: 'a'.repeat(64), byte_size: 10 }),
    );
    const [supplierId] = await repository.insertSuppliers([
      { name: 'Staged Supplier Ltd', normalised_name: 'STAGED SUPPLIER', company_number: null, vat_number: null, staged_file_id: fileId },
    ]);
    await repository.copyTransactions(
      new TextEncoder().encode(
        `${organisationId}\t${fileId}\t2\t2024-01-05\tday\t\\N\t${supplierId}\tStaged Supplier Ltd\tf\t50000\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n`,
      ),
    );
    await repository.copyStagedGroups(fileId, organisationId, [[supplierId ?? null, '2024-01-01', null, null, 1, 50000]]);

    // Nothing of it is visible.
    await expect(service.getFile(fileId)).rejects.toThrow(/No spend file/);
    expect((await service.listSuppliers({ q: 'staged', page: 1, pageSize: 10 })).total).toBe(0);
    expect((await service.getOrganisationSummary('E08000009')).transactions).toBe(0);

    expect(await service.discardAbandonedImports()).toBe(1);
    const left = await sql<{ files: number; rows: number; groups: number; suppliers: number }>`
      select (select count(*) from spend_files where id = ${fileId})::int8 as files,
             (select count(*) from spend_transactions where file_id = ${fileId})::int8 as rows,
             (select count(*) from spend_staged_groups where file_id = ${fileId})::int8 as groups,
             (select count(*) from suppliers where id = ${supplierId ?? 0})::int8 as suppliers
    `.execute(spend.db());
    expect(left.rows[0]).toEqual({ files: 0, rows: 0, groups: 0, suppliers: 0 });
  });

  it('imports a file whose earlier import was stopped, discarding what that one staged', async () => {
    const service = spend.spendService();
    const organisationId = await spend.organisationId('E08000009');
    const stored = await service.storeSpendFileFromPath(TRAFFORD);
    const repository = createSpendRepository(moduleDatabase<SpendDatabase>(database().db));
    const staged = await repository.insertFile(
      stagingFileRecord(organisationId, {
        file_name: 'trafford.csv',
        sha256: stored.sha256,
        byte_size: stored.byteSize,
        stored_path: stored.storedPath,
      }),
    );
    const outcome = await service.importSpendFile({ organisationId, stored, fileName: 'trafford.csv' });
    expect(outcome.status).toBe('imported');
    expect(outcome.fileId).not.toBe(staged);
    const summary = await service.getOrganisationSummary('E08000009');
    expect(summary.transactions).toBe(outcome.rowsImported);
    expect(summary.files).toBe(1);
  });
});
