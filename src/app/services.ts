import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock.js';
import { createOrganisationsRepository, createOrganisationsService } from '../modules/organisations/index.js';
import { type Database, moduleDatabase } from './database-schema.js';

/** Wires every module's repository and service once, at start-up. */
export function createServices({ db, clock }: { db: Kysely<Database>; clock: Clock }) {
  const organisationsService = createOrganisationsService({
    organisationsRepository: createOrganisationsRepository(moduleDatabase(db)),
    clock,
  });
  return { organisationsService };
}

export type Services = ReturnType<typeof createServices>;
