import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDataSharingDemo } from '../../src/modules/data-sharing/index.js';
import { expectNoAccessibilityViolations, launchChromium, listenOnLocalhost } from '../support/browser.js';
import { describeEachEngine } from '../support/engines.js';
import { buildUser, organisationId, startSession } from '../support/factories.js';
import { buildTestApp } from '../support/test-app.js';
import { AgreementFormPage, ValidatePage } from './pages/data-sharing.page.js';

const HEADER =
  'Organisation name,Organisation code,Payment date,Transaction number,Amount,Irrecoverable VAT,Supplier name,Supplier ID,Service area,Expense type,Purpose,Merchant category';
const BROKEN = `${HEADER}\nOxford City Council,E07000178,2026-04-31,T1,120.50,,Acme Ltd,,Housing,Repairs,Boiler,\nOxford City Council,E07000178,2026-04-02,T2,ninety,,Acme Ltd,,Housing,Repairs,Boiler,\n`;
const FIXED = BROKEN.replace('2026-04-31', '2026-04-30').replace('ninety', '90.00');

describeEachEngine('journeys: validate a file and fix it; record an agreement and publish it', ({ database }) => {
  let app: FastifyInstance;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let baseUrl: string;

  beforeAll(async () => {
    const built = await buildTestApp(database());
    app = built.app;
    await seedDataSharingDemo(built.services);
    const oxford = await organisationId(database().db, 'E07000178');
    const alex = await buildUser(database().db, {
      organisationId: oxford,
      email: 'alex.morgan@oxford.gov.uk',
      name: 'Alex Morgan',
      role: 'member',
    });
    baseUrl = await listenOnLocalhost(app);
    browser = await launchChromium();
    context = await browser.newContext();
    await context.addCookies([{ name: 'commons_session', value: await startSession(database().db, alex.id), url: baseUrl }]);
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('a data officer checks a spending file, sees each problem with row, column and value, fixes it and re-checks', async () => {
    await page.goto(`${baseUrl}/data-sharing/validate`);
    await expectNoAccessibilityViolations(page);
    const report = await new ValidatePage(page).check('Spending over £500', 'april.csv', BROKEN);
    expect(await report.verdict()).toBe(
      'april.csv does not meet Spending over £500 yet: 2 problems in 2 of 2 rows. Each kind is explained below with how to fix it.',
    );
    expect(await report.instances()).toEqual([
      ['2', '3: Payment date', '2026-04-31'],
      ['3', '5: Amount', 'ninety'],
    ]);
    await expectNoAccessibilityViolations(page);
    await report.recheck('april.csv', FIXED);
    expect(await report.verdict()).toBe('april.csv meets Spending over £500: all 2 rows passed every check.');
    await expectNoAccessibilityViolations(page);
  });

  it('an officer records a special-category agreement, is told it needs an Article 9 condition, then publishes it', async () => {
    await page.goto(`${baseUrl}/data-sharing/agreements/new`);
    await expectNoAccessibilityViolations(page);
    const form = new AgreementFormPage(page);
    const values = {
      title: 'Oxford hospital discharge',
      purpose: 'To arrange care before people leave hospital',
      party: 'E10000008',
      partyRole: 'Controller',
      lawfulBasis: 'Article 6(1)(e): public task',
      special: true,
    };
    await form.fill(values);
    expect(await form.saveExpectingErrors()).toEqual([
      'Special category data (health, ethnicity, religion, sexual orientation and others) can only be shared with an Article 9 condition: choose one',
    ]);
    await expectNoAccessibilityViolations(page);
    await form.fill({
      ...values,
      article9: 'Article 9(2)(h): health or social care',
      schedule1: 'Schedule 1, Part 1, paragraph 2: health or social care purposes',
    });
    await form.save();
    await expectNoAccessibilityViolations(page);

    await page.getByLabel('Agreed').check();
    await page.getByRole('button', { name: 'Change status' }).click();
    await page.getByLabel('Active').check();
    await page.getByRole('button', { name: 'Change status' }).click();
    await expect.poll(() => page.locator('.govuk-summary-list').first().textContent()).toContain('Active');

    // The public page: seen signed out, with nothing personal.
    const anonymous = await browser.newPage();
    await anonymous.goto(`${baseUrl}/data-sharing/agreements/oxford-hospital-discharge`);
    const text = (await anonymous.locator('main').textContent()) ?? '';
    expect(text).toContain('Article 9(2)(h): health or social care');
    expect(text).not.toContain('Jordan Secretkeeper');
    await expectNoAccessibilityViolations(anonymous);
    for (const path of [
      '/data-sharing',
      '/data-sharing/agreements',
      '/data-sharing/agreements/oxford-hospital-discharge/document',
      '/data-sharing/organisations/E07000178/flows',
      '/data-sharing/standards',
      '/data-sharing/standards/open-referral-uk',
      '/data-sharing/exemplars',
      '/data-sharing/exemplars/hospital-discharge-data-flow',
    ]) {
      await anonymous.goto(`${baseUrl}${path}`);
      await expectNoAccessibilityViolations(anonymous);
    }
    await anonymous.close();
  });
});
