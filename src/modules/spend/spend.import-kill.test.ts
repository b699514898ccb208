import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Database } from '../../app/database-schema.js';
import { openDatabase } from '../../platform/database/database.js';
import { administer, postgresUrlFor, testEngines } from '../../../test/support/test-database.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ROWS = 150_000;

/** A large file made of Trafford's real rows repeated, so an import takes long enough to be killed part-way. */
function writeLargeFile(target: string): void {
  const text = fs.readFileSync(path.join(ROOT, 'test/fixtures/spend/trafford/trafford-2014-09.csv'), 'utf8').replace(/^\ufeff/, '');
  const [header, ...rows] = text.split('\r\n').filter((line) => line !== '');
  const out: string[] = [`${header ?? ''}\r\n`];
  for (let written = 0; written < ROWS;) for (const row of rows) if (written++ < ROWS) out.push(`${row}\r\n`);
  fs.writeFileSync(target, out.join(''));
}

function runImport(environment: NodeJS.ProcessEnv, file: string): ChildProcess {
  return spawn(
    process.execPath,
    [path.join(ROOT, 'bin/commons.js'), 'import', 'spend', '--org', 'E08000009', '--progress', '--json', file],
    {
      env: { ...process.env, ...environment, LOG_LEVEL: 'silent', NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

/** Resolves once the child has reported `reports` batches sent to the database (a report follows each batch). */
async function waitForProgress(child: ChildProcess, reports = 1): Promise<void> {
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (data: Buffer) => {
      seen += data.toString();
      if ([...seen.matchAll(/\d[\d,]* rows, \d+%/g)].length >= reports) resolve();
    });
    child.once('exit', (code) => reject(new Error(`import ended (exit ${code}) before any progress: ${seen}`)));
  });
}

for (const engine of testEngines()) {
  describe(`an import killed part-way [${engine}]`, () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-spend-kill-'));
    const file = path.join(work, 'large.csv');
    let environment: NodeJS.ProcessEnv;
    let databaseName = '';

    beforeAll(async () => {
      writeLargeFile(file);
      const templates = inject('templates');
      if (engine === 'pglite') {
        fs.cpSync(templates.pgliteDirectory, path.join(work, 'data', 'pglite'), { recursive: true });
        environment = { COMMONS_DATA_DIR: path.join(work, 'data'), DATABASE_URL: '' };
      } else {
        databaseName = `commons_test_${crypto.randomBytes(6).toString('hex')}`;
        await administer(`create database ${databaseName} template ${templates.postgresDatabase ?? ''}`);
        environment = { COMMONS_DATA_DIR: path.join(work, 'data'), DATABASE_URL: postgresUrlFor(databaseName) };
      }
    }, 60_000);

    afterAll(async () => {
      if (databaseName) await administer(`drop database if exists ${databaseName} with (force)`);
      fs.rmSync(work, { recursive: true, force: true });
    });

    /** What people can see (files, payments of visible files, published suppliers), and the staged leftovers. */
    async function countStored(): Promise<{ files: number; transactions: number; suppliers: number; staged: number }> {
      const handle = await openDatabase<Database>(
        engine === 'pglite'
          ? { engine: 'pglite', dataDirectory: path.join(work, 'data', 'pglite') }
          : { engine: 'postgres', url: postgresUrlFor(databaseName) },
      );
      try {
        const result = await sql<{ files: number; transactions: number; suppliers: number; staged: number }>`
          select (select count(*) from spend_files where status <> 'staging')::int8 as files,
                 (select count(*) from spend_transactions where file_id in (select id from spend_files where status <> 'staging'))::int8 as transactions,
                 (select count(*) from suppliers where staged_file_id is null)::int8 as suppliers,
                 (select count(*) from spend_transactions where file_id in (select id from spend_files where status = 'staging'))::int8 +
                 (select count(*) from spend_files where status = 'staging')::int8 as staged
        `.execute(handle.db);
        const [counts] = result.rows;
        if (!counts) throw new Error('no counts');
        return counts;
      } finally {
        await handle.close();
      }
    }

    it('leaves no rows of the file after kill -9, and a re-run completes it', async () => {
      if (environment.DATABASE_URL === '') delete environment.DATABASE_URL;
      const first = runImport(environment, file);
      await waitForProgress(first);
      first.kill('SIGKILL');
      await once(first, 'exit');
      expect(await countStored()).toMatchObject({ files: 0, transactions: 0, suppliers: 0 });

      const second = runImport(environment, file);
      let output = '';
      second.stdout?.on('data', (data: Buffer) => (output += data.toString()));
      const [code] = (await once(second, 'exit')) as [number];
      expect(code).toBe(0);
      expect(JSON.parse(output)).toMatchObject({ status: 'imported', rowsImported: ROWS, organisation: 'E08000009' });
      expect(await countStored()).toMatchObject({ files: 1, transactions: ROWS, staged: 0 });
    }, 120_000);

    it('shows nothing of batches already written when killed, and the next import discards them before writing', async () => {
      if (environment.DATABASE_URL === '') delete environment.DATABASE_URL;
      const other = path.join(work, 'other.csv');
      // Different content (one row fewer), so it is not recognised as the file imported above.
      fs.writeFileSync(other, fs.readFileSync(file, 'utf8').replace(/\r\n[^\r\n]*\r\n$/, '\r\n'));
      const before = await countStored();
      const first = runImport(environment, other);
      // A second batch is sent only once the first one's short transaction has committed.
      await waitForProgress(first, 2);
      first.kill('SIGKILL');
      await once(first, 'exit');
      const afterKill = await countStored();
      expect(afterKill.staged).toBeGreaterThan(0);
      expect({ ...afterKill, staged: 0 }).toEqual({ ...before, staged: 0 });

      const second = runImport(environment, other);
      const [code] = (await once(second, 'exit')) as [number];
      expect(code).toBe(0);
      expect(await countStored()).toMatchObject({ files: before.files + 1, transactions: before.transactions + ROWS - 1, staged: 0 });
    }, 120_000);
  });
}
