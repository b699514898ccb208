import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { systemClock, type Clock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import { type DatabaseHandle, openDatabase } from '../platform/database/database.js';
import { lockDataDirectory } from '../platform/database/data-directory-lock.js';
import { migrateToLatest } from '../platform/database/migrator.js';
import type { Logger } from '../platform/logging.js';
import type { Database } from './database-schema.js';
import { migrationsFolder } from './paths.js';
import type * as SeedModule from './seed.js';
import type * as ServicesModule from './services.js';
import type { Services } from './services.js';

/**
 * The services and seeds, which import every module: loaded while the database opens rather than before it, since
 * both take a good part of start-up. Loaded once.
 */
let wiring: Promise<[typeof ServicesModule, typeof SeedModule]> | null = null;
function loadWiring() {
  wiring ??= Promise.all([import('./services.js'), import('./seed.js')]);
  return wiring;
}

export interface Platform {
  database: DatabaseHandle<Database>;
  services: Services;
  /** Signs form tokens: COMMONS_SECRET, or one generated once and kept in the data folder. */
  secret: string;
  /** True when this opening found no organisation and loaded the council register (a fresh database). */
  fresh: boolean;
  /** Closes the database and releases the data-directory lock. */
  close(): Promise<void>;
}

/**
 * Opens the database for one command: takes the embedded data directory's one-process lock,
 * migrates to the newest schema, wires the services, and loads the council register if the
 * database has none yet, so that any command is a newcomer's possible first command.
 */
export async function openPlatform(config: Config, logger: Logger, options: { command: string; clock?: Clock }): Promise<Platform> {
  const releaseLock =
    config.database.engine === 'pglite' ? lockDataDirectory(config.dataDirectory, { command: options.command }) : () => {};
  try {
    const modules = loadWiring();
    // A failure to load is reported where the modules are awaited, below; never as an unhandled rejection meanwhile.
    modules.catch(() => undefined);
    const database = await openDatabase<Database>(config.database);
    try {
      const applied = await migrateToLatest(database.db as never, migrationsFolder);
      if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
    } catch (error) {
      await database.close();
      throw error;
    }
    let loaded: Awaited<typeof modules>;
    try {
      loaded = await modules;
    } catch (error) {
      await database.close();
      throw error;
    }
    const [{ createServices }, { seedReferenceData }] = loaded;
    const services = createServices({
      db: database.db,
      clock: options.clock ?? systemClock,
      filesDirectory: path.join(config.dataDirectory, 'files'),
      identitySettings: {
        publicBaseUrl: config.publicBaseUrl,
        sessionIdleMinutes: config.sessions.idleMinutes,
        sessionAbsoluteHours: config.sessions.absoluteHours,
      },
      mail: config.mail,
      limits: config.limits,
      webhookAllowedNetworks: config.webhookAllowedNetworks,
    });
    let fresh: boolean;
    try {
      fresh = await loadReferenceDataIfEmpty(services, logger, seedReferenceData);
    } catch (error) {
      await database.close();
      throw error;
    }
    return {
      database,
      services,
      secret: config.secret ?? readOrCreateLocalSecret(config.dataDirectory),
      fresh,
      async close() {
        try {
          await services.boundedParser.close();
          await database.close();
        } finally {
          releaseLock();
        }
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/** Loads the council register when no organisation exists yet (a fresh data directory or database). */
async function loadReferenceDataIfEmpty(
  services: Services,
  logger: Logger,
  seedReferenceData: (services: Services, logger: Logger) => Promise<void>,
): Promise<boolean> {
  if ((await services.organisationsService.countOrganisations()) > 0) return false;
  await seedReferenceData(services, logger);
  return true;
}

/** Seeds demo content (if configured) the first time a database is used; openPlatform has loaded the register. */
export async function seedIfEmpty(platform: Platform, config: Config, logger: Logger): Promise<void> {
  if (!platform.fresh) return;
  if (!config.seedDemoContent) return;
  const [, { seedDemoContent }] = await loadWiring();
  await seedDemoContent(platform.services, logger);
}

/** A cheap query that proves the database answers. */
export async function pingDatabase(platform: Platform): Promise<boolean> {
  await sql`select 1`.execute(platform.database.db);
  return true;
}

/** A random secret kept in the data folder, so development needs no setup and form tokens survive restarts. */
function readOrCreateLocalSecret(dataDirectory: string): string {
  const file = path.join(dataDirectory, 'secret');
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch {
    // created below
  }
  fs.mkdirSync(dataDirectory, { recursive: true, mode: 0o700 });
  const secret = crypto.randomBytes(32).toString('base64url');
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
