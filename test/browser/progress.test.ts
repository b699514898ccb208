import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedRegionalCentresDemo } from '../../src/modules/progress/index.js';
import { launchChromium, listenOnLocalhost } from '../support/browser.js';
import { describeEachEngine } from '../support/engines.js';
import { buildUser, startSession } from '../support/factories.js';
import { buildTestApp } from '../support/test-app.js';
import { ProgressPages } from './pages/progress.page.js';

describeEachEngine(
  'journeys: from the home page to a target, its method and records; a centre’s workspace; a declared figure',
  ({ database }) => {
    let app: FastifyInstance;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let baseUrl: string;
    let pages: ProgressPages;

    beforeAll(async () => {
      const built = await buildTestApp(database());
      app = built.app;
      await seedRegionalCentresDemo(built.services);
      const institute = await database()
        .db.insertInto('organisations')
        .values({
          kind: 'institute',
          slug: 'journey-institute',
          name: 'Journey Institute',
          official_name: 'Journey Institute',
          search_names: 'journey institute',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const admin = await buildUser(database().db, { organisationId: institute.id, role: 'platform-admin', name: 'Robin Patel' });
      baseUrl = await listenOnLocalhost(app);
      browser = await launchChromium();
      context = await browser.newContext();
      page = await context.newPage();
      page.setDefaultTimeout(10_000);
      pages = new ProgressPages(page, baseUrl);
      // The admin's session is added only for the last journey; the first two are the public's.
      pages.adminSession = await startSession(database().db, admin.id);
    });
    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    it('a reader goes from the home page to a target, reads how it is measured, and reaches the records behind it', async () => {
      await pages.open('/');
      await pages.follow(/^Progress$/);
      expect(await pages.heading()).toBe('Progress towards the 2030 targets');
      await pages.follow('Regional centres of service innovation running');
      expect(await pages.heading()).toBe('Regional centres of service innovation running');
      expect(await pages.chartTitle()).toBe('Regional centres of service innovation running: figures by quarter and the target');
      expect(await pages.tableHeaders('The same figures as the chart')).toEqual(['Quarter', 'Date', 'Figure', 'Kind']);
      await pages.follow('How this figure is measured');
      expect(await pages.heading()).toBe('How we measure: Regional centres of service innovation running');
      await pages.follow(/See the records behind the figure/);
      expect(pages.path()).toBe('/regional-centres');
      expect(await pages.heading()).toBe('Regional centres of service innovation');
    });

    it('a reader opens a regional centre’s workspace and sees it beside the other centres', async () => {
      await pages.open('/regional-centres');
      await pages.follow('Midlands Centre of Service Innovation (demo)');
      expect(await pages.heading()).toBe('Midlands Centre of Service Innovation (demo)');
      expect(await page.getByText('This centre is demonstration content, not a real organisation.').count()).toBe(1);
      expect(await page.locator('th', { hasText: 'Midlands Centre of Service Innovation (demo) (this centre)' }).count()).toBe(1);
      await pages.follow(/^Birmingham$/);
      expect(pages.path()).toBe('/organisations/E08000025');
    });

    it('a platform admin declares the count of chief executives from digital backgrounds and sees it confirmed', async () => {
      await context.addCookies([{ name: 'commons_session', value: pages.adminSession, url: baseUrl }]);
      await pages.open('/progress/institute');
      expect(await pages.heading()).toBe('The institute’s view');
      const confirmation = await pages.declareChiefExecutives({ value: '3', asOf: '2026-05-01', source: 'Institute survey, May 2026' });
      expect(confirmation).toBe('Figure declared');
      expect(await page.locator('table', { hasText: 'Institute survey, May 2026' }).count()).toBe(1);
    });
  },
);
