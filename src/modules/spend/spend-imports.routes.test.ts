import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Services } from '../../app/services.js';
import { CSRF_COOKIE, csrfTokenFor } from '../../platform/http/csrf.js';
import { followRedirect, successBanner } from '../../../test/support/flash.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import {
  auditEventsAfter,
  buildApiToken,
  buildUser,
  lastAuditEventId,
  organisationId,
  startSession,
} from '../../../test/support/factories.js';
import { buildTestApp, TEST_SECRET } from '../../../test/support/test-app.js';
import { waitForSpendJob } from '../../../test/support/spend.js';
import { createSpendImportRunner } from './spend.jobs.js';

const TRAFFORD = fileURLToPath(new URL('../../../test/fixtures/spend/trafford/trafford-2014-09.csv', import.meta.url));

/** A small file in Trafford's layout with one unreadable amount and one unreadable date. */
const SMALL = [
  'Body,Body name,Date,Transaction number,Amount,Supplier Name,Expense Type',
  'x,Trafford,03/09/2014,1,"1,100.00",ADOLESCENT RESOURCE CENTRE,CARE',
  'x,Trafford,04/09/2014,2,lots,ADOLESCENT RESOURCE CENTRE,CARE',
  'x,Trafford,31/02/2014,3,600.00,BETA SERVICES LTD,CLEANING',
  'x,Trafford,05/09/2014,4,(12.00),BETA SERVICES LIMITED,CLEANING',
].join('\r\n');

interface Visitor {
  cookie: string;
  csrf: string;
}

/** A multipart form as a browser sends it: the token first (when there is one), then the files. */
function multipart(csrf: string | null, files: { field: string; name: string; content: Buffer | string }[]) {
  const boundary = `----commons${crypto.randomBytes(8).toString('hex')}`;
  const token = csrf === null ? [] : [Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`)];
  const parts = files.map((file) =>
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      Buffer.from(file.content),
      Buffer.from('\r\n'),
    ]),
  );
  return {
    payload: Buffer.concat([...token, ...parts, Buffer.from(`--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

describeEachEngine('spend uploads through the web', ({ database }) => {
  let app: FastifyInstance;
  let services: Services;
  let filesDirectory: string;
  let member: Visitor;
  let memberId: number;
  let admin: Visitor;
  let adminToken: string;

  const visitor = async (userId: number): Promise<Visitor> => {
    const csrfCookie = crypto.randomBytes(32).toString('base64url');
    const session = await startSession(database().db, userId);
    return {
      cookie: `${CSRF_COOKIE}=${csrfCookie}; commons_session=${session}`,
      csrf: csrfTokenFor(TEST_SECRET, csrfCookie, session),
    };
  };
  const get = (who: Visitor, url: string) => app.inject({ url, headers: { cookie: who.cookie } });
  const postForm = (who: Visitor, url: string, body: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url,
      headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...body, _csrf: who.csrf }).toString(),
    });
  const upload = (
    who: Visitor,
    url: string,
    files: { field: string; name: string; content: Buffer | string }[],
    csrf: string | null = who.csrf,
  ) => {
    const body = multipart(csrf, files);
    return app.inject({
      method: 'POST',
      url,
      headers: { ...body.headers, cookie: who.cookie },
      payload: body.payload,
    });
  };
  const waitForJob = (id: number) => waitForSpendJob(app, adminToken, id);

  beforeAll(async () => {
    filesDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-spend-web-'));
    ({ app, services } = await buildTestApp(database(), undefined, { filesDirectory }));
    const trafford = await organisationId(database().db, 'E08000009');
    memberId = (await buildUser(database().db, { organisationId: trafford, role: 'member' })).id;
    member = await visitor(memberId);
    const institute = await organisationId(database().db, 'E07000178');
    const adminId = (await buildUser(database().db, { organisationId: institute, role: 'platform-admin' })).id;
    admin = await visitor(adminId);
    adminToken = await buildApiToken(database().db, adminId, ['read']);
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(filesDirectory, { recursive: true, force: true });
  });

  it('takes a council member from upload through column check and progress to the result with its rejects', async () => {
    const form = await get(member, '/spend/imports/new');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('action="/spend/organisations/E08000009/imports"');

    const empty = await upload(member, '/spend/organisations/E08000009/imports', [{ field: 'file', name: '', content: '' }]);
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Choose a CSV file to upload');

    const auditStart = await lastAuditEventId(database().db);
    const uploaded = await upload(member, '/spend/organisations/E08000009/imports', [{ field: 'file', name: 'small.csv', content: SMALL }]);
    expect(uploaded.statusCode).toBe(303);
    const id = Number(/\/spend\/imports\/(\d+)$/.exec(String(uploaded.headers.location))?.[1]);
    expect((await auditEventsAfter(database().db, auditStart)).map((event) => event.action)).toEqual(['spend-upload.created']);
    expect(successBanner((await followRedirect(app, uploaded, member.cookie)).body)).toBe('small.csv is uploaded');

    const confirm = await get(member, `/spend/imports/${id}`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Check the columns of small.csv');
    expect(confirm.body).toContain('ADOLESCENT RESOURCE CENTRE');
    expect(confirm.body).toMatch(/<option value="2" selected>Date \(column 3\)<\/option>/);

    const clash = await postForm(member, `/spend/imports/${id}/mapping`, { map_date: '2', map_supplierName: '5', map_amount: '5' });
    expect(clash.statusCode).toBe(400);
    expect(clash.body).toContain('Amount and supplier name cannot both be the same column');
    expect(clash.body).toContain('href="#map_amount"');

    const mapping = { map_date: '2', map_supplierName: '5', map_amount: '4', map_expenseType: '6', map_transactionReference: '3' };
    expect((await postForm(member, `/spend/imports/${id}/mapping`, mapping)).statusCode).toBe(303);
    const confirmed = await postForm(member, `/spend/imports/${id}/confirm`, mapping);
    expect(confirmed.statusCode).toBe(303);
    expect((await postForm(member, `/spend/imports/${id}/confirm`, mapping)).statusCode).toBe(409);

    const job = await waitForJob(id);
    expect(job).toMatchObject({ status: 'done', outcomeStatus: 'imported', rowsProcessed: 4, percent: 100 });
    expect((await auditEventsAfter(database().db, auditStart)).map((event) => [event.action, event.actor_user_id])).toEqual([
      ['spend-upload.created', memberId],
      ['spend-mapping.saved', memberId],
      ['spend-import.queued', memberId],
      ['spend-file.imported', memberId],
    ]);

    const result = await get(member, `/spend/imports/${id}`);
    expect(result.statusCode).toBe(200);
    expect(result.headers.refresh).toBeUndefined();
    expect(result.body).toContain('small.csv: import finished');
    expect(result.body).toContain('£1,088.00');
    expect(result.body).toContain('Amount “lots” is not a sum of money'.slice(0, 6));
    expect(result.body).toMatch(/<td class="govuk-table__cell govuk-table__cell--numeric">3<\/td>/);
    expect(result.body).toContain(`/api/v1/spend/files/${String(job.fileId)}/rejects?format=csv`);

    const stranger = await visitor(
      (await buildUser(database().db, { organisationId: await organisationId(database().db, 'E10000008') })).id,
    );
    expect((await get(stranger, `/spend/imports/${id}`)).statusCode).toBe(404); // another organisation's import is as unknown as one that does not exist
    expect(
      (await upload(stranger, '/spend/organisations/E08000009/imports', [{ field: 'file', name: 'x.csv', content: SMALL }])).statusCode,
    ).toBe(403);
    expect((await app.inject(`/api/v1/spend/jobs/${id}`)).statusCode).toBe(401);
  });

  it('asks about another named body only for a file that names one, and imports it once the member confirms', async () => {
    const uploadAndOpen = async (name: string, content: string) => {
      const uploaded = await upload(member, '/spend/organisations/E08000009/imports', [{ field: 'file', name, content }]);
      expect(uploaded.statusCode).toBe(303);
      const id = Number(/\/spend\/imports\/(\d+)$/.exec(String(uploaded.headers.location))?.[1]);
      return { id, page: await get(member, `/spend/imports/${id}`) };
    };
    const own = await uploadAndOpen(
      'own.csv',
      'Body Name,Payment Date,Supplier Name,Amount\nTrafford Council,03/04/2024,ACME LTD,700.00\n',
    );
    expect(own.page.body).toContain('Check the columns of own.csv');
    expect(own.page.body).not.toContain('organisationMismatch');

    const devon = await uploadAndOpen(
      'devon.csv',
      'Body Name,Payment Date,Supplier Name,Amount\nDevon County Council,03/04/2024,ACME LTD,1200.50\nDevon County Council,04/04/2024,BETA PLC,800.00\n',
    );
    expect(devon.page.body).toContain('This file names another body');
    expect(devon.page.body).toContain('It names its body as “Devon County Council”, which is Devon (E10000008), not Trafford');
    expect(devon.page.body).toContain('name="organisationMismatch"');

    const mapping = { map_organisationName: '0', map_date: '1', map_supplierName: '2', map_amount: '3' };
    expect((await postForm(member, `/spend/imports/${devon.id}/confirm`, { ...mapping, organisationMismatch: 'accept' })).statusCode).toBe(
      303,
    );
    expect(await waitForJob(devon.id)).toMatchObject({ status: 'done', outcomeStatus: 'imported', rowsProcessed: 2 });
  });

  it('refuses an upload without its form token first in the body, before storing a byte of the file', async () => {
    const listFiles = () => fs.readdirSync(filesDirectory, { recursive: true }).sort();
    const before = listFiles();
    const file = [{ field: 'file', name: 'small.csv', content: SMALL }];
    const url = '/spend/organisations/E08000009/imports';
    expect((await upload(member, url, file, null)).statusCode).toBe(403);
    // A token in the address is not read: tokens never go in URLs.
    expect((await upload(member, `${url}?_csrf=${encodeURIComponent(member.csrf)}`, file, null)).statusCode).toBe(403);
    expect((await upload(member, url, file, admin.csrf)).statusCode).toBe(403);
    expect(
      (await upload(admin, '/spend/bulk-imports', [{ field: 'manifest', name: 'm.csv', content: 'file,organisation\n' }], null)).statusCode,
    ).toBe(403);
    expect(listFiles()).toEqual(before);
    // The same form with its token first is taken.
    expect((await upload(member, url, [{ field: 'file', name: '', content: '' }])).statusCode).toBe(400);
    expect(
      (await upload(admin, '/spend/bulk-imports', [{ field: 'manifest', name: 'm.csv', content: 'file,organisation\n' }])).statusCode,
    ).toBe(400);
  });

  it('shows someone who may not upload for a council why, and how to get access, instead of the form', async () => {
    const stranger = await visitor(
      (await buildUser(database().db, { organisationId: await organisationId(database().db, 'E10000008') })).id,
    );
    const other = await get(stranger, '/spend/imports/new?organisation=E08000009');
    expect(other.statusCode).toBe(403);
    expect(other.body).not.toContain('type="file"');
    expect(other.body).toContain('How to get access');
    const newcomer = await visitor((await buildUser(database().db, { organisationId: null })).id);
    const none = await get(newcomer, '/spend/imports/new');
    expect(none.statusCode).toBe(403);
    expect(none.body).toContain('href="/account/join"');
  });

  it('shows progress that refreshes itself while a job waits, and lets the reader stop it', async () => {
    const stored = await services.spendService.storeSpendUpload(Readable.from([Buffer.from(SMALL.replace('lots', '7.00'))]));
    const id = await services.spendRepository.insertImportJob({
      kind: 'file',
      parent_id: null,
      organisation_id: await organisationId(database().db, 'E08000009'),
      organisation_code: 'E08000009',
      organisation_name: 'Trafford',
      requested_by: memberId,
      actor: null,
      status: 'awaiting-confirmation',
      file_name: 'waiting.csv',
      stored_path: stored.storedPath,
      sha256: stored.sha256,
      total_bytes: stored.byteSize,
      layout: null,
      mapping: null,
      period_from: null,
      period_to: null,
      created_at: new Date(),
    });
    // Queued by hand while the app's runner is told nothing: the page must show it waiting.
    await database()
      .db.updateTable('spend_import_jobs')
      .set({ status: 'running', heartbeat_at: new Date() })
      .where('id', '=', id)
      .execute();
    const page = await get(member, `/spend/imports/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers.refresh).toBe('2');
    expect(page.body).toContain('Importing waiting.csv');
    expect(page.body).toContain('<progress id="import-progress"');
    const still = await get(member, `/spend/imports/${id}?refresh=off`);
    expect(still.headers.refresh).toBeUndefined();
    expect(still.body).toContain('Check progress again');
  });

  it('runs again a job whose runner died, without importing its file twice', async () => {
    const organisation = await organisationId(database().db, 'E08000009');
    const stored = await services.spendService.storeSpendUpload(fs.createReadStream(TRAFFORD));
    const newJob = async () =>
      services.spendRepository.insertImportJob({
        kind: 'file',
        parent_id: null,
        organisation_id: organisation,
        organisation_code: 'E08000009',
        organisation_name: 'Trafford',
        requested_by: memberId,
        actor: null,
        status: 'queued',
        file_name: 'trafford-2014-09.csv',
        stored_path: stored.storedPath,
        sha256: stored.sha256,
        total_bytes: stored.byteSize,
        layout: null,
        mapping: null,
        period_from: null,
        period_to: null,
        created_at: new Date(),
      });
    const first = await newJob();
    // As a killed process leaves it: running, heartbeat long stopped, nothing written.
    await database()
      .db.updateTable('spend_import_jobs')
      .set({ status: 'running', attempts: 1, heartbeat_at: new Date(Date.now() - 3_600_000) })
      .where('id', '=', first)
      .execute();
    const runner = createSpendImportRunner({
      spendRepository: services.spendRepository,
      spendService: services.spendService,
      clock: () => new Date(),
      logger: { info: () => undefined, error: () => undefined },
    });
    await runner.drain();
    const done = await services.spendRepository.findImportJob(first);
    expect(done).toMatchObject({ status: 'done', attempts: 2, rows_processed: 9670 });
    expect(await services.spendRepository.sumFileTransactions(done?.file_id ?? 0)).toEqual({ transactions: 9670, total_pence: 2627704622 });

    // Crashed after the commit but before the job was marked done: the re-run recognises the file.
    const again = await newJob();
    await runner.drain();
    expect(await services.spendRepository.findImportJob(again)).toMatchObject({ status: 'done', file_id: done?.file_id });
    expect((await services.spendImportsService.getImport({ ...adminActor(), userId: memberId }, again)).job.outcomeStatus).toBe(
      'duplicate',
    );
    const files = await database().db.selectFrom('spend_files').select('id').where('sha256', '=', stored.sha256).execute();
    expect(files).toHaveLength(1);
  });

  it('imports many files from a manifest with one progress bar, refusing a manifest with a bad row whole', async () => {
    const bad = await upload(admin, '/spend/bulk-imports', [
      { field: 'manifest', name: 'manifest.csv', content: 'file,organisation,period\nnope.csv,E08000009,\nsmall-b.csv,E99999999,\n' },
      { field: 'files', name: 'small-b.csv', content: SMALL },
    ]);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Manifest row 2: no file called nope.csv was uploaded with the manifest or is in the import folder');
    expect(bad.body).toContain('Manifest row 3');

    fs.mkdirSync(path.join(filesDirectory, 'spend-inbox', 'leeds'), { recursive: true });
    fs.writeFileSync(
      path.join(filesDirectory, 'spend-inbox', 'leeds', 'inbox.csv'),
      SMALL.replaceAll('Trafford', 'Leeds').replace('lots', '9.00'),
    );
    const escape = await upload(admin, '/spend/bulk-imports', [
      { field: 'manifest', name: 'manifest.csv', content: 'file,organisation\n../../secret.csv,E08000035\n' },
    ]);
    expect(escape.statusCode).toBe(400);

    const good = await upload(admin, '/spend/bulk-imports', [
      {
        field: 'manifest',
        name: 'manifest.csv',
        content: 'file,organisation,period\nsmall-oxford.csv,E07000178,2014-09\nleeds/inbox.csv,Leeds,\n',
      },
      { field: 'files', name: 'small-oxford.csv', content: SMALL.replaceAll('Trafford', 'Oxford').replace('lots', '8.00') },
    ]);
    expect(good.statusCode).toBe(303);
    const id = Number(/\/spend\/imports\/(\d+)$/.exec(String(good.headers.location))?.[1]);
    const job = await waitForJob(id);
    expect(job).toMatchObject({ kind: 'manifest', status: 'done', percent: 100 });
    expect(
      (job.files as { status: string; outcomeStatus: string; organisation: { code: string } }[]).map((file) => [
        file.organisation.code,
        file.status,
        file.outcomeStatus,
      ]),
    ).toEqual([
      ['E07000178', 'done', 'imported'],
      ['E08000035', 'done', 'imported'],
    ]);
    const page = await get(admin, `/spend/imports/${id}`);
    expect(page.body).toContain('Progress over all 2 files');
    expect(page.headers.refresh).toBeUndefined();
    expect((await get(member, '/spend/bulk-imports/new')).statusCode).toBe(403);
  });

  it('lets a platform admin review an uncertain supplier match, and no one else', async () => {
    for (const url of ['/manage/spend/suppliers', '/manage/spend/suppliers?q=beta', '/manage/spend/supplier-matches']) {
      expect((await get(admin, url)).statusCode, url).toBe(200);
      expect((await get(member, url)).statusCode, url).toBe(403);
    }
    const list = await get(admin, '/manage/spend/suppliers?q=adolescent');
    const supplierId = /\/manage\/spend\/suppliers\/(\d+)/.exec(list.body)?.[1];
    const supplier = await get(admin, `/manage/spend/suppliers/${supplierId ?? 0}`);
    expect(supplier.statusCode).toBe(200);
    expect(supplier.body).toContain('ADOLESCENT RESOURCE CENTRE');
    const noName = await postForm(admin, `/manage/spend/suppliers/${supplierId ?? 0}/split`, { name: '' });
    expect(noName.statusCode).toBe(400);
    expect(noName.body).toContain('Enter the name of the new supplier');
  });
});

/** The fields of an Actor the import pages read. */
function adminActor() {
  return {
    userId: 0,
    email: 'someone@example.test',
    name: null,
    organisationId: null,
    organisationName: null,
    role: 'member' as const,
    via: 'session' as const,
    credentialId: 0,
    scopes: [],
  };
}
