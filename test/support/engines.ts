import { afterAll, beforeAll, describe, inject } from 'vitest';
import type { Database } from '../../src/app/database-schema.js';
import type { DatabaseHandle } from '../../src/platform/database/database.js';
import { createTestDatabase, type TestEngine, testEngines } from './test-database.js';

export interface EngineContext {
  engine: TestEngine;
  /** The database of this describe block; set in beforeAll. */
  database: () => DatabaseHandle<Database>;
}

/** Runs the same specification on every engine under test: PGlite, and PostgreSQL when TEST_DATABASE_URL is set. */
export function describeEachEngine(name: string, specification: (context: EngineContext) => void): void {
  for (const engine of testEngines()) {
    describe(`${name} [${engine}]`, () => {
      let handle: DatabaseHandle<Database> | undefined;
      beforeAll(async () => {
        handle = await createTestDatabase(engine, inject('templates'));
      }, 60_000);
      afterAll(async () => {
        await handle?.close();
      });
      specification({
        engine,
        database: () => {
          if (!handle) throw new Error('database not ready');
          return handle;
        },
      });
    });
  }
}
