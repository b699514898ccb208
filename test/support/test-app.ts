import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app/app.js';
import { createServices, type Services } from '../../src/app/services.js';
import type { Database } from '../../src/app/database-schema.js';
import type { Clock } from '../../src/platform/clock.js';
import { type Config, loadConfig } from '../../src/platform/config.js';
import type { DatabaseHandle } from '../../src/platform/database/database.js';
import { createLogger } from '../../src/platform/logging.js';
import { sql } from 'kysely';

/** The date every test runs on, so "current" and "former" never drift as the calendar moves. */
export const TEST_TODAY = new Date('2026-06-01T12:00:00Z');
export const fixedClock: Clock = () => new Date(TEST_TODAY);
export const TEST_SECRET = 'test-secret-that-is-at-least-32-characters-long';

/** The production application over a test database (same routes, same security). */
export async function buildTestApp(
  database: DatabaseHandle<Database>,
  clock: Clock = fixedClock,
  options: { production?: boolean; filesDirectory?: string; mail?: Config['mail'] } = {},
): Promise<{ app: FastifyInstance; services: Services }> {
  const config = options.production
    ? loadConfig({
        NODE_ENV: 'production',
        LOG_LEVEL: 'silent',
        COMMONS_DATA_DIR: '/nonexistent-test-dir',
        COMMONS_SECRET: TEST_SECRET,
        SMTP_HOST: '127.0.0.1',
      })
    : loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', COMMONS_DATA_DIR: '/nonexistent-test-dir' });
  const services = createServices({
    db: database.db,
    clock,
    filesDirectory: options.filesDirectory ?? null,
    ...(options.mail ? { mail: options.mail } : {}),
    // The test configuration lets deliveries reach receivers on this machine (loopback).
    webhookAllowedNetworks: config.webhookAllowedNetworks,
  });
  const app = await buildApp({
    config,
    logger: createLogger('silent'),
    services,
    engine: database.engine,
    secret: TEST_SECRET,
    database: database.db,
    replica: database.replica,
    checkDatabase: async () => {
      await sql`select 1`.execute(database.db);
      return true;
    },
  });
  return { app, services };
}
