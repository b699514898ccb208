import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock.js';
import { createOrganisationsRepository, createOrganisationsService } from '../modules/organisations/index.js';
import { createSpendRepository, createSpendService } from '../modules/spend/index.js';
import { type Database, moduleDatabase } from './database-schema.js';
import type { Config } from '../platform/config.js';
import { createMailer, type MailTables } from '../platform/mail.js';
import {
  createIdentityRepository,
  createIdentityService,
  createIdentityTransaction,
  type IdentitySettings,
  type IdentityTables,
} from '../modules/identity/index.js';

/** Identity settings for tools and tests that do not read the configuration. */
export const DEFAULT_IDENTITY_SETTINGS: IdentitySettings = {
  publicBaseUrl: 'http://localhost:3000',
  sessionIdleMinutes: 8 * 60,
  sessionAbsoluteHours: 7 * 24,
};

/** Wires every module's repository and service once, at start-up. */
export function createServices({
  db,
  clock,
  filesDirectory = null,
  identitySettings = DEFAULT_IDENTITY_SETTINGS,
  mail = { transport: 'outbox' },
}: {
  db: Kysely<Database>;
  clock: Clock;
  filesDirectory?: string | null;
  identitySettings?: IdentitySettings;
  mail?: Config['mail'];
}) {
  const organisationsService = createOrganisationsService({
    organisationsRepository: createOrganisationsRepository(moduleDatabase(db)),
    clock,
  });
  const spendService = createSpendService({
    spendRepository: createSpendRepository(moduleDatabase(db)),
    organisationsService,
    clock,
    filesDirectory,
  });
  const mailer = createMailer(mail, moduleDatabase<MailTables>(db));
  const identityDatabase = moduleDatabase<IdentityTables>(db);
  const identityService = createIdentityService({
    identityRepository: createIdentityRepository(identityDatabase),
    transaction: createIdentityTransaction(identityDatabase),
    organisationsService,
    mailer,
    clock,
    settings: identitySettings,
  });
  return { organisationsService, spendService, identityService, mailer };
}

export type Services = ReturnType<typeof createServices>;
