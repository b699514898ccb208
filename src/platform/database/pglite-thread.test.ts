import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from './database.js';
import { pgliteOptions } from './pglite-options.js';
import { PGliteThread } from './pglite-thread.js';

/** A copy of the migrated, seeded template, for one opening. */
function copyOfTemplate(): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-pglite-thread-'));
  fs.cpSync(inject('templates').pgliteDirectory, directory, { recursive: true });
  return directory;
}

const VALUES = sql<Record<string, unknown>>`
  select 9007199254740991::int8 as big, date '2024-02-29' as day, timestamptz '2024-03-01 12:00:00+00' as at,
         '{"a":[1,2]}'::jsonb as doc, '\\x00ff'::bytea as bytes, null::text as nothing, 12.50::numeric as amount,
         array[1,2,3]::int4[] as list, true as yes`;

describe('PGlite in a thread of its own', () => {
  const directories: string[] = [];
  let thread: PGliteThread;
  let db: Kysely<{ notes: { id: number; body: string } }>;

  beforeAll(async () => {
    directories.push(copyOfTemplate());
    thread = new PGliteThread({ dataDirectory: directories[0]! });
    db = new Kysely({ dialect: new PGliteDialect(thread as unknown as PGlite) });
    await sql`create table notes (id int primary key, body text not null)`.execute(db);
  }, 60_000);

  afterAll(async () => {
    await thread?.close();
    for (const directory of directories) fs.rmSync(directory, { recursive: true, force: true });
  });

  it('answers with the same values as PGlite in this thread', async () => {
    const fromThread = (await VALUES.execute(db)).rows[0];
    directories.push(copyOfTemplate());
    const local = await PGlite.create(pgliteOptions({ dataDirectory: directories.at(-1)! }));
    try {
      const here = (await VALUES.execute(new Kysely({ dialect: new PGliteDialect(local) }))).rows[0];
      expect(fromThread).toEqual(here);
      expect(fromThread).toMatchObject({ big: 9007199254740991, day: '2024-02-29', amount: '12.50', list: [1, 2, 3], yes: true });
      expect(fromThread?.at).toBeInstanceOf(Date);
    } finally {
      await local.close();
    }
  }, 60_000);

  it("reports PostgreSQL's error fields, with the stack of the code that asked", async () => {
    await sql`insert into notes values (1, 'first')`.execute(db);
    const failure = await sql`insert into notes values (1, 'again')`.execute(db).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).toMatchObject({ code: '23505', constraint: 'notes_pkey', table: 'notes', severity: 'ERROR' });
    expect((failure as Error).message).toContain('duplicate key value violates unique constraint "notes_pkey"');
    expect((failure as Error).stack).toContain('pglite-thread.test.ts');
  });

  it('rolls back a failed transaction and keeps what was committed', async () => {
    await db.transaction().execute(async (trx) => {
      await sql`insert into notes values (2, 'second')`.execute(trx);
    });
    const failed = db.transaction().execute(async (trx) => {
      await sql`insert into notes values (3, 'third')`.execute(trx);
      await sql`insert into notes values (2, 'clash')`.execute(trx);
    });
    await expect(failed).rejects.toMatchObject({ code: '23505' });
    const rows = await db.selectFrom('notes').select(['id', 'body']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 1, body: 'first' },
      { id: 2, body: 'second' },
    ]);
  });

  it("copies rows from a Blob, as the spend import's COPY … FROM '/dev/blob' does", async () => {
    const result = await thread.query(`copy notes (id, body) from '/dev/blob'`, [], { blob: new Blob(['10\tten\n11\televen\n']) });
    expect(result.affectedRows).toBe(2);
    expect((await thread.query<{ body: string }>('select body from notes where id > 9 order by id')).rows).toEqual([
      { body: 'ten' },
      { body: 'eleven' },
    ]);
  });

  it('keeps what was written when it closes: PGlite in this thread reads it back', async () => {
    const directory = copyOfTemplate();
    directories.push(directory);
    const writer = await openDatabase({ engine: 'pglite', dataDirectory: directory }, { pgliteInWorker: true });
    await sql`create table kept (id int)`.execute(writer.db);
    await sql`insert into kept values (7)`.execute(writer.db);
    await writer.close();
    const reader = await openDatabase({ engine: 'pglite', dataDirectory: directory });
    try {
      expect((await sql<{ id: number }>`select id from kept`.execute(reader.db)).rows).toEqual([{ id: 7 }]);
    } finally {
      await reader.close();
    }
  }, 60_000);

  it('reports a database that cannot start on every query, and still closes', async () => {
    const directory = copyOfTemplate();
    directories.push(directory);
    fs.writeFileSync(path.join(directory, 'PG_VERSION'), '99\n');
    const broken = new PGliteThread({ dataDirectory: directory });
    await expect(broken.query('select 1')).rejects.toThrow('PGlite failed to initialize');
    await expect(broken.query('select 1')).rejects.toThrow('PGlite failed to initialize');
    await broken.close();
  }, 60_000);
});
