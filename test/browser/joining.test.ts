import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { JOURNEY_SCREENS, journeyContext, launchChromium, listenOnLocalhost, successBannerHeading } from '../support/browser.js';
import { describeEachEngine } from '../support/engines.js';
import { buildUser, organisationId, startSession, unique } from '../support/factories.js';
import { buildTestApp } from '../support/test-app.js';
import { AccountPage, JoinPage, JoinRequestsPage } from './pages/identity.page.js';
import { OrganisationPage } from './pages/organisations.page.js';

/** A council with no admin here, so a request to join it goes to the platform's admins (the institute). */
const HARTLEPOOL = { code: 'E06000001', name: 'Hartlepool' };

describeEachEngine('journey: joining a council with no admin, approved by the institute', ({ database }) => {
  let app: FastifyInstance;
  let browser: Browser;
  let baseUrl: string;
  let instituteAdminId: number;

  beforeAll(async () => {
    ({ app } = await buildTestApp(database()));
    baseUrl = await listenOnLocalhost(app);
    browser = await launchChromium();
    const db = database().db;
    instituteAdminId = (await buildUser(db, { organisationId: await organisationId(db, 'E07000178'), role: 'platform-admin' })).id;
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  for (const screen of JOURNEY_SCREENS) {
    it(`at ${screen.label}: asks from the council's page, the institute approves, and the person is a member`, async () => {
      const applicant = await buildUser(database().db, {
        organisationId: null,
        name: 'Robin Hart',
        email: `robin-${unique()}@hartlepool.example`,
      });

      // The person finds their council's page and asks to join from it.
      const applicantContext = await journeyContext(browser, baseUrl, screen, await startSession(database().db, applicant.id));
      const applicantPage = await applicantContext.newPage();
      applicantPage.setDefaultTimeout(20_000);
      const council = await new OrganisationPage(applicantPage).open(baseUrl, HARTLEPOOL.code);
      expect(await council.cardText('ways-in')).toContain('the platform’s admins, if it has none yet');
      await council.followCardAction('ways-in', `Ask to join ${HARTLEPOOL.name}`, /\/account\/join\?q=/);
      expect(await new JoinPage(applicantPage).heading()).toBe('Join your organisation');
      const account = await new JoinPage(applicantPage).askToJoin(HARTLEPOOL.name, 'I run the digital team');
      expect(await successBannerHeading(applicantPage)).toBe(`You have asked to join ${HARTLEPOOL.name}`);
      expect(await account.summaryValue('Organisation')).toBe(`Waiting for ${HARTLEPOOL.name} to answer`);

      // The institute finds the request in its queue, marked as a council with no admin, and approves it.
      const instituteContext = await journeyContext(browser, baseUrl, screen, await startSession(database().db, instituteAdminId));
      const institutePage = await instituteContext.newPage();
      institutePage.setDefaultTimeout(20_000);
      await new AccountPage(institutePage).open(baseUrl);
      await new AccountPage(institutePage).follow('Requests to join, including organisations with no admin', /\/manage\/join-requests$/);
      const queue = new JoinRequestsPage(institutePage);
      expect(await queue.requestRow(applicant.email)).toContain('No admin yet');
      expect(await queue.requestRow(applicant.email)).toContain('I run the digital team');
      await queue.approveAsMember(HARTLEPOOL.name, applicant.email);
      expect(await successBannerHeading(institutePage)).toBe(`Robin Hart is now a member of ${HARTLEPOOL.name}`);
      await instituteContext.close();

      // The person now sees that they belong, on their account and on the council's page.
      await account.open(baseUrl);
      expect(await account.summaryValue('Organisation')).toBe(HARTLEPOOL.name);
      expect(await account.summaryValue('Role')).toBe('Member');
      await council.open(baseUrl, HARTLEPOOL.code);
      expect(await council.cardText('ways-in')).toContain('A member here');
      await applicantContext.close();
    }, 60_000);
  }
});
