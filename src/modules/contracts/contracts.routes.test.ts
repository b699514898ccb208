import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CSRF_COOKIE, csrfTokenFor } from '../../platform/http/csrf.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { buildApiToken, buildUser, countAuditEvents, organisationId, startSession } from '../../../test/support/factories.js';
import { buildTestApp, TEST_SECRET } from '../../../test/support/test-app.js';

const fixtures = fileURLToPath(new URL('../../../test/fixtures/ocds/', import.meta.url));
const KENT = readFileSync(`${fixtures}cf-2014-kent-release-package.json`, 'utf8');
const DERBY = readFileSync(`${fixtures}cf-derbycity-release-package.json`, 'utf8');
const BARE_RELEASE = readFileSync(`${fixtures}bare-release.json`, 'utf8');
const KENT_OCID = 'ocds-b5fd17-2d13960d-adc8-11e6-9901-0019b9f3037b';

interface Visitor {
  cookie: string;
  csrf: string;
}

/** A multipart body with one file in the field "file", after the form token when one is given (as browsers send it). */
function multipart(name: string, content: string, csrf: string | null = null) {
  const boundary = `----commons${crypto.randomBytes(8).toString('hex')}`;
  return {
    payload: Buffer.concat([
      Buffer.from(csrf === null ? '' : `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/json\r\n\r\n`,
      ),
      Buffer.from(content),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** A release package whose last release repeats the first one's ocid and id. */
function packageWithDuplicate(): string {
  const release = {
    ocid: 'ocds-abc123-dup',
    id: 'r1',
    date: '2024-01-01T00:00:00Z',
    tag: ['tender'],
    initiationType: 'tender',
    tender: { id: 't', title: 'Twice' },
  };
  const other = { ...release, ocid: 'ocds-abc123-other', tender: { id: 't', title: 'Would be new' } };
  return JSON.stringify({
    uri: 'https://example.gov.uk/p',
    version: '1.1',
    publisher: { name: 'P' },
    publishedDate: '2024-01-01T00:00:00Z',
    releases: [release, other, release],
  });
}

describeEachEngine('contracts pages and API', ({ database }) => {
  let app: FastifyInstance;
  let admin: Visitor;
  let member: Visitor;
  let adminWriteToken: string;
  let adminReadToken: string;
  let memberWriteToken: string;
  let kentContractId: number;

  const visitor = async (userId: number): Promise<Visitor> => {
    const csrfCookie = crypto.randomBytes(32).toString('base64url');
    const session = await startSession(database().db, userId);
    return { cookie: `${CSRF_COOKIE}=${csrfCookie}; commons_session=${session}`, csrf: csrfTokenFor(TEST_SECRET, csrfCookie, session) };
  };
  const get = (url: string, who?: Visitor) => app.inject({ url, headers: who ? { cookie: who.cookie } : {} });
  const upload = (who: Visitor, name: string, content: string, csrf: string | null = who.csrf, url = '/contracts/import') => {
    const body = multipart(name, content, csrf);
    return app.inject({
      method: 'POST',
      url,
      headers: { ...body.headers, cookie: who.cookie },
      payload: body.payload,
    });
  };
  const apiUpload = (token: string | null, name: string, content: string) => {
    const body = multipart(name, content);
    return app.inject({
      method: 'POST',
      url: '/api/v1/contracts/imports',
      headers: { ...body.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      payload: body.payload,
    });
  };
  const countContracts = async () =>
    (await sql<{ n: number }>`select count(*)::int8 as n from contracts`.execute(database().db)).rows[0]?.n ?? 0;

  beforeAll(async () => {
    ({ app } = await buildTestApp(database()));
    const db = database().db;
    const adminId = (await buildUser(db, { organisationId: await organisationId(db, 'E07000178'), role: 'platform-admin' })).id;
    const memberId = (await buildUser(db, { organisationId: await organisationId(db, 'E10000016'), role: 'organisation-admin' })).id;
    [admin, member] = [await visitor(adminId), await visitor(memberId)];
    adminWriteToken = await buildApiToken(db, adminId, ['read', 'write']);
    adminReadToken = await buildApiToken(db, adminId, ['read']);
    memberWriteToken = await buildApiToken(db, memberId, ['read', 'write']);
  });
  afterAll(async () => {
    await app.close();
  });

  it('shows the import form only to platform admins; others are refused, and the public is sent to sign in', async () => {
    expect((await get('/contracts/import', admin)).body).toContain('action="/contracts/import"');
    expect((await get('/contracts', admin)).body).toContain('href="/contracts/import"');
    expect((await get('/contracts', member)).body).not.toContain('href="/contracts/import"');
    const refused = await get('/contracts/import', member);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).not.toContain('name="file"');
    expect([302, 303]).toContain((await get('/contracts/import')).statusCode);
  });

  it('imports a real Contracts Finder package through the web, ending on a confirmation', async () => {
    const [contracts, audits] = [await countContracts(), await countAuditEvents(database().db)];
    const response = await upload(admin, 'kent.json', KENT);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Contracts imported');
    expect(response.body).toContain('1 contracts from kent.json');
    // Its four empty strings are warnings, listed with their paths; the file is still imported.
    expect(response.body).toContain('$.releases[0].buyer.contactPoint.telephone');
    expect(await countContracts()).toBe(contracts + 1);
    expect(await countAuditEvents(database().db)).toBe(audits + 1);
    const listed = await app.inject({ url: `/api/v1/contracts?q=${KENT_OCID}` });
    kentContractId = listed.json<{ items: { id: number }[] }>().items[0]?.id ?? 0;
    expect(kentContractId).toBeGreaterThan(0);
  });

  it('refuses a file with a duplicate release through the web, listing the paths, and writes nothing', async () => {
    const [contracts, audits] = [await countContracts(), await countAuditEvents(database().db)];
    const response = await upload(admin, 'duplicate.json', packageWithDuplicate());
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('The file was not imported');
    expect(response.body).toContain('has the same ocid and id as an earlier release');
    expect(response.body).toContain('$.releases[2]');
    expect(await countContracts()).toBe(contracts);
    expect(await countAuditEvents(database().db)).toBe(audits);
  });

  it('refuses an upload without a file, a forged form and a member, writing nothing', async () => {
    const contracts = await countContracts();
    const empty = await upload(admin, '', '');
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Choose an OCDS file to upload');
    expect((await upload(admin, 'derby.json', DERBY, 'forged')).statusCode).toBe(403);
    expect((await upload(admin, 'derby.json', DERBY, null)).statusCode).toBe(403);
    expect((await upload(admin, 'derby.json', DERBY, null, `/contracts/import?_csrf=${encodeURIComponent(admin.csrf)}`)).statusCode).toBe(
      403,
    );
    expect((await upload(member, 'derby.json', DERBY)).statusCode).toBe(403);
    expect(await countContracts()).toBe(contracts);
  });

  it('imports through the API for a platform admin’s write token, and refuses everyone else', async () => {
    expect((await apiUpload(null, 'derby.json', DERBY)).statusCode).toBe(401);
    expect((await apiUpload(adminReadToken, 'derby.json', DERBY)).statusCode).toBe(403);
    expect((await apiUpload(memberWriteToken, 'derby.json', DERBY)).statusCode).toBe(403);

    const created = await apiUpload(adminWriteToken, 'derby.json', DERBY);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ status: 'imported', shapes: ['release-package'], releases: 1, contracts: 1, created: 1 });

    const contracts = await countContracts();
    const refused = await apiUpload(adminWriteToken, 'dup.json', packageWithDuplicate());
    expect(refused.statusCode).toBe(422);
    expect(refused.json<{ issues: { errors: { message: string; paths: string[] }[] } }>().issues.errors).toEqual([
      expect.objectContaining({
        message: 'releases item has the same ocid and id as an earlier release (each release must have its own)',
        paths: ['$.releases[2]'],
      }),
    ]);
    expect(await countContracts()).toBe(contracts);
  });

  it('lists contracts as a page, as JSON with pagination, and as CSV, with filters', async () => {
    await apiUpload(adminWriteToken, 'bare-release.json', BARE_RELEASE);
    const page = await get('/contracts?q=Strategic');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('SS1464 - Strategic Transformation Partner');
    expect(page.body).not.toContain('Scheduling software award');

    const json = await app.inject({ url: '/api/v1/contracts?organisation=E10000016&pageSize=1' });
    expect(json.statusCode).toBe(200);
    expect(json.json()).toMatchObject({
      total: 1,
      page: 1,
      pageSize: 1,
      items: [{ ocid: KENT_OCID, organisation: { gssCode: 'E10000016' } }],
    });

    const csv = await app.inject({ url: '/api/v1/contracts?format=csv&q=ocds-test-0001' });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const [header, ...rows] = csv.body.trim().split(/\r?\n/);
    expect(header).toMatch(/^id,ocid,title,buyer,/);
    expect(rows).toHaveLength(2);

    const none = await get('/contracts?q=no-such-contract-anywhere');
    expect(none.body).toContain('No contracts match.');
  });

  it('shows one contract as a page and as JSON, and answers 404 for one that does not exist', async () => {
    const page = await get(`/contracts/${kentContractId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(KENT_OCID);
    const json = await app.inject({ url: `/api/v1/contracts/${kentContractId}` });
    expect(json.json()).toMatchObject({
      id: kentContractId,
      ocid: KENT_OCID,
      minimumValuePence: 57_822_900,
      description: expect.any(String) as string,
    });
    expect((await get('/contracts/999999999')).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/v1/contracts/999999999' })).statusCode).toBe(404);
  });

  it('shows the expiry timeline and the contracts ending together', async () => {
    const timeline = await get('/contracts/expiring');
    expect(timeline.statusCode).toBe(200);
    // The bare release's contract ends 2027-03-31, within 18 months of the test date.
    expect(timeline.body).toContain('Scheduling software award');
    const together = await app.inject({ url: '/api/v1/contracts/ending-together' });
    expect(together.statusCode).toBe(200);
    expect(together.json<{ total: number; items: unknown[] }>().total).toBe(together.json<{ items: unknown[] }>().items.length);
  });
});
