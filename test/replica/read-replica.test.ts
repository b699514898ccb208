import crypto from 'node:crypto';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Database } from '../../src/app/database-schema.js';
import { migrationsFolder } from '../../src/app/paths.js';
import { seedReferenceData } from '../../src/app/seed.js';
import { createServices } from '../../src/app/services.js';
import { type DatabaseHandle, openDatabase } from '../../src/platform/database/database.js';
import { migrateToLatest } from '../../src/platform/database/migrator.js';
import { CSRF_COOKIE, csrfTokenFor } from '../../src/platform/http/csrf.js';
import { PRIMARY_PIN_COOKIE } from '../../src/platform/http/read-routing.js';
import { createLogger } from '../../src/platform/logging.js';
import { formBody } from '../support/authorisation.js';
import { buildUser, organisationId, startSession } from '../support/factories.js';
import { copyDatabase, type ReplicaCluster, startReplicaCluster } from '../support/replica-cluster.js';
import { administer, postgresUrlFor } from '../support/test-database.js';
import { buildTestApp, fixedClock, TEST_SECRET } from '../support/test-app.js';

/**
 * DATABASE_REPLICA_URL against a real hot standby (a primary and a pg_basebackup copy streaming from it, made here).
 * Pausing the standby's replay makes the two servers differ, which shows where each request read from.
 */
describe('reads from a streaming replica', () => {
  let cluster: ReplicaCluster;
  let handle: DatabaseHandle<Database>;
  let app: FastifyInstance;
  let member: { cookie: string; session: string };

  beforeAll(async () => {
    cluster = await startReplicaCluster(async (primaryUrl, scratchFolder) => {
      // The run's migrated, seeded PostgreSQL template when there is one (seconds); otherwise migrate and seed here.
      const template = inject('templates').postgresDatabase;
      if (template) {
        // Dumped from a copy: a connection to the template itself would stop other test files copying it meanwhile.
        const copy = `commons_test_replica_${crypto.randomBytes(6).toString('hex')}`;
        await administer(`create database ${copy} template ${template}`);
        try {
          return await copyDatabase(postgresUrlFor(copy), primaryUrl, path.join(scratchFolder, 'template.dump'));
        } finally {
          await administer(`drop database if exists ${copy} with (force)`);
        }
      }
      const primary = await openDatabase<Database>({ engine: 'postgres', url: primaryUrl }, { poolSize: 1 });
      try {
        await migrateToLatest(primary.db as never, migrationsFolder);
        await seedReferenceData(createServices({ db: primary.db, clock: () => new Date() }), createLogger('warn'));
      } finally {
        await primary.close();
      }
    });
    handle = await openDatabase<Database>({ engine: 'postgres', url: cluster.primaryUrl, replicaUrl: cluster.standbyUrl }, { poolSize: 4 });
    ({ app } = await buildTestApp(handle));
    // Test people are made on the primary (no request context: the primary is the default).
    const user = await buildUser(handle.db, { organisationId: await organisationId(handle.db, 'E07000178'), role: 'member' });
    const session = await startSession(handle.db, user.id, fixedClock());
    member = { cookie: `commons_session=${session}`, session };
    await cluster.waitForStandbyToCatchUp();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await handle?.close();
    await cluster?.destroy();
  });

  async function postChallenge(title: string) {
    const csrf = crypto.randomBytes(32).toString('base64url');
    const response = await app.inject({
      method: 'POST',
      url: '/challenges',
      headers: { cookie: `${CSRF_COOKIE}=${csrf}; ${member.cookie}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody({
        title,
        problem: 'Tenants report mould in many ways and we cannot show each report was inspected in time.',
        serviceArea: 'housing',
        budgetBand: 'unknown',
        visibility: 'public',
        intent: 'post',
        _csrf: csrfTokenFor(TEST_SECRET, csrf, member.session),
      }),
    });
    expect(response.statusCode).toBe(303);
    return { path: String(response.headers.location), setCookies: [response.headers['set-cookie'] ?? []].flat() };
  }

  it('says in /healthz that the replica serves reads', async () => {
    const response = await app.inject('/healthz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', database: 'postgres', replica: { status: 'ok', readsFrom: 'replica' } });
  });

  it('serves anonymous reads from the replica, and people who just changed something from the primary', async () => {
    await cluster.onStandby('select pg_wal_replay_pause()');
    try {
      const before = handle.replica?.readsServed() ?? 0;
      const { path, setCookies } = await postChallenge(`Damp reports ${crypto.randomBytes(3).toString('hex')}`);
      expect(path).toMatch(/^\/challenges\/\d+$/);
      // The write pins this browser to the primary for a while.
      const pin = setCookies.find((cookie) => cookie.startsWith(`${PRIMARY_PIN_COOKIE}=`));
      expect(pin).toMatch(/Max-Age=30/);

      // The same person, signed in or only carrying the pin (as after signing out), sees the change at once.
      expect((await app.inject({ url: path, headers: { cookie: member.cookie } })).statusCode).toBe(200);
      expect((await app.inject({ url: path, headers: { cookie: `${PRIMARY_PIN_COOKIE}=1` } })).statusCode).toBe(200);

      // An anonymous reader is served by the standby, which has not replayed the change yet.
      const anonymous = await app.inject({ url: path });
      expect(anonymous.statusCode).toBe(404);
      expect(handle.replica?.readsServed()).toBeGreaterThan(before);
    } finally {
      await cluster.onStandby('select pg_wal_replay_resume()');
    }
    await cluster.waitForStandbyToCatchUp();
    const { path } = await postChallenge(`Mould reports ${crypto.randomBytes(3).toString('hex')}`);
    await cluster.waitForStandbyToCatchUp();
    const replayed = await app.inject({ url: path });
    expect(replayed.statusCode).toBe(200);
    expect(replayed.headers['set-cookie']).toBeUndefined();
  });

  it('serves reads from the primary while the replica is down, says so in /healthz, and uses it again when back', async () => {
    const { path } = await postChallenge(`Leaking roofs ${crypto.randomBytes(3).toString('hex')}`);
    await cluster.waitForStandbyToCatchUp();
    await cluster.stopStandby();
    try {
      const served = handle.replica?.readsServed() ?? 0;
      const page = await app.inject({ url: path });
      expect(page.statusCode).toBe(200);
      const health = await app.inject('/healthz');
      expect(health.statusCode).toBe(200);
      const body = health.json<{ status: string; database: string; replica: { status: string; readsFrom: string; detail: string } }>();
      expect(body).toMatchObject({ status: 'ok', database: 'postgres', replica: { status: 'down', readsFrom: 'primary' } });
      expect(body.replica.detail).toContain('reads are served by the primary');
      // While it is down, reads do not even try the replica.
      expect((await app.inject({ url: '/challenges' })).statusCode).toBe(200);
      expect(handle.replica?.readsServed()).toBe(served);
    } finally {
      await cluster.startStandby();
    }
    const health = await app.inject('/healthz');
    expect(health.json()).toMatchObject({ replica: { status: 'ok', readsFrom: 'replica' } });
    const served = handle.replica?.readsServed() ?? 0;
    // Another Accept header: the page itself is in the 10-second public response cache since the last visit.
    expect((await app.inject({ url: path, headers: { accept: 'text/html' } })).statusCode).toBe(200);
    expect(handle.replica?.readsServed()).toBeGreaterThan(served);
  });

  it('keeps writes, transactions and work outside requests on the primary', async () => {
    // No request context: a command or background job. The standby would refuse the insert.
    const user = await buildUser(handle.db, { organisationId: null });
    expect(user.id).toBeGreaterThan(0);
    await handle.db.transaction().execute(async (trx) => {
      await trx.selectFrom('users').select('id').where('id', '=', user.id).executeTakeFirstOrThrow();
    });
    const standby = await cluster.onStandby('select pg_is_in_recovery() as standby');
    expect(standby.rows[0]).toEqual({ standby: true });
  });
});
