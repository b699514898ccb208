import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Services } from '../../src/app/services.js';
import type { Role } from '../../src/platform/actor.js';
import { buildCaseStudyInput } from '../../src/modules/knowledge/knowledge.factories.js';
import { expectNoAccessibilityViolations, launchChromium, listenOnLocalhost } from '../support/browser.js';
import { describeEachEngine } from '../support/engines.js';
import { buildUser, organisationId, startSession } from '../support/factories.js';
import { buildTestApp } from '../support/test-app.js';
import { CaseStudyFormPage, ReviewPage, SearchPage, SubscriptionsPage } from './pages/knowledge.page.js';

describeEachEngine('journey: write a case study, have it reviewed, find it, follow a topic and read the digest', ({ database }) => {
  let app: FastifyInstance;
  let services: Services;
  let browser: Browser;
  let baseUrl: string;
  const contexts: BrowserContext[] = [];

  async function signedIn(organisation: number, role: Role): Promise<{ page: Page; userId: number; email: string }> {
    const user = await buildUser(database().db, { organisationId: organisation, role });
    const context = await browser.newContext();
    contexts.push(context);
    await context.addCookies([{ name: 'commons_session', value: await startSession(database().db, user.id), url: baseUrl }]);
    const page = await context.newPage();
    page.setDefaultTimeout(5_000);
    return { page, userId: user.id, email: user.email };
  }

  beforeAll(async () => {
    ({ app, services } = await buildTestApp(database()));
    baseUrl = await listenOnLocalhost(app);
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await services?.searchService.requestRefresh();
    await app?.close();
  });

  it('goes from a draft to a reviewed, searchable case study and a digest, accessibly', async () => {
    const oxford = await signedIn(await organisationId(database().db, 'E07000178'), 'member');
    const devon = await signedIn(await organisationId(database().db, 'E10000008'), 'member');
    const leeds = await signedIn(await organisationId(database().db, 'E08000035'), 'member');

    const form = await new CaseStudyFormPage(oxford.page).open(baseUrl);
    await form.write({
      title: 'Kingfisher garden waste renewals online',
      summary: 'Residents renew garden waste collections online.',
      problem: 'Renewals came by phone each spring.',
      whatWeDid: 'An online renewal form with card payment.',
      serviceArea: 'Environment and waste',
    });
    expect(await form.sendForReview()).toContain('sent for review');

    const review = await new ReviewPage(devon.page).openQueue(baseUrl, 'Kingfisher garden waste renewals online');
    expect(await review.confirm('Level 1: a logical reason it should work')).toContain('published');

    const search = new SearchPage(devon.page);
    expect(await search.search(baseUrl, 'kingfsher garden')).toContain('Kingfisher garden waste renewals online');
    expect(await search.filterByType(/^Case studies/)).toContain('Kingfisher garden waste renewals online');

    expect(await new SubscriptionsPage(leeds.page).followServiceArea(baseUrl, 'Environment and waste')).toContain('Environment and waste');
    const author = { ...(await buildUser(database().db, { organisationId: await organisationId(database().db, 'E07000178') })) };
    const slug = await services.caseStudiesService.createCaseStudy(
      {
        userId: author.id,
        email: author.email,
        name: null,
        organisationId: await organisationId(database().db, 'E07000178'),
        organisationName: null,
        role: 'member',
        via: 'session',
        credentialId: 0,
        scopes: ['read', 'write'],
      },
      buildCaseStudyInput({ title: 'Heron bulky waste bookings', serviceArea: 'environment-and-waste' }),
      true,
    );
    await services.caseStudiesService.reviewCaseStudy(
      {
        userId: devon.userId,
        email: devon.email,
        name: null,
        organisationId: await organisationId(database().db, 'E10000008'),
        organisationName: null,
        role: 'member',
        via: 'session',
        credentialId: 0,
        scopes: [],
      },
      slug,
      { outcome: 'confirm', confirmedLevel: 2, note: '' },
    );
    await services.searchService.requestRefresh();
    expect(await services.subscriptionsService.sendDigests('daily')).toBe(1);
    await leeds.page.goto(`${baseUrl}/dev/outbox`);
    await expectNoAccessibilityViolations(leeds.page);
    const outbox = await leeds.page.locator('main').innerText();
    expect(outbox).toContain('Your daily digest');
    expect(outbox).toContain('Heron bulky waste bookings');
  });
});
