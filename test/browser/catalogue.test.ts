import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedCatalogueDemo } from '../../src/modules/catalogue/index.js';
import { expectNoAccessibilityViolations, launchChromium, listenOnLocalhost } from '../support/browser.js';
import { describeEachEngine } from '../support/engines.js';
import { buildUser, organisationId, startSession } from '../support/factories.js';
import { buildTestApp } from '../support/test-app.js';
import { ComponentsListPage } from './pages/catalogue.page.js';

describeEachEngine('journey: find a component, declare that our council uses it, see the count change', ({ database }) => {
  let app: FastifyInstance;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let baseUrl: string;

  beforeAll(async () => {
    const built = await buildTestApp(database());
    app = built.app;
    await seedCatalogueDemo(built.services);
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
    page.setDefaultTimeout(5_000);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('Alex Morgan of Oxford finds BOPS by searching, declares that Oxford uses it, and the count goes up by one', async () => {
    await page.goto(`${baseUrl}/components`);
    await expectNoAccessibilityViolations(page);
    const list = new ComponentsListPage(page);
    await list.search('planning applications');
    expect(await list.resultNames()).toEqual(expect.arrayContaining(['BOPS', 'PlanX']));

    const bops = await list.open('BOPS');
    expect(await bops.heading()).toBe('BOPS');
    expect(await bops.adoptionCount()).toBe('Used by 0 of 317 English councils');

    const form = await bops.startDeclaration();
    await form.fill({
      status: 'Using',
      since: ['1', '4', '2025'],
      evidenceKind: 'Live service address',
      evidence: 'not an address',
      agrees: true,
    });
    expect(await form.submitExpectingErrors()).toEqual(['A live service address must start with https:// or http://']);

    await form.fill({
      status: 'Using',
      since: ['1', '4', '2025'],
      evidenceKind: 'Live service address',
      evidence: 'https://planning.oxford.example/',
      agrees: true,
    });
    const after = await form.submit();
    expect(await after.adoptionCount()).toBe('Used by 1 of 317 English councils');
    expect(await after.declaringOrganisations()).toContain('Oxford');
  });

  it('shows every other catalogue page without accessibility problems', async () => {
    for (const path of [
      '/components/compare?slugs=bops&slugs=planx&slugs=gov-uk-pay',
      '/components/reuse-credits',
      '/components/reuse-credits/E07000178',
      '/components/bops/adoptions',
      '/components/localgov-drupal',
      '/components/new',
      '/components/import',
      '/components/publiccode/validate',
      '/components?kind=data-standard',
    ]) {
      const response = await page.goto(`${baseUrl}${path}`);
      expect(response?.status(), path).toBe(200);
      await expectNoAccessibilityViolations(page);
    }
  });
});
