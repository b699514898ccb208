import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Services } from '../../app/services.js';
import { CSRF_COOKIE, csrfTokenFor } from '../../platform/http/csrf.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import {
  auditEventsAfter,
  buildApiToken,
  buildUser,
  lastAuditEventId,
  organisationId,
  startSession,
} from '../../../test/support/factories.js';
import { followRedirect, successBanner } from '../../../test/support/flash.js';
import { buildTestApp, TEST_SECRET } from '../../../test/support/test-app.js';
import { waitForSpendJob } from '../../../test/support/spend.js';

const FIRST = 'Payment Date,Supplier Name,Amount\n03/04/2024,ACME SUPPLIES LTD,1000.00\n04/04/2024,NORTHERN BUSES PLC,250.00\n';
const CORRECTED = 'Payment Date,Supplier Name,Amount\n03/04/2024,ACME SUPPLIES LTD,900.00\n';

describeEachEngine('a council’s spending files: the list, one file, and replacing it with a corrected file', ({ database }) => {
  let app: FastifyInstance;
  let services: Services;
  let filesDirectory: string;
  let wigan: number;
  let adminToken: string;
  const visitor = async (userId: number) => {
    const csrfCookie = crypto.randomBytes(32).toString('base64url');
    const session = await startSession(database().db, userId);
    return { cookie: `${CSRF_COOKIE}=${csrfCookie}; commons_session=${session}`, csrf: csrfTokenFor(TEST_SECRET, csrfCookie, session) };
  };
  const importFile = async (name: string, content: string) => {
    const file = path.join(filesDirectory, name);
    fs.writeFileSync(file, content);
    const outcome = await services.spendService.importSpendFile({ organisationId: wigan, path: file, fileName: name });
    return outcome.fileId ?? 0;
  };
  const uploadCorrection = (who: { cookie: string; csrf: string }, fileId: number, name: string, content: string) => {
    const boundary = `----commons${crypto.randomBytes(8).toString('hex')}`;
    const payload = Buffer.concat([
      // The form's token comes first, as the page's form sends it.
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${who.csrf}\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`),
      Buffer.from(content),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return app.inject({
      method: 'POST',
      url: `/spend/files/${fileId}/replace`,
      headers: { cookie: who.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
  };
  const waitForJob = (id: number) => waitForSpendJob(app, adminToken, id);

  beforeAll(async () => {
    filesDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-spend-files-web-'));
    ({ app, services } = await buildTestApp(database(), undefined, { filesDirectory }));
    wigan = await organisationId(database().db, 'E08000010');
    const institute = await organisationId(database().db, 'E07000178');
    adminToken = await buildApiToken(
      database().db,
      (await buildUser(database().db, { organisationId: institute, role: 'platform-admin' })).id,
      ['read'],
    );
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(filesDirectory, { recursive: true, force: true });
  });

  it('lists a council’s files newest first, filters them, downloads them, and says when there are none', async () => {
    const empty = await app.inject('/spend/organisations/E08000010/files');
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('No spending files have been imported for Wigan yet.');

    const first = await importFile('wigan-april.csv', FIRST);
    const second = await importFile('wigan-may.csv', FIRST.replace('1000.00', '1500.00'));
    await services.spendWithdrawalsService.withdrawSpendFile({ fileId: first, reason: 'published twice' });

    const list = await app.inject('/spend/organisations/E08000010/files');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Showing 1 to 2 of <strong>2</strong> files');
    expect(list.body.indexOf('wigan-may.csv')).toBeLessThan(list.body.indexOf('wigan-april.csv'));
    expect(list.body).toContain(`href="/spend/files/${second}"`);
    expect(list.body).toContain('£1,750.00');
    expect(list.body).toContain('Withdrawn');

    const counting = await app.inject('/spend/organisations/E08000010/files?status=imported');
    expect(counting.body).toContain('wigan-may.csv');
    expect(counting.body).not.toContain('wigan-april.csv');
    const refused = await app.inject('/spend/organisations/E08000010/files?status=rejected');
    expect(refused.body).toContain('Wigan has no refused files.');
    const pastTheEnd = await app.inject('/spend/organisations/E08000010/files?page=3&pageSize=1');
    expect(pastTheEnd.body).toContain('There is nothing on page 3');

    const csv = await app.inject('/api/v1/spend/organisations/E08000010/files?format=csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,file_name,status,/);
    expect(lines.slice(1).map((line) => line.split(',').slice(1, 3))).toEqual([
      ['wigan-may.csv', 'imported'],
      ['wigan-april.csv', 'withdrawn'],
    ]);
    const json = (await app.inject('/api/v1/spend/organisations/E08000010/files')).json<{ total: number; items: { id: number }[] }>();
    expect(json.total).toBe(2);
    expect(json.items.map((item) => item.id)).toEqual([second, first]);
    expect((await app.inject('/spend/organisations/NOT-A-COUNCIL/files')).statusCode).toBe(404);
  });

  it('shows a file’s figures to anyone, and the replace and withdraw actions only to its council’s admins', async () => {
    const fileId = await importFile('wigan-june.csv', FIRST.replace('250.00', '275.00'));
    const anonymous = await app.inject(`/spend/files/${fileId}`);
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.body).toContain('wigan-june.csv');
    expect(anonymous.body).toContain('£1,275.00');
    expect(anonymous.body).toContain('3 April 2024 to 4 April 2024');
    expect(anonymous.body).not.toContain('Replace with a corrected file');

    const member = await visitor((await buildUser(database().db, { organisationId: wigan, role: 'member' })).id);
    expect((await app.inject({ url: `/spend/files/${fileId}`, headers: { cookie: member.cookie } })).body).not.toContain(
      'Withdraw this file',
    );
    const refusal = await app.inject({ url: `/spend/files/${fileId}/replace`, headers: { cookie: member.cookie } });
    expect(refusal.statusCode).toBe(403);
    expect(refusal.body).not.toContain('type="file"');
    expect((await uploadCorrection(member, fileId, 'x.csv', CORRECTED)).statusCode).toBe(403);

    const admin = await visitor((await buildUser(database().db, { organisationId: wigan, role: 'organisation-admin' })).id);
    const page = await app.inject({ url: `/spend/files/${fileId}`, headers: { cookie: admin.cookie } });
    expect(page.body).toContain(`href="/spend/files/${fileId}/replace"`);
    expect(page.body).toContain(`href="/spend/files/${fileId}/withdraw"`);
    expect((await app.inject('/spend/files/99999999')).statusCode).toBe(404);
  });

  it('replaces a file once its correction is imported, leaving the figures equal to the correction alone', async () => {
    const oldId = await importFile('wigan-july.csv', FIRST.replace('2024', '2023').replace('2024', '2023'));
    const before = await services.spendService.getOrganisationSummary('E08000010');
    const adminId = (await buildUser(database().db, { organisationId: wigan, role: 'organisation-admin' })).id;
    const admin = await visitor(adminId);

    const form = await app.inject({ url: `/spend/files/${oldId}/replace`, headers: { cookie: admin.cookie } });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Replace wigan-july.csv');
    const missing = await uploadCorrection(admin, oldId, '', '');
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Choose the corrected file to upload');

    const auditStart = await lastAuditEventId(database().db);
    const uploaded = await uploadCorrection(admin, oldId, 'wigan-july-corrected.csv', CORRECTED.replace('2024', '2023'));
    expect(uploaded.statusCode).toBe(303);
    const jobId = Number(/\/spend\/imports\/(\d+)$/.exec(String(uploaded.headers.location))?.[1]);
    expect(successBanner((await followRedirect(app, uploaded, admin.cookie)).body)).toBe('wigan-july-corrected.csv is uploaded');
    const confirm = await app.inject({ url: `/spend/imports/${jobId}`, headers: { cookie: admin.cookie } });
    expect(confirm.body).toContain('This is a corrected version of');
    expect(confirm.body).toContain(`href="/spend/files/${oldId}"`);
    expect((await services.spendService.getFile(oldId)).status).toBe('imported'); // nothing changes before the import

    const confirmed = await app.inject({
      method: 'POST',
      url: `/spend/imports/${jobId}/confirm`,
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ map_date: '0', map_supplierName: '1', map_amount: '2', _csrf: admin.csrf }).toString(),
    });
    expect(confirmed.statusCode).toBe(303);
    const job = await waitForJob(jobId);
    expect(job).toMatchObject({ status: 'done', outcomeStatus: 'imported' });
    const newId = Number(job.fileId);

    const old = await services.spendService.getFile(oldId);
    expect(old).toMatchObject({ status: 'withdrawn', replacedByFileId: newId });
    const after = await services.spendService.getOrganisationSummary('E08000010');
    expect(after.totalPence - before.totalPence).toBe(90_000 - 125_000);
    expect(after.transactions - before.transactions).toBe(1 - 2);
    expect((await auditEventsAfter(database().db, auditStart)).map((event) => event.action)).toEqual([
      'spend-upload.created',
      'spend-import.queued',
      'spend-file.imported',
      'spend-file.replaced',
    ]);

    const result = await app.inject({ url: `/spend/imports/${jobId}`, headers: { cookie: admin.cookie } });
    expect(result.body).toContain('It replaced');
    const oldPage = await app.inject(`/spend/files/${oldId}`);
    expect(oldPage.body).toContain('replaced by');
    expect(oldPage.body).toContain(`href="/spend/files/${newId}"`);
    expect(oldPage.body).not.toContain('Replace with a corrected file');
    expect((await app.inject({ url: `/spend/files/${oldId}/replace`, headers: { cookie: admin.cookie } })).statusCode).toBe(409);
  });
});
