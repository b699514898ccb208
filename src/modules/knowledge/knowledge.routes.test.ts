import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Services } from '../../app/services.js';
import { CSRF_COOKIE, csrfTokenFor } from '../../platform/http/csrf.js';
import { formBody } from '../../../test/support/authorisation.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { followRedirect, successBanner } from '../../../test/support/flash.js';
import { buildApiToken, organisationId } from '../../../test/support/factories.js';
import { buildTestApp, TEST_SECRET, TEST_TODAY } from '../../../test/support/test-app.js';
import { seedStandardsDemo } from '../standards/index.js';
import { buildCaseStudyInput, buildKnowledgePerson } from './knowledge.factories.js';
import { signPayload } from './webhooks.service.js';

type Person = Awaited<ReturnType<typeof buildKnowledgePerson>>;

describeEachEngine('knowledge: case studies, search, digests and webhooks through the web', ({ database }) => {
  let app: FastifyInstance;
  let services: Services;
  let now = new Date(TEST_TODAY);
  let author: Person;
  let reviewer: Person;
  let replicator: Person;
  let follower: Person;
  let admin: Person;

  async function submit(who: Person | null, url: string, body: Record<string, unknown>) {
    const csrf = crypto.randomBytes(32).toString('base64url');
    return app.inject({
      method: 'POST',
      url,
      headers: {
        cookie: [`${CSRF_COOKIE}=${csrf}`, ...(who ? [who.cookie] : [])].join('; '),
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: formBody({
        ...(body as Record<string, string>),
        _csrf: csrfTokenFor(TEST_SECRET, csrf, /commons_session=([^;]+)/.exec(who?.cookie ?? '')?.[1] ?? ''),
      }),
    });
  }
  const page = (who: Person | null, url: string) => app.inject({ url, headers: who ? { cookie: who.cookie } : {} });

  beforeAll(async () => {
    ({ app, services } = await buildTestApp(database(), () => new Date(now)));
    const db = database().db;
    const [oxford, devon, leeds] = await Promise.all(['E07000178', 'E10000008', 'E08000035'].map((code) => organisationId(db, code)));
    author = await buildKnowledgePerson(db, oxford ?? 0, 'member', now);
    reviewer = await buildKnowledgePerson(db, devon ?? 0, 'member', now);
    replicator = await buildKnowledgePerson(db, leeds ?? 0, 'member', now);
    follower = await buildKnowledgePerson(db, leeds ?? 0, 'member', now);
    admin = await buildKnowledgePerson(db, oxford ?? 0, 'organisation-admin', now);
    await services.searchService.refreshSearchIndex({ full: true });
  });
  afterAll(async () => {
    await services.searchService.requestRefresh();
    await app.close();
  });

  it('writes a case study, has it reviewed by another council, and serves it as a page and JSON', async () => {
    const input = buildCaseStudyInput({ title: 'Digital repairs in Oxford', claimedLevel: '2' });
    const refused = await submit(author, '/case-studies', { ...input, claimedLevel: '3', intent: 'submit' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Your outcomes support up to level 2');

    const created = await submit(author, '/case-studies', { ...input, intent: 'submit' });
    expect(created.statusCode).toBe(303);
    const url = String(created.headers.location).split('?')[0] ?? '';
    expect(url).toBe('/case-studies/digital-repairs-in-oxford');
    // Not published yet: the public does not see it; the author's council and possible reviewers do.
    expect((await page(null, url)).statusCode).toBe(404);
    // The page it lands on confirms what happened, with no flag in the address.
    expect(created.headers.location).toBe(url);
    expect(successBanner((await followRedirect(app, created, author.cookie)).body)).toBe('Your case study is sent for review');

    // The author's own council may not review it.
    expect((await submit(admin, `${url}/review`, { outcome: 'confirm', confirmedLevel: '2', note: '' })).statusCode).toBe(403);
    const queue = await page(reviewer, '/case-studies/reviews');
    expect(queue.body).toContain('Digital repairs in Oxford');
    const tooHigh = await submit(reviewer, `${url}/review`, { outcome: 'confirm', confirmedLevel: '3', note: '' });
    expect(tooHigh.statusCode).toBe(400);
    const reviewed = await submit(reviewer, `${url}/review`, { outcome: 'confirm', confirmedLevel: '2', note: '' });
    expect(reviewed.statusCode).toBe(303);
    expect(successBanner((await followRedirect(app, reviewed, reviewer.cookie)).body)).toBe('The case study is published');

    const shown = await page(null, url);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('Level 2');
    expect(shown.body).toContain('Level 3: evidence you caused the change');
    expect(shown.body).toContain('sam@example.test');

    const json = await page(null, '/api/v1/case-studies/digital-repairs-in-oxford');
    const body = json.json<{ evidence: { reviewerOrganisation: string } }>();
    expect(body).toMatchObject({
      evidenceLevel: 2,
      status: 'published',
      outcomes: [{ metric: 'Repair calls a month', baseline: '4,000', result: '2,600' }],
    });
    expect(body.evidence.reviewerOrganisation).toBe('Devon');
    const list = (await page(null, '/api/v1/case-studies?minimumLevel=2')).json<{ items: { slug: string }[] }>();
    expect(list.items.map((item) => item.slug)).toContain('digital-repairs-in-oxford');
    expect((await page(null, '/api/v1/case-studies?minimumLevel=3')).json<{ items: unknown[] }>().items).toEqual([]);
  });

  it('lists case studies on the pages of the component, challenge and standard they concern', async () => {
    const slug = `linked-component-${crypto.randomBytes(3).toString('hex')}`;
    await sql`insert into components (slug, name, kind, summary) values (${slug}, ${'Linked component'}, ${'software'}, ${'For links'})`.execute(
      database().db,
    );
    const caseStudy = await services.caseStudiesService.createCaseStudy(
      author,
      buildCaseStudyInput({ title: 'Used the linked component', components: slug }),
      true,
    );
    const before = await page(null, `/components/${slug}`);
    expect(before.body).toContain('No published case study is linked yet');
    await services.caseStudiesService.reviewCaseStudy(reviewer, caseStudy, { outcome: 'confirm', confirmedLevel: 2, note: '' });
    const after = await page(reviewer, `/components/${slug}`);
    expect(after.body).toContain('Case studies of councils that used it');
    expect(after.body).toContain(`href="/case-studies/${caseStudy}"`);
  });

  it('records a replication, and raises the level only as the rules say', async () => {
    const input = buildCaseStudyInput({
      title: 'Comparison-tested repairs',
      claimedLevel: '3',
      outcome1Method: 'comparison-group',
    });
    const slug = await services.caseStudiesService.createCaseStudy(author, input, true);
    await services.caseStudiesService.reviewCaseStudy(reviewer, slug, { outcome: 'confirm', confirmedLevel: 3, note: '' });
    const plain = await submit(replicator, `/case-studies/${slug}/replications`, {
      summary: 'Leeds did the same for its tenants.',
      outcome1Metric: 'Repair calls a month',
      outcome1Baseline: '9,000',
      outcome1Result: '6,100',
      outcome1Period: '2025',
      outcome1Method: 'before-after',
    });
    expect(plain.statusCode).toBe(303);
    expect((await services.caseStudiesService.getCaseStudy(slug, null)).evidenceLevel).toBe(3);
    // A second replication by the same council is refused; an independent evaluation by another council raises it to 4.
    expect((await submit(replicator, `/case-studies/${slug}/replications`, { summary: 'Again' })).statusCode).toBe(409);
    await services.caseStudiesService.recordReplication(follower.organisationId === replicator.organisationId ? reviewer : follower, slug, {
      summary: 'Devon too, evaluated by a university.',
      independentlyEvaluated: 'yes',
      evaluationUrl: 'https://example.ac.uk/evaluation',
      outcome1Metric: 'Calls',
      outcome1Baseline: '100',
      outcome1Result: '70',
      outcome1Method: 'independent-evaluation',
    });
    const detail = await services.caseStudiesService.getCaseStudy(slug, null);
    expect(detail.evidence).toMatchObject({ confirmedLevel: 3, evidenceLevel: 4 });
  });

  it('answers the search API in its documented shape, and keeps the index current after a change through the web', async () => {
    const draft = await submit(author, '/case-studies', {
      ...buildCaseStudyInput({ title: 'Capybara-friendly parks booking' }),
      intent: 'draft',
    });
    expect(draft.statusCode, draft.body.slice(0, 2000)).toBe(303);
    await services.searchService.requestRefresh();
    const publicResult: unknown = (await page(null, '/api/v1/search?q=capybara')).json();
    expect(publicResult).toEqual({
      total: 0,
      items: [],
      facets: { type: {}, serviceArea: {}, region: {}, councilType: {}, evidenceLevel: {} },
    });
    // The API knows people by their tokens; the author's council sees its draft.
    const token = await buildApiToken(database().db, author.userId, ['read']);
    const own = (await app.inject({ url: '/api/v1/search?q=capybara', headers: { authorization: `Bearer ${token}` } })).json<{
      total: number;
      items: Record<string, unknown>[];
      facets: { type: Record<string, number> };
    }>();
    expect(own.total).toBe(1);
    expect(Object.keys(own.items[0] ?? {}).sort()).toEqual(['id', 'snippet', 'title', 'type', 'url']);
    expect(own.facets.type).toEqual({ 'case-study': 1 });
    const html = await page(null, '/search?q=Oxford');
    expect(html.statusCode).toBe(200);
    expect(html.body).toContain('id="group-organisation"');
    expect((await page(author, '/search?q=capybara')).body).toContain('Capybara-friendly parks booking');
  });

  it('sends a digest of exactly the followed changes since the last one, never twice, with one-click unsubscribe', async () => {
    expect((await submit(follower, '/subscriptions', { topic: 'service-area:public-health', frequency: 'daily' })).statusCode).toBe(303);
    const slug = await services.caseStudiesService.createCaseStudy(
      author,
      buildCaseStudyInput({ title: 'Smoking cessation texts', serviceArea: 'public-health' }),
      true,
    );
    await services.caseStudiesService.createCaseStudy(
      author,
      buildCaseStudyInput({ title: 'Unrelated housing thing', serviceArea: 'housing' }),
      true,
    );
    await services.caseStudiesService.reviewCaseStudy(reviewer, slug, { outcome: 'confirm', confirmedLevel: 2, note: '' });

    const outbox = () =>
      database().db.selectFrom('mail_outbox').selectAll().where('recipient', '=', follower.email).orderBy('id').execute();
    expect(await services.subscriptionsService.sendDigests('daily')).toBe(1);
    const [digest] = await outbox();
    expect(digest?.body).toContain('Smoking cessation texts');
    expect(digest?.body).not.toContain('Unrelated housing thing');
    const headers = JSON.parse(digest?.headers ?? '{}') as Record<string, string>;
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const unsubscribeUrl = /^<http:\/\/localhost:3000(\/api\/v1\/unsubscribe\/[\w-]+)>$/.exec(headers['List-Unsubscribe'] ?? '')?.[1];
    expect(unsubscribeUrl).toBeDefined();

    // Nothing new: no second digest.
    expect(await services.subscriptionsService.sendDigests('daily')).toBe(0);
    expect(await outbox()).toHaveLength(1);

    // One-click: a POST with no cookie, as a mail program sends it.
    const oneClick = await app.inject({
      method: 'POST',
      url: unsubscribeUrl ?? '',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.statusCode).toBe(200);
    expect(oneClick.json()).toEqual({ unsubscribed: true });
    // The link is spent: a second click is refused, and nothing else is touched.
    expect(
      (
        await app.inject({
          method: 'POST',
          url: unsubscribeUrl ?? '',
          payload: 'List-Unsubscribe=One-Click',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).statusCode,
    ).toBe(403);
    expect((await page(follower, '/subscriptions')).body).toContain('You do not follow anything yet');
  });

  it('follows a component and a standard from their pages, and the digest carries their changes and the case studies about them', async () => {
    const db = database().db;
    const watcher = await buildKnowledgePerson(db, await organisationId(db, 'E08000035'), 'member', now);
    const slug = `followed-component-${crypto.randomBytes(3).toString('hex')}`;
    await sql`insert into components (slug, name, kind, summary) values (${slug}, ${'Followed component'}, ${'software'}, ${'Watched'})`.execute(
      db,
    );
    await seedStandardsDemo(services, TEST_TODAY.toISOString().slice(0, 10));
    await services.searchService.requestRefresh();
    const [standard] = await services.standardsService.listStandards();
    expect(standard).toBeDefined();
    const standardSlug = standard?.slug ?? '';

    expect((await page(null, `/components/${slug}`)).body).toContain('Sign in to follow it');
    const componentPage = await page(watcher, `/components/${slug}`);
    expect(componentPage.body).toContain('Follow this component');
    expect(componentPage.body).toContain(`value="component:${slug}"`);
    expect((await page(watcher, `/standards/${standardSlug}`)).body).toContain('Follow this standard');
    const followed = await submit(watcher, '/subscriptions', {
      topic: `component:${slug}`,
      frequency: 'weekly',
      returnTo: `/components/${slug}`,
    });
    expect(followed.statusCode).toBe(303);
    expect(String(followed.headers.location)).toBe(`/components/${slug}`);
    expect(successBanner((await followRedirect(app, followed, watcher.cookie)).body)).toBe('You are following it');
    expect((await submit(watcher, '/subscriptions', { topic: `standard:${standardSlug}`, frequency: 'weekly' })).statusCode).toBe(303);

    const aboutComponent = await services.caseStudiesService.createCaseStudy(
      author,
      buildCaseStudyInput({ title: 'Rolled out the followed component', components: slug }),
      true,
    );
    const aboutStandard = await services.caseStudiesService.createCaseStudy(
      author,
      buildCaseStudyInput({ title: 'Met the followed standard', standards: standardSlug }),
      true,
    );
    await services.caseStudiesService.createCaseStudy(author, buildCaseStudyInput({ title: 'About something nobody follows' }), true);
    for (const published of [aboutComponent, aboutStandard])
      await services.caseStudiesService.reviewCaseStudy(reviewer, published, { outcome: 'confirm', confirmedLevel: 2, note: '' });
    await sql`update components set summary = ${'Watched, and now changed'}, updated_at = now() + interval '1 second' where slug = ${slug}`.execute(
      db,
    );
    await services.searchService.requestRefresh();

    expect(await services.subscriptionsService.sendDigests('weekly')).toBeGreaterThanOrEqual(1);
    const [digest] = await db.selectFrom('mail_outbox').selectAll().where('recipient', '=', watcher.email).execute();
    expect(digest?.body).toContain('Rolled out the followed component');
    expect(digest?.body).toContain('Met the followed standard');
    expect(digest?.body).toContain('Followed component');
    expect(digest?.body).not.toContain('About something nobody follows');
  });

  it('refuses a webhook address on a private network, saying why', async () => {
    const refused = await submit(admin, '/webhooks', { url: 'http://10.20.30.40/hook', eventTypes: ['case-study.added'] });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Enter a public address: 10.20.30.40 is a private, local or reserved address');
  });

  it('delivers a signed webhook to a local receiver, retries a failing one with backoff, then disables it and tells the owners', async () => {
    const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
    let answer = 204;
    const receiver = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.writeHead(answer).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as AddressInfo).port;
    try {
      const registered = await submit(admin, '/webhooks', {
        url: `http://127.0.0.1:${port}/hook`,
        eventTypes: ['case-study.added', 'case-study.updated'],
      });
      expect(registered.statusCode).toBe(201);
      const secret = /id="webhook-secret">([0-9a-f]{64})</.exec(registered.body)?.[1] ?? '';
      expect(secret).toHaveLength(64);

      await services.caseStudiesService.createCaseStudy(author, buildCaseStudyInput({ title: 'Webhook test study' }), true);
      const slug = 'webhook-test-study';
      await services.caseStudiesService.reviewCaseStudy(reviewer, slug, { outcome: 'confirm', confirmedLevel: 2, note: '' });
      // The refresh a web request started may be the one that logs the change: let it finish queueing.
      await services.searchService.requestRefresh();
      expect((await services.webhooksService.deliverDue()).delivered).toBe(1);
      const [delivery] = received;
      expect(delivery?.headers['x-commons-event']).toBe('case-study.added');
      expect(delivery?.headers['x-commons-delivery']).toMatch(/^[0-9a-f-]{36}$/);
      expect(delivery?.headers['x-commons-signature']).toBe(signPayload(secret, delivery?.body ?? ''));
      expect(JSON.parse(delivery?.body ?? '{}')).toMatchObject({ event: 'case-study.added', data: { type: 'case-study', id: slug } });

      // The receiver now fails: each attempt is retried later, until the webhook is disabled.
      answer = 500;
      await services.caseStudiesService.recordReplication(replicator, slug, { summary: 'Leeds too.' });
      let outcome = await services.webhooksService.deliverDue();
      expect(outcome).toEqual({ delivered: 0, retrying: 1, failed: 0 });
      expect((await services.webhooksService.deliverDue()).retrying).toBe(0);
      for (let attempt = 1; attempt < 5; attempt += 1) {
        now = new Date(now.getTime() + 60 * 60 * 1000);
        outcome = await services.webhooksService.deliverDue();
      }
      expect(received.filter((request) => request.headers['x-commons-event'] === 'case-study.updated')).toHaveLength(5);
      const [webhook] = await services.webhooksService.listWebhooks(admin);
      expect(webhook).toMatchObject({ active: false, consecutiveFailures: 5 });
      const mail = await database().db.selectFrom('mail_outbox').selectAll().where('recipient', '=', admin.email).execute();
      expect(mail.map((message) => message.subject)).toContain('A webhook has been disabled – Local Digital Commons');
      const log = await page(admin, `/webhooks/${webhook?.id}`);
      expect(log.body).toContain('The receiver answered 500');
      const enabled = await submit(admin, `/webhooks/${webhook?.id}/enable`, {});
      expect(enabled.headers.location).toBe(`/webhooks/${webhook?.id}`);
      expect(successBanner((await followRedirect(app, enabled, admin.cookie)).body)).toBe('The webhook is on again');
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
