import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { moduleDatabase, type Database } from '../../src/app/database-schema.js';
import { createOrganisationsRepository, createOrganisationsService } from '../../src/modules/organisations/index.js';
import { createSpendRepository } from '../../src/modules/spend/spend.repository.js';
import { createSpendService, type SpendService } from '../../src/modules/spend/spend.service.js';
import type { SpendTables } from '../../src/modules/spend/spend.tables.js';
import type { DatabaseHandle } from '../../src/platform/database/database.js';
import { fixedClock } from './test-app.js';

/**
 * Spend services on a describe block's database, with a files directory of their own made before its tests and
 * removed after them. Call inside describeEachEngine.
 */
export function useSpendServices(database: () => DatabaseHandle<Database>) {
  let filesDirectory = '';
  beforeAll(() => {
    filesDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-spend-files-'));
  });
  afterAll(() => {
    fs.rmSync(filesDirectory, { recursive: true, force: true });
  });
  const organisationsService = () =>
    createOrganisationsService({
      organisationsRepository: createOrganisationsRepository(moduleDatabase(database().db)),
      clock: fixedClock,
    });
  return {
    db: () => moduleDatabase<SpendTables>(database().db),
    filesDirectory: () => filesDirectory,
    organisationId: async (gss: string) => (await organisationsService().getOrganisation(gss)).id,
    spendService: (options: { parseInWorker?: boolean } = {}): SpendService =>
      createSpendService({
        spendRepository: createSpendRepository(moduleDatabase(database().db)),
        organisationsService: organisationsService(),
        clock: fixedClock,
        filesDirectory,
        ...options,
      }),
  };
}

/** Polls an import job through the API (with a token that may see it) until it is done or failed; returns its JSON. */
export async function waitForSpendJob(app: FastifyInstance, token: string, id: number): Promise<Record<string, unknown>> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const response = await app.inject({ url: `/api/v1/spend/jobs/${id}`, headers: { authorization: `Bearer ${token}` } });
    const job = response.json<{ status: string }>();
    if (job.status === 'done' || job.status === 'failed') return response.json<Record<string, unknown>>();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`job ${id} did not finish`);
}
