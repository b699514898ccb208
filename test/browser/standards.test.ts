import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedStandardsDemo } from '../../src/modules/standards/index.js';
import { launchChromium, listenOnLocalhost } from '../support/browser.js';
import { describeEachEngine } from '../support/engines.js';
import { buildUser, organisationId, startSession } from '../support/factories.js';
import { buildTestApp, TEST_TODAY } from '../support/test-app.js';
import { AdoptionDashboardPage, StandardPage, YourAssessmentsPage } from './pages/standards.page.js';

describeEachEngine('journey: self-assessment → peer review by another council → the dashboard moves', ({ database }) => {
  let app: FastifyInstance;
  let browser: Browser;
  let baseUrl: string;
  let oxfordContext: BrowserContext;
  let devonContext: BrowserContext;

  const signedInContext = async (userId: number): Promise<BrowserContext> => {
    const context = await browser.newContext();
    await context.addCookies([{ name: 'commons_session', value: await startSession(database().db, userId), url: baseUrl }]);
    return context;
  };

  beforeAll(async () => {
    const built = await buildTestApp(database());
    app = built.app;
    await seedStandardsDemo(built.services, TEST_TODAY.toISOString().slice(0, 10));
    const db = database().db;
    const oxfordPerson = await buildUser(db, {
      organisationId: await organisationId(db, 'E07000178'),
      role: 'organisation-admin',
      name: 'Priya Shah',
    });
    const devonPerson = await buildUser(db, { organisationId: await organisationId(db, 'E10000008'), name: 'Sam Taylor' });
    baseUrl = await listenOnLocalhost(app);
    browser = await launchChromium();
    oxfordContext = await signedInContext(oxfordPerson.id);
    devonContext = await signedInContext(devonPerson.id);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('assesses a service with evidence and an action, has Devon peer-review it, and counts Oxford as meeting the standard', async () => {
    const oxford = await oxfordContext.newPage();
    oxford.setDefaultTimeout(10_000);
    const before = await (await new AdoptionDashboardPage(oxford).open(baseUrl, 'local-service-standard')).meetingCount();

    const rating = await (await new StandardPage(oxford).open(baseUrl, 'local-service-standard')).startAssessment('Report a pothole');
    const points = await rating.pointCount();
    expect(points).toBe(15);
    for (let point = 1; point <= points; point += 1) {
      await rating.rate(
        point,
        'Met',
        point === 1
          ? {
              commentary: 'Eight research sessions with residents, including two with screen reader users.',
              link: 'https://example.gov.uk/research',
            }
          : undefined,
      );
    }
    const assessment = await rating.complete('Submit self-assessment');
    expect(await assessment.summaryValue('Outcome')).toBe('Met');
    expect(await assessment.summaryValue('Basis')).toBe('Self-assessed');

    await assessment.addAction('Publish the research summary', 'Priya Shah', { day: '30', month: '9', year: '2026' });
    expect(await assessment.actionsText()).toContain('Publish the research summary');

    const choices = await assessment.peerChoices();
    expect(choices).not.toContain('Oxford');
    expect(choices).toContain('Devon');
    await assessment.requestPeerReview('Devon');
    expect(await assessment.summaryValue('Peer reviewer')).toBe('Devon');
    expect(await assessment.summaryValue('Stage')).toBe('Peer review');

    // Someone at Devon, another council, completes the review.
    const devon = await devonContext.newPage();
    devon.setDefaultTimeout(10_000);
    const asked = await (await new YourAssessmentsPage(devon).open(baseUrl)).openPeerReview('Local service standard: Report a pothole');
    const review = await asked.startPeerReview();
    for (let point = 1; point <= 15; point += 1)
      await review.rate(point, 'Met', point === 2 ? { commentary: 'Saw the team chart.' } : undefined);
    const reviewed = await review.complete('Complete peer review');
    expect(await reviewed.summaryValue('Stage')).toBe('Peer reviewed');
    expect(await reviewed.summaryValue('Basis')).toBe('Peer-reviewed');

    const dashboard = await new AdoptionDashboardPage(oxford).open(baseUrl, 'local-service-standard');
    const after = await dashboard.meetingCount();
    expect(after).toBe(before + 1);
    expect(await dashboard.listCouncils('Meets the standard', 'South East')).toMatch(/^Showing 1 to \d+ of \d+ councils$/);
    expect(await oxford.locator('table').innerText()).toContain('Oxford');
  }, 90_000);
});
