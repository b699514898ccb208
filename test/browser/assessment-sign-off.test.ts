import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Services } from '../../src/app/services.js';
import type { Actor } from '../../src/platform/actor.js';
import { seedStandardsDemo } from '../../src/modules/standards/index.js';
import { launchChromium, listenOnLocalhost } from '../support/browser.js';
import { describeEachEngine } from '../support/engines.js';
import { buildUser, organisationId, startSession } from '../support/factories.js';
import { buildTestApp, TEST_TODAY } from '../support/test-app.js';
import { AdoptionDashboardPage, AssessmentPage } from './pages/standards.page.js';

/** Phone width without the site's scripts (axe still runs: it is injected through DevTools), and desktop with them. */
const SCREENS = [
  { width: 390, height: 844, siteScripts: false },
  { width: 1280, height: 900, siteScripts: true },
] as const;

describeEachEngine('journey: an organisation admin signs off a self-assessment and the dashboard counts it', ({ database }) => {
  let app: FastifyInstance;
  let services: Services;
  let browser: Browser;
  let baseUrl: string;
  let memberId: number;
  let adminId: number;
  let oxford: number;

  const contextFor = async (userId: number, screen: (typeof SCREENS)[number]): Promise<BrowserContext> => {
    const context = await browser.newContext({ viewport: { width: screen.width, height: screen.height } });
    if (!screen.siteScripts) await context.route(/\.js(\?|$)/, (route) => route.abort());
    await context.addCookies([{ name: 'commons_session', value: await startSession(database().db, userId), url: baseUrl }]);
    return context;
  };

  /** A member of Oxford submits a complete, met self-assessment (through the service: the form has its own journey). */
  const submitSelfAssessment = async (serviceName: string): Promise<number> => {
    const actor: Actor = {
      userId: memberId,
      email: 'member@example.gov.uk',
      name: 'Ali Member',
      organisationId: oxford,
      organisationName: 'Oxford',
      organisationKind: 'council',
      role: 'member',
      via: 'session',
      credentialId: 0,
      scopes: ['read', 'write'],
    };
    const id = await services.standardsService.startAssessment(actor, 'local-service-standard', { serviceName });
    const points = (await services.standardsService.getAssessment(actor, id)).rows.map((row) => row.point.number);
    const ratings = points.map((pointNumber) => ({
      pointNumber,
      rating: 'met' as const,
      commentary: '',
      evidenceLinks: '',
      componentSlugs: '',
    }));
    await services.standardsService.saveRatings(actor, id, 'self', ratings, true);
    return id;
  };

  beforeAll(async () => {
    const built = await buildTestApp(database());
    app = built.app;
    services = built.services;
    await seedStandardsDemo(services, TEST_TODAY.toISOString().slice(0, 10));
    const db = database().db;
    oxford = await organisationId(db, 'E07000178');
    memberId = (await buildUser(db, { organisationId: oxford, name: 'Ali Member' })).id;
    adminId = (await buildUser(db, { organisationId: oxford, role: 'organisation-admin', name: 'Priya Shah' })).id;
    baseUrl = await listenOnLocalhost(app);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  for (const [index, screen] of SCREENS.entries()) {
    it(`at ${screen.width}px${screen.siteScripts ? '' : ', without JavaScript'}: the member cannot sign off; the admin does, and Oxford counts`, async () => {
      const id = await submitSelfAssessment(`Report a pothole ${index + 1}`);

      // The member who submitted it sees that it does not count yet, and who can sign it off.
      const memberContext = await contextFor(memberId, screen);
      const memberPage = await memberContext.newPage();
      memberPage.setDefaultTimeout(30_000);
      const asMember = await new AssessmentPage(memberPage).open(baseUrl, id);
      expect(await asMember.summaryValue('Signed off')).toBe('Waiting for sign-off');
      expect(await asMember.signOffText()).toContain('ask an admin of Oxford');
      expect(await memberPage.getByRole('button', { name: 'Sign off this assessment' }).count()).toBe(0);
      await memberContext.close();

      const adminContext = await contextFor(adminId, screen);
      const page = await adminContext.newPage();
      page.setDefaultTimeout(30_000);
      const dashboard = await new AdoptionDashboardPage(page).open(baseUrl, 'local-service-standard');
      const before = await dashboard.meetingCount();
      expect(await dashboard.signOffRule()).toMatch(/1 submitted self-assessment is waiting for sign-off and does not count yet/);

      const assessment = await new AssessmentPage(page).open(baseUrl, id);
      expect(await assessment.signOffText()).toContain('counts on the standard’s adoption dashboard only once');
      const confirmation = await assessment.signOff();
      expect(await confirmation.heading()).toBe('Assessment signed off');
      // The first sign-off adds Oxford; the second is another service of a council already counted.
      expect(await confirmation.meetingCount()).toBe(index === 0 ? before + 1 : before);
      await adminContext.close();
    }, 120_000);
  }
});
