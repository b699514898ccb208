import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { moduleDatabase } from '../../src/app/database-schema.js';
import { insertSyntheticPayments } from '../../src/modules/spend/index.js';
import { expectNoAccessibilityViolations, launchChromium, listenOnLocalhost } from '../support/browser.js';
import { describeEachEngine } from '../support/engines.js';
import { organisationId } from '../support/factories.js';
import { buildTestApp } from '../support/test-app.js';
import { SpendSearchPage } from './pages/spend-analysis.page.js';

describeEachEngine('journey: search a supplier → its page → compare two councils', ({ database }) => {
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;

  beforeAll(async () => {
    const db = database().db;
    const [oxford, devon, leeds] = await Promise.all(['E07000178', 'E10000008', 'E08000035'].map((code) => organisationId(db, code)));
    await insertSyntheticPayments(moduleDatabase(db), [
      {
        organisationId: oxford ?? 0,
        supplier: 'Civic Software Ltd',
        date: '2024-04-03',
        pence: 1_250_000,
        expenseType: 'Software',
        service: 'ICT',
      },
      {
        organisationId: oxford ?? 0,
        supplier: 'Civic Software Ltd',
        date: '2024-05-03',
        pence: 750_000,
        expenseType: 'Software',
        service: 'ICT',
      },
      {
        organisationId: oxford ?? 0,
        supplier: 'Parks & Trees Co',
        date: '2024-04-09',
        pence: 90_000,
        expenseType: 'Grounds',
        service: 'Parks',
      },
      {
        organisationId: devon ?? 0,
        supplier: 'CIVIC SOFTWARE LIMITED',
        date: '2024-04-20',
        pence: 4_000_000,
        expenseType: 'Software',
        service: 'Digital',
      },
      {
        organisationId: leeds ?? 0,
        supplier: 'Civic Software',
        date: '2024-06-20',
        pence: 100_000,
        expenseType: 'Software',
        service: 'Digital',
      },
    ]);
    const built = await buildTestApp(database());
    app = built.app;
    const contract = await built.services.contractsService.importOcdsFile(
      fileURLToPath(new URL('../fixtures/ocds/bare-release.json', import.meta.url)),
    );
    expect(contract.status).toBe('imported');
    baseUrl = await listenOnLocalhost(app);
    browser = await launchChromium();
    page = await browser.newPage();
    page.setDefaultTimeout(5_000);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('finds a supplier paid by three councils and compares the two that pay most', async () => {
    await page.goto(`${baseUrl}/spend`);
    await expectNoAccessibilityViolations(page);
    const search = new SpendSearchPage(page);
    await search.searchSupplier('civic software');
    expect(await search.resultCount()).toContain('of 1 suppliers');

    const supplier = await search.openSupplier('Civic Software Ltd');
    expect(await supplier.heading()).toBe('Civic Software Ltd');
    expect(await supplier.summaryValue('Councils paying')).toBe('3');
    expect(await supplier.summaryValue('Total paid')).toBe('£61,000.00');

    const compare = await supplier.compareTopCouncils();
    expect(await compare.totals()).toEqual({ Devon: '£40,000.00', Oxford: '£20,000.00' });
    expect(await compare.chartTitle()).toContain('Civic Software Ltd');

    await compare.chooseCouncils(['Oxford', 'Leeds']);
    expect(await compare.totals()).toEqual({ Oxford: '£20,000.00', Leeds: '£1,000.00' });
  });

  it('shows accessible council, signals and contract pages', async () => {
    for (const path of [
      '/spend/organisations/E07000178',
      '/spend/signals',
      '/spend/compare',
      '/spend/compare?councils=E07000178',
      '/contracts',
      '/contracts/expiring',
    ]) {
      await page.goto(`${baseUrl}${path}`);
      await expectNoAccessibilityViolations(page);
    }
    await Promise.all([
      page.waitForURL(/\/contracts\/\d+$/),
      page.getByRole('link', { name: 'Scheduling software award' }).first().click(),
    ]);
    await expectNoAccessibilityViolations(page);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Scheduling software award');
  });
});
