import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { moduleDatabase } from '../../app/database-schema.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { useSpendServices } from '../../../test/support/spend.js';
import { createSpendRepository } from './spend.repository.js';
import type { SpendService } from './spend.service.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/spend/', import.meta.url));

/**
 * Big files are read in a worker thread (spend-copy-chunks.worker.ts); these tests make every file take that path
 * and check it writes exactly what reading in the import's own thread writes.
 */
describeEachEngine('importing spend files read in a worker thread', ({ database, engine }) => {
  const { db, filesDirectory, organisationId, spendService } = useSpendServices(database);
  let inWorker: SpendService;
  let here: SpendService;

  /** A file's rows as stored, each with its supplier's name in place of ids that differ between runs. */
  const storedRows = async (fileId: number) =>
    (
      await sql<Record<string, unknown>>`
        select t.line, t.payment_date::text, t.date_precision, t.transaction_reference, s.name as supplier, s.normalised_name,
               t.supplier_name, t.supplier_redacted, t.amount_pence, t.irrecoverable_vat_pence, t.service, t.expense_type,
               t.expense_code, t.procurement_category, t.capital_revenue, t.purpose, t.card_transaction, t.body
        from spend_transactions t left join suppliers s on s.id = t.supplier_id
        where t.file_id = ${fileId} order by t.line
      `.execute(db())
    ).rows;
  const suppliersMade = async () =>
    (await sql<{ name: string }>`select name from suppliers order by name`.execute(db())).rows.map((row) => row.name);
  const forgetImports = async () => {
    await sql`
      truncate spend_transactions, spend_files, suppliers, spend_breakdown_totals, spend_monthly_rollups,
               spend_expense_concentration, spend_expense_concentration_stale cascade
    `.execute(db());
  };

  beforeAll(() => {
    inWorker = spendService({ parseInWorker: true });
    here = spendService({ parseInWorker: false });
  });

  it.each(['trafford/trafford-2014-09.csv', 'leeds/raw-2013-09.csv', 'devon/DCCSpendingOver500_201101.csv'])(
    'writes %s exactly as reading it here does, making the same suppliers',
    async (file) => {
      const organisation = await organisationId('E08000009');
      await forgetImports();
      const viaHere = await here.importSpendFile({ organisationId: organisation, path: FIXTURES + file, fileName: file });
      const hereRows = await storedRows(viaHere.fileId ?? 0);
      const hereSuppliers = await suppliersMade();
      await forgetImports();
      const viaWorker = await inWorker.importSpendFile({ organisationId: organisation, path: FIXTURES + file, fileName: file });
      expect(viaWorker.status).toBe('imported');
      expect({ ...viaWorker, fileId: null }).toEqual({ ...viaHere, fileId: null });
      const workerRows = await storedRows(viaWorker.fileId ?? 0);
      expect(workerRows).toHaveLength(viaWorker.rowsImported);
      expect(workerRows).toEqual(hereRows);
      expect(await suppliersMade()).toEqual(hereSuppliers);
      expect(workerRows.filter((row) => row.supplier === null && row.supplier_redacted === false)).toEqual([]);
    },
  );

  it('knows whether the database runs in this thread, which decides where files are read by default', async () => {
    expect(await createSpendRepository(moduleDatabase(database().db)).isEmbedded()).toBe(engine === 'pglite');
  });

  it('writes nothing of a file refused part-way, even after chunks of it were written', async () => {
    const devon = await organisationId('E10000008');
    const before = await sql<{ rows: number }>`select count(*)::int8 as rows from spend_transactions`.execute(db());
    // Several COPY chunks (2 MiB each) of good rows, then a quote never closed, which swallows the rest of the file.
    const good = fs
      .readFileSync(`${FIXTURES}trafford/trafford-2014-09.csv`, 'utf8')
      .replace(/^\ufeff/, '')
      .split('\r\n');
    const header = good[0] ?? '';
    const rows = good.slice(1).filter((line) => line !== '');
    const lines = [header];
    while (lines.join('\r\n').length < 6 * 2 ** 20) lines.push(...rows);
    const runaway = `${lines.length + 1}`;
    const file = path.join(filesDirectory(), 'runaway-quote.csv');
    fs.writeFileSync(file, `${lines.join('\r\n')}\r\n"01/09/2014,never closed${'x'.repeat(5 * 2 ** 20)}\r\n`);

    const progress: number[] = [];
    const outcome = await inWorker.importSpendFile({
      organisationId: devon,
      path: file,
      fileName: 'runaway-quote.csv',
      onProgress: ({ rows }) => progress.push(rows),
    });
    // Rows were written (a chunk's COPY reported progress) before the file was refused.
    expect(Math.max(0, ...progress)).toBeGreaterThan(5000);
    expect(outcome.status).toBe('rejected');
    expect(outcome.errors[0]).toContain(`line ${runaway}`);
    const after = await sql<{ rows: number }>`select count(*)::int8 as rows from spend_transactions`.execute(db());
    expect(after.rows).toEqual(before.rows);
  });

  it('refuses a file that is not transaction-level, saying why, as reading it here does', async () => {
    const file = path.join(filesDirectory(), 'supplier-totals.csv');
    fs.writeFileSync(file, 'Supplier,Total spend\r\nAcme Ltd,1000000\r\nBeta plc,250000\r\n');
    const outcome = await inWorker.importSpendFile({
      organisationId: await organisationId('E07000178'),
      path: file,
      fileName: 'supplier-totals.csv',
    });
    expect(outcome.status).toBe('rejected');
    expect(outcome.errors[0]).toMatch(/not a transaction-level spending file/);
  });
});
