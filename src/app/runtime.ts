import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { systemClock, type Clock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import { type DatabaseHandle, openDatabase } from '../platform/database/database.js';
import { migrateToLatest } from '../platform/database/migrator.js';
import type { Logger } from '../platform/logging.js';
import type { Database } from './database-schema.js';
import { type DatabaseStart, startDatabase } from './database-start.js';
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
  /** True when this opening found no organisation and loaded the council register (a fresh database); known once ready. */
  fresh: boolean;
  /** Closes the database and releases the data-directory lock. */
  close(): Promise<void>;
}

export interface OpenPlatformOptions {
  command: string;
  clock?: Clock;
  /** PGlite in a thread of its own (the web server: start-up and long statements then leave its event loop free). */
  databaseInWorker?: boolean;
  /** The lock and database thread when the caller took that first step itself (startDatabase); taken here otherwise. */
  started?: DatabaseStart;
}

/** A platform whose services are wired and whose database is still starting: `ready` settles when it is usable. */
export interface StartingPlatform {
  platform: Platform;
  /** Settles when the database has started, is migrated, and holds the council register; rejects when it cannot. */
  ready: Promise<void>;
}

/**
 * Opens the database for one command: takes the embedded data directory's one-process lock,
 * migrates to the newest schema, wires the services, and loads the council register if the
 * database has none yet, so that any command is a newcomer's possible first command.
 */
export async function openPlatform(config: Config, logger: Logger, options: OpenPlatformOptions): Promise<Platform> {
  const { platform, ready } = await startPlatform(config, logger, options);
  try {
    await ready;
  } catch (error) {
    await platform.close();
    throw error;
  }
  return platform;
}

/**
 * openPlatform without waiting for the database to be ready: the services are wired as soon as the modules are
 * loaded, so the web server can build its routes while PostgreSQL starts in its own thread. Nothing may query the
 * database before `ready` settles; whoever starts a platform closes it if `ready` rejects.
 */
export async function startPlatform(config: Config, logger: Logger, options: OpenPlatformOptions): Promise<StartingPlatform> {
  const started = options.started ?? startDatabase(config, options);
  let database: DatabaseHandle<Database> | null = null;
  try {
    const modules = loadWiring();
    // A failure to load is reported where the modules are awaited, below; never as an unhandled rejection meanwhile.
    modules.catch(() => undefined);
    database = await openDatabase<Database>(config.database, { pgliteThread: started.thread ?? undefined });
    const migrated = migrateToLatest(database.db as never, migrationsFolder).then((applied) => {
      if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
    });
    migrated.catch(() => undefined);
    const [{ createServices }, { seedReferenceData }] = await modules;
    const platform = wirePlatform(config, options, database, createServices, started.releaseLock);
    const ready = migrated.then(async () => {
      platform.fresh = await loadReferenceDataIfEmpty(platform.services, logger, seedReferenceData);
    });
    ready.catch(() => undefined);
    return { platform, ready };
  } catch (error) {
    try {
      await (database ? database.close() : started.thread?.close());
    } finally {
      started.releaseLock();
    }
    throw error;
  }
}

/** The services over an open database, and how to close both. */
function wirePlatform(
  config: Config,
  options: OpenPlatformOptions,
  database: DatabaseHandle<Database>,
  createServices: (typeof ServicesModule)['createServices'],
  releaseLock: () => void,
): Platform {
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
  return {
    database,
    services,
    secret: config.secret ?? readOrCreateLocalSecret(config.dataDirectory),
    fresh: false,
    async close() {
      try {
        await services.boundedParser.close();
        await database.close();
      } finally {
        releaseLock();
      }
    },
  };
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
