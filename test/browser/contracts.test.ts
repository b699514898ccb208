import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium, listenOnLocalhost } from '../support/browser.js';
import { describeEachEngine } from '../support/engines.js';
import { buildUser, organisationId, startSession } from '../support/factories.js';
import { buildTestApp } from '../support/test-app.js';
import { ContractImportPage } from './pages/contracts.page.js';

const KENT = fileURLToPath(new URL('../fixtures/ocds/cf-2014-kent-release-package.json', import.meta.url));

describeEachEngine('journey: a platform admin imports contracts from an OCDS file', ({ database }) => {
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  let folder: string;

  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-ocds-browser-'));
    ({ app } = await buildTestApp(database()));
    baseUrl = await listenOnLocalhost(app);
    const admin = await buildUser(database().db, {
      organisationId: await organisationId(database().db, 'E07000178'),
      role: 'platform-admin',
    });
    browser = await launchChromium();
    const context = await browser.newContext();
    await context.addCookies([{ name: 'commons_session', value: await startSession(database().db, admin.id), url: baseUrl }]);
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('sees a broken file refused with each problem and its path, then imports the corrected one', async () => {
    const form = await new ContractImportPage(page).open(baseUrl);
    expect(await form.heading()).toBe('Import contracts (OCDS)');

    // Kent's real package with its release's date removed and its release repeated.
    const kent = JSON.parse(fs.readFileSync(KENT, 'utf8')) as { releases: Record<string, unknown>[] };
    const release = kent.releases[0] ?? {};
    const broken = path.join(folder, 'kent-broken.json');
    fs.writeFileSync(broken, JSON.stringify({ ...kent, releases: [release, { ...release, date: undefined }] }));
    await form.upload(broken);
    expect(await form.heading()).toBe('The file was not imported');
    expect(await form.problems('Errors')).toEqual([
      ['date is missing but required', '$.releases[1].date'],
      ['releases item has the same ocid and id as an earlier release (each release must have its own)', '$.releases[1]'],
    ]);

    await form.upload(KENT);
    expect(await form.heading()).toBe('Contracts imported');
    expect((await form.problems('Warnings')).map(([message]) => message)).toContain(
      'telephone is empty: leave out a field that has no value',
    );
    expect(await form.openRegister()).toBe('Contract register');
  });
});
