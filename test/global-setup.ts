import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { seedReferenceData } from '../src/app/seed.js';
import { createServices } from '../src/app/services.js';
import { migrationsFolder } from '../src/app/paths.js';
import type { Database } from '../src/app/database-schema.js';
import { openDatabase } from '../src/platform/database/database.js';
import { migrateToLatest } from '../src/platform/database/migrator.js';
import { createLogger } from '../src/platform/logging.js';
import { administer, postgresUrlFor, testEngines, type TestTemplates } from './support/test-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    templates: TestTemplates;
  }
}

/**
 * Vitest runs this once for the root and once more for each project in the run (three times for `npm test`), all in
 * one process: the templates are made by the first and shared by the rest, and removed by the first's teardown.
 */
const shared = globalThis as { commonsTestTemplates?: Promise<TestTemplates> };

/** Migrates and seeds one template per engine, once per run; each test file then copies it (seconds saved per file). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const first = shared.commonsTestTemplates === undefined;
  shared.commonsTestTemplates ??= makeTemplates();
  const templates = await shared.commonsTestTemplates;
  project.provide('templates', templates);
  if (!first) return async () => {};
  return async () => {
    shared.commonsTestTemplates = undefined;
    fs.rmSync(templates.pgliteDirectory, { recursive: true, force: true });
    if (templates.postgresDatabase) await administer(`drop database if exists ${templates.postgresDatabase} with (force)`);
  };
}

async function makeTemplates(): Promise<TestTemplates> {
  const logger = createLogger('warn');
  const clock = () => new Date();
  const suffix = crypto.randomBytes(4).toString('hex');
  const pgliteDirectory = path.join(os.tmpdir(), `commons_template_${suffix}`);

  const pglite = await openDatabase<Database>({ engine: 'pglite', dataDirectory: pgliteDirectory });
  await migrateToLatest(pglite.db as never, migrationsFolder);
  await seedReferenceData(createServices({ db: pglite.db, clock }), logger);
  await pglite.close();

  let postgresDatabase: string | null = null;
  if (testEngines().includes('postgres')) {
    postgresDatabase = `commons_template_${suffix}`;
    await administer(`create database ${postgresDatabase}`);
    const postgres = await openDatabase<Database>({ engine: 'postgres', url: postgresUrlFor(postgresDatabase) }, { poolSize: 1 });
    await migrateToLatest(postgres.db as never, migrationsFolder);
    await seedReferenceData(createServices({ db: postgres.db, clock }), logger);
    await postgres.close();
  }

  return { pgliteDirectory, postgresDatabase };
}
