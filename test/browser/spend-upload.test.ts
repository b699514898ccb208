import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { JOURNEY_SCREENS, journeyContext, launchChromium, listenOnLocalhost, successBannerHeading } from '../support/browser.js';
import { describeEachEngine } from '../support/engines.js';
import { buildUser, organisationId, startSession } from '../support/factories.js';
import { buildTestApp } from '../support/test-app.js';
import { OrganisationPage } from './pages/organisations.page.js';
import { SpendUploadPage } from './pages/spend-upload.page.js';

const TRAFFORD = fileURLToPath(new URL('../fixtures/spend/trafford/trafford-2014-09.csv', import.meta.url));

/**
 * Trafford's real September 2014 file, cut to its first 300 payments, with two rows a person would have to fix:
 * one amount that is not money and one date that does not exist (the real file has no bad rows).
 */
function writeUploadFile(folder: string): string {
  const lines = fs.readFileSync(TRAFFORD, 'utf8').split('\r\n');
  const [header, ...rows] = lines;
  const bad = (rows[0] ?? '').replace('"1,100.00"', 'TBC');
  const badDate = (rows[1] ?? '').replace('03/09/2014', '31/09/2014');
  const file = path.join(folder, 'trafford-2014-09.csv');
  fs.writeFileSync(file, [header, ...rows.slice(2, 300), bad, badDate, ''].join('\r\n'));
  return file;
}

/** Twenty-five of Trafford's real payments, a different twenty-five for each `part`, so no upload repeats another. */
function writeSmallFile(folder: string, part: number): string {
  const [header, ...rows] = fs.readFileSync(TRAFFORD, 'utf8').split('\r\n');
  const file = path.join(folder, `trafford-2014-09-part-${part + 1}.csv`);
  fs.writeFileSync(file, [header, ...rows.slice(part * 25, part * 25 + 25), ''].join('\r\n'));
  return file;
}

describeEachEngine('journey: a council member uploads a spending file', ({ database }) => {
  let app: FastifyInstance;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let baseUrl: string;
  let folder: string;
  let chrisId: number;

  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-spend-browser-'));
    ({ app } = await buildTestApp(database(), undefined, { filesDirectory: path.join(folder, 'files') }));
    baseUrl = await listenOnLocalhost(app);
    const trafford = await organisationId(database().db, 'E08000009');
    const chris = await buildUser(database().db, {
      organisationId: trafford,
      email: 'chris.oneill@trafford.gov.uk',
      name: 'Chris O’Neill',
    });
    chrisId = chris.id;
    browser = await launchChromium();
    context = await browser.newContext();
    await context.addCookies([{ name: 'commons_session', value: await startSession(database().db, chris.id), url: baseUrl }]);
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('uploads, checks the columns, watches the import and sees the result with its rejected rows', async () => {
    const form = await new SpendUploadPage(page).open(baseUrl);
    expect(await form.heading()).toBe('Upload a spending file');

    const confirm = await form.upload(writeUploadFile(folder));
    expect(await confirm.heading()).toBe('Check the columns of trafford-2014-09.csv');
    expect(await confirm.chosenColumn('Payment date')).toBe('Date (column 3)');
    expect(await confirm.chosenColumn('Amount')).toBe('Amount (column 6)');
    expect((await confirm.previewRows())[0]).toEqual(expect.arrayContaining(['03/09/2014', '1,047.80', 'ADOLESCENT RESOURCE CENTRE']));

    // A mistake is caught with a message that names the field, then put right.
    await confirm.chooseColumn('Amount', 'Supplier Name (column 7)');
    expect(await confirm.saveColumns()).toContain('Amount and supplier name cannot both be the same column');
    await confirm.chooseColumn('Amount', 'Amount (column 6)');
    expect(await confirm.saveColumns()).toEqual([]);

    const progress = await confirm.importFile();
    const result = await progress.waitForResult();
    expect(await result.heading()).toBe('trafford-2014-09.csv: import finished');
    expect(await result.summaryValue('Payments imported')).toBe('298');
    expect(await result.summaryValue('Rows rejected')).toBe('2');
    expect(await result.summaryValue('Dates')).toBe('1 September 2014 to 29 September 2014');
    const rejects = await result.rejects();
    expect(rejects.map((reject) => [reject.line, reject.column])).toEqual([
      ['300', 'Amount'],
      ['301', 'Date'],
    ]);
    expect(await result.csvLink()).toMatch(/^\/api\/v1\/spend\/files\/\d+\/rejects\?format=csv$/);
  });

  for (const [index, screen] of JOURNEY_SCREENS.entries()) {
    it(`at ${screen.label}: starts from the council's page and ends on the import's confirmation`, async () => {
      const journey = await journeyContext(browser, baseUrl, screen, await startSession(database().db, chrisId));
      const journeyPage = await journey.newPage();
      journeyPage.setDefaultTimeout(20_000);
      const council = await new OrganisationPage(journeyPage).open(baseUrl, 'E08000009');
      await council.followCardAction('spend', 'Upload a spending file', /\/spend\/imports\/new\?organisation=E08000009$/);
      const form = new SpendUploadPage(journeyPage);
      expect(await form.heading()).toBe('Upload a spending file');

      const fileName = `trafford-2014-09-part-${index + 1}.csv`;
      const confirm = await form.upload(writeSmallFile(folder, index));
      expect(await successBannerHeading(journeyPage)).toBe(`${fileName} is uploaded`);
      expect(await confirm.heading()).toBe(`Check the columns of ${fileName}`);
      const result = await (await confirm.importFile()).waitForResult();
      expect(await result.heading()).toBe(`${fileName}: import finished`);
      expect(await result.summaryValue('Payments imported')).toBe('25');
      expect(await successBannerHeading(journeyPage)).toBe(`25 payments from ${fileName} now count in Trafford’s spending`);
      await journey.close();
    }, 60_000);
  }
});
