import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Services } from '../../src/app/services.js';
import type { Role } from '../../src/platform/actor.js';
import {
  expectNoAccessibilityViolations,
  JOURNEY_SCREENS,
  journeyContext,
  launchChromium,
  listenOnLocalhost,
  successBannerHeading,
} from '../support/browser.js';
import { describeEachEngine } from '../support/engines.js';
import { buildUser, organisationId, startSession } from '../support/factories.js';
import { buildTestApp } from '../support/test-app.js';
import { ChallengePage, ChallengesListPage } from './pages/challenges.page.js';

describeEachEngine('journey: post a challenge, another council joins, a supplier responds, the owner moderates', ({ database }) => {
  let app: FastifyInstance;
  let services: Services;
  let browser: Browser;
  let baseUrl: string;
  const contexts: BrowserContext[] = [];

  /** A browser signed in as a new person of the given organisation and role. */
  async function signedIn(organisation: number, role: Role): Promise<Page> {
    const user = await buildUser(database().db, { organisationId: organisation, role });
    const context = await browser.newContext();
    contexts.push(context);
    await context.addCookies([{ name: 'commons_session', value: await startSession(database().db, user.id), url: baseUrl }]);
    const page = await context.newPage();
    page.setDefaultTimeout(5_000);
    return page;
  }

  beforeAll(async () => {
    ({ app, services } = await buildTestApp(database()));
    baseUrl = await listenOnLocalhost(app);
    browser = await launchChromium();
    await services.challengesService.seedChallenge({
      ownerOrganisationId: await organisationId(database().db, 'E08000035'),
      challenge: {
        title: 'Reporting damp and mould in council homes',
        problem: 'Tenants report damp and mould by phone and email, so reports are lost and inspections are late.',
        serviceArea: 'housing',
      },
      sharers: [],
    });
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await app?.close();
  });

  it('goes from posting to a moderated supplier response, accessibly', async () => {
    const oxford = await signedIn(await organisationId(database().db, 'E07000178'), 'member');
    const devon = await signedIn(await organisationId(database().db, 'E10000008'), 'member');
    const supplierOrganisation = await database()
      .db.insertInto('organisations')
      .values({
        kind: 'supplier',
        slug: `journey-supplier-${crypto.randomBytes(3).toString('hex')}`,
        name: 'Journey Software Ltd',
        official_name: 'Journey Software Ltd',
        search_names: 'journey software ltd',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const supplier = await signedIn(supplierOrganisation.id, 'supplier');

    // A council member writes a challenge and is offered the similar one before posting.
    const form = await (await new ChallengesListPage(oxford).open(baseUrl)).startPosting();
    await form.describe({
      title: 'Mould and damp reports from our tenants',
      problem: 'Tenants report mould in many ways and we cannot show that each report was inspected in time.',
      serviceArea: 'Housing',
      scale: '7800',
    });
    expect(await form.liveSuggestions()).toContain('Reporting damp and mould in council homes');
    expect(await form.checkForSimilar()).toEqual(['Reporting damp and mould in council homes']);
    const posted = await form.post();
    expect(await posted.heading()).toBe('Mould and damp reports from our tenants');
    expect(await posted.demandSummary()).toContain('1 council share this challenge');
    const challengePath = posted.path();

    // A second council says it has this too.
    const devonView = await new ChallengePage(devon).open(baseUrl, challengePath);
    await devonView.join({ scale: '12000', budgetBand: '£25,000 to £100,000', comment: 'Our stock has the same problem' });
    expect(await devonView.demandSummary()).toContain('2 councils');
    expect(await devonView.demandSummary()).toContain('19,800 residents affected');

    // A supplier responds; nobody else sees it until the owner publishes it.
    const supplierView = await new ChallengePage(supplier).open(baseUrl, challengePath);
    await supplierView.respond({
      offer: 'A tenant reporting app with photo upload and risk triage',
      evidence: 'Used by two housing associations',
      priceModel: 'Annual subscription per 1,000 homes',
    });
    const anonymous = await browser.newPage();
    const publicView = await new ChallengePage(anonymous).open(baseUrl, challengePath);
    expect(await publicView.responses()).not.toContain('A tenant reporting app');

    // The owner moderates.
    const ownerView = await new ChallengePage(oxford).open(baseUrl, challengePath);
    expect(await ownerView.responses()).toContain('Waiting for moderation');
    await ownerView.publishResponseFrom('Journey Software Ltd');
    expect(await ownerView.responses()).toContain('A tenant reporting app with photo upload and risk triage');
    expect(await ownerView.responses()).not.toContain('Waiting for moderation');

    await publicView.open(baseUrl, challengePath);
    expect(await publicView.responses()).toContain('A tenant reporting app with photo upload and risk triage');
    await anonymous.close();
    // Four browsers and about twenty pages, each checked by axe: longer than one test's default on a busy machine.
  }, 90_000);

  for (const screen of JOURNEY_SCREENS) {
    it(`at ${screen.label}: a supplier finds a challenge, responds from its page and is told what happens next`, async () => {
      const name = `Damp Sensors ${screen.width} ${screen.siteScripts ? 'Scripted' : 'Plain'} Ltd`;
      const supplierOrganisation = await database()
        .db.insertInto('organisations')
        .values({
          kind: 'supplier',
          slug: `journey-supplier-${crypto.randomBytes(3).toString('hex')}`,
          name,
          official_name: name,
          search_names: name.toLowerCase(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const supplier = await buildUser(database().db, { organisationId: supplierOrganisation.id, role: 'supplier' });
      const context = await journeyContext(browser, baseUrl, screen, await startSession(database().db, supplier.id));
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);

      const challenge = await (await new ChallengesListPage(page).open(baseUrl)).openChallenge('Reporting damp and mould in council homes');
      await challenge.respond({
        offer: 'Wireless damp sensors with a tenant reporting page',
        evidence: 'In use in 400 homes of one housing association',
        priceModel: 'Per sensor, with a yearly service charge',
      });
      expect(await successBannerHeading(page)).toBe('Your response is sent');
      // Until the council that raised it publishes it, only the supplier knows of the response.
      expect(await challenge.responses()).not.toContain('Wireless damp sensors');
      await context.close();
    }, 60_000);
  }

  it('turns a challenge shared by three councils into a collaboration, accessibly', async () => {
    const [oxfordId, leedsId, devonId] = await Promise.all(
      ['E07000178', 'E08000035', 'E10000008'].map((code) => organisationId(database().db, code)),
    );
    const id = await services.challengesService.seedChallenge({
      ownerOrganisationId: oxfordId ?? 0,
      challenge: {
        title: 'Routing home to school transport for children with SEND',
        problem: 'Routes are planned by hand each summer and costs keep rising.',
        serviceArea: 'children-and-education',
        scale: 1000,
      },
      sharers: [
        { organisationId: leedsId ?? 0, scale: 3800, budgetBand: '100k-500k' },
        { organisationId: devonId ?? 0, scale: 4200, budgetBand: '100k-500k' },
      ],
    });
    const page = await signedIn(oxfordId ?? 0, 'member');
    const challenge = await new ChallengePage(page).open(baseUrl, `/challenges/${id}`);
    const proposal = await challenge.startCollaboration();
    await proposal.propose({ lead: 'Oxford', approach: 'Buy it together', summary: 'One framework call-off for all three' });
    expect(await proposal.combinedDemand()).toContain('3 councils with 9,000 residents affected');
  });

  it('publishes a feed a browser parses as XML, with the new challenge in it', async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/challenges`);
    const feed = await page.evaluate(async () => {
      const text = await (await fetch('/challenges/feed.atom')).text();
      const documentNode = new DOMParser().parseFromString(text, 'application/xml');
      return {
        error: documentNode.getElementsByTagName('parsererror').length,
        root: documentNode.documentElement.namespaceURI,
        titles: Array.from(
          documentNode.getElementsByTagNameNS('http://www.w3.org/2005/Atom', 'entry'),
          (entry: Element) => entry.getElementsByTagNameNS('http://www.w3.org/2005/Atom', 'title')[0]?.textContent ?? null,
        ),
      };
    });
    expect(feed).toEqual({
      error: 0,
      root: 'http://www.w3.org/2005/Atom',
      titles: [
        'Routing home to school transport for children with SEND',
        'Mould and damp reports from our tenants',
        'Reporting damp and mould in council homes',
      ],
    });
    await page.goto(`${baseUrl}/challenges?sort=demand&serviceArea=housing`);
    await expectNoAccessibilityViolations(page);
    await page.close();
  });
});
