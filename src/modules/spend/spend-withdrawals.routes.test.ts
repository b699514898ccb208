import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Services } from '../../app/services.js';
import { CSRF_COOKIE, csrfTokenFor } from '../../platform/http/csrf.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { buildApiToken, buildUser, organisationId, startSession } from '../../../test/support/factories.js';
import { buildTestApp, TEST_SECRET } from '../../../test/support/test-app.js';

describeEachEngine('withdrawing a spend file through the web and the API', ({ database }) => {
  let app: FastifyInstance;
  let services: Services;
  let filesDirectory: string;
  let salford: number;
  const visitor = async (userId: number) => {
    const csrfCookie = crypto.randomBytes(32).toString('base64url');
    const session = await startSession(database().db, userId);
    return { cookie: `${CSRF_COOKIE}=${csrfCookie}; commons_session=${session}`, csrf: csrfTokenFor(TEST_SECRET, csrfCookie, session) };
  };
  const importFile = async (name: string) => {
    const file = path.join(filesDirectory, name);
    fs.writeFileSync(
      file,
      'Payment Date,Supplier Name,Amount\n03/04/2024,ACME SUPPLIES LTD,1000.00\n04/04/2024,NORTHERN BUSES PLC,250.00\n',
    );
    const outcome = await services.spendService.importSpendFile({ organisationId: salford, path: file, fileName: name });
    return outcome.fileId ?? 0;
  };

  beforeAll(async () => {
    filesDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-spend-withdraw-web-'));
    ({ app, services } = await buildTestApp(database(), undefined, { filesDirectory }));
    salford = await organisationId(database().db, 'E08000006');
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(filesDirectory, { recursive: true, force: true });
  });

  it('asks an organisation admin to confirm, withdraws, and says so in a success banner', async () => {
    const fileId = await importFile('april.csv');
    const admin = await visitor((await buildUser(database().db, { organisationId: salford, role: 'organisation-admin' })).id);
    const page = await app.inject({ url: `/spend/files/${fileId}/withdraw`, headers: { cookie: admin.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Withdraw april.csv');
    expect(page.body).toContain('£1,250.00');

    const done = await app.inject({
      method: 'POST',
      url: `/spend/files/${fileId}/withdraw`,
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ reason: 'another council’s file', _csrf: admin.csrf }).toString(),
    });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('govuk-notification-banner--success');
    expect(done.body).toContain('april.csv was withdrawn');
    expect((await services.spendService.getFile(fileId)).status).toBe('withdrawn');
    expect(await services.spendService.getOrganisationSummary('E08000006')).toMatchObject({ transactions: 0, totalPence: 0 });
  });

  it('shows members no withdrawal form, and takes withdrawals through the API with a write token', async () => {
    const fileId = await importFile('may.csv');
    const memberId = (await buildUser(database().db, { organisationId: salford, role: 'member' })).id;
    const member = await visitor(memberId);
    expect((await app.inject({ url: `/spend/files/${fileId}/withdraw`, headers: { cookie: member.cookie } })).statusCode).toBe(403);

    const adminId = (await buildUser(database().db, { organisationId: salford, role: 'organisation-admin' })).id;
    const readOnly = await buildApiToken(database().db, adminId, ['read']);
    const writer = await buildApiToken(database().db, adminId, ['read', 'write']);
    const url = `/api/v1/spend/files/${fileId}/withdraw`;
    expect((await app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${readOnly}` }, payload: {} })).statusCode).toBe(403);
    const response = await app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${writer}` },
      payload: { reason: 'errors' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id: fileId, fileName: 'may.csv', status: 'withdrawn', rowsImported: 2, totalPence: 125000 });
    expect((await app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${writer}` }, payload: {} })).statusCode).toBe(409);
  });
});
