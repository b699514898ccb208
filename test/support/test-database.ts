import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Database } from '../../src/app/database-schema.js';
import { type DatabaseHandle, openDatabase } from '../../src/platform/database/database.js';

export type TestEngine = 'pglite' | 'postgres';

/** The engines this run tests on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set (CI must set it). */
export function testEngines(): TestEngine[] {
  if (process.env.CI === 'true' && !process.env.TEST_DATABASE_URL) {
    throw new Error('CI must set TEST_DATABASE_URL so the suite also runs on PostgreSQL.');
  }
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/** Where global setup leaves the migrated, seeded templates for this run. */
export interface TestTemplates {
  pgliteDirectory: string;
  postgresDatabase: string | null;
}

export function postgresUrlFor(database: string): string {
  const url = new URL(requireTestDatabaseUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

export function requireTestDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  return url;
}

/** A fresh database for one test file: a copy of the migrated, seeded template on the chosen engine. */
export async function createTestDatabase(engine: TestEngine, templates: TestTemplates): Promise<DatabaseHandle<Database>> {
  const name = `commons_test_${crypto.randomBytes(6).toString('hex')}`;
  if (engine === 'pglite') {
    const directory = path.join(os.tmpdir(), name);
    fs.cpSync(templates.pgliteDirectory, directory, { recursive: true });
    // The browser journeys set TEST_PGLITE_IN_WORKER: they run over the database as `commons serve` opens it.
    const pgliteInWorker = process.env.TEST_PGLITE_IN_WORKER === 'true';
    const handle = await openDatabase<Database>({ engine: 'pglite', dataDirectory: directory }, { pgliteInWorker });
    return {
      ...handle,
      async close() {
        await handle.close();
        fs.rmSync(directory, { recursive: true, force: true });
      },
    };
  }
  if (!templates.postgresDatabase) throw new Error('No PostgreSQL template: is TEST_DATABASE_URL set?');
  await administer(`create database ${name} template ${templates.postgresDatabase}`);
  const handle = await openDatabase<Database>({ engine: 'postgres', url: postgresUrlFor(name) }, { poolSize: 4 });
  return {
    ...handle,
    async close() {
      await handle.close();
      await administer(`drop database if exists ${name} with (force)`);
    },
  };
}

/** Runs one administrative statement (create or drop database) on the test server. */
export async function administer(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: requireTestDatabaseUrl() });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
