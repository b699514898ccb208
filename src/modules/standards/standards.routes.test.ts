import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Services } from '../../app/services.js';
import { CSRF_COOKIE, csrfTokenFor } from '../../platform/http/csrf.js';
import { formBody } from '../../../test/support/authorisation.js';
import { followRedirect, successBanner } from '../../../test/support/flash.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { buildUser, organisationId, startSession } from '../../../test/support/factories.js';
import { buildTestApp, TEST_SECRET, TEST_TODAY } from '../../../test/support/test-app.js';
import { seedCatalogueDemo } from '../catalogue/index.js';
import { seedStandardsDemo } from './standards.seed.js';

describeEachEngine('standards pages and API', ({ database }) => {
  let app: FastifyInstance;
  let services: Services;

  beforeAll(async () => {
    ({ app, services } = await buildTestApp(database()));
    await seedStandardsDemo(services, TEST_TODAY.toISOString().slice(0, 10));
    await seedCatalogueDemo(services);
  });
  afterAll(async () => {
    await app.close();
  });

  const postForm = async (userId: number, url: string, body: Record<string, string>) => {
    const csrf = crypto.randomBytes(32).toString('base64url');
    const session = await startSession(database().db, userId);
    return app.inject({
      method: 'POST',
      url,
      headers: {
        cookie: `${CSRF_COOKIE}=${csrf}; commons_session=${session}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: formBody({ ...body, _csrf: csrfTokenFor(TEST_SECRET, csrf, session) }),
    });
  };

  it('lists the seeded standards with the points of their current version', async () => {
    const response = await app.inject('/api/v1/standards');
    expect(response.statusCode).toBe(200);
    const body = response.json<{ items: { slug: string; currentVersion: number; points: { number: number; title: string }[] }[] }>();
    const local = body.items.find((item) => item.slug === 'local-service-standard');
    expect(local?.currentVersion).toBe(1);
    expect(local?.points).toHaveLength(15);
    expect(local?.points[0]).toMatchObject({ number: 1, title: 'Know who uses the service and what they need' });
    expect(body.items.map((item) => item.slug)).toEqual(expect.arrayContaining(['data-sharing-readiness', 'accessibility']));
  });

  it('answers adoption as the interface promises, with counts that add up', async () => {
    const response = await app.inject('/api/v1/standards/local-service-standard/adoption');
    expect(response.statusCode).toBe(200);
    const body = response.json<{
      councils: number;
      meeting: number;
      peerReviewed: number;
      audited: number;
      selfAssessed: number;
      percentage: number;
      byRegion: Record<string, { councils: number; meeting: number }>;
    }>();
    expect(body.councils).toBe(317);
    expect(body.meeting).toBeGreaterThan(0);
    expect(body.selfAssessed + body.peerReviewed + body.audited).toBe(body.meeting);
    expect(body.percentage).toBeCloseTo((body.meeting / 317) * 100, 1);
    expect(Object.values(body.byRegion).reduce((sum, region) => sum + region.meeting, 0)).toBe(body.meeting);
  });

  it('downloads each dashboard table as CSV and JSON', async () => {
    const csv = await app.inject('/api/v1/standards/accessibility/adoption/councils?format=csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('gss_code,name,region,council_type,council_type_name,status,basis,decided_on');
    expect(lines).toHaveLength(318);
    const regions = await app.inject('/api/v1/standards/accessibility/adoption/regions');
    expect(regions.json<{ items: { region: string }[] }>().items.map((item) => item.region)).toContain('London');
    expect((await app.inject('/api/v1/standards/accessibility/adoption/quarters?format=csv')).body).toMatch(
      /^quarter,on_date,councils,meeting,percentage/,
    );
  });

  it('shows the dashboard with the chart, the hex map and tables beside them', async () => {
    const response = await app.inject('/standards/local-service-standard/adoption');
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(/English councils meet it/);
    expect(response.body).toContain('role="img" aria-labelledby="adoption-chart-title adoption-chart-desc"');
    expect(response.body).toContain('aria-labelledby="adoption-map-title adoption-map-description"');
    expect(response.body).toContain('Share meeting the standard at the end of each quarter');
    expect(response.body).toContain('Councils that have been abolished do not count');
  });

  it('answers an unknown standard with a 404', async () => {
    expect((await app.inject('/api/v1/standards/no-such-standard/adoption')).statusCode).toBe(404);
    expect((await app.inject('/standards/no-such-standard')).statusCode).toBe(404);
  });

  it('names each field that is wrong when an assessment is submitted incomplete', async () => {
    const oxford = await organisationId(database().db, 'E07000178');
    const person = await buildUser(database().db, { organisationId: oxford });
    const started = await postForm(person.id, '/standards/data-sharing-readiness/assessments', { serviceName: 'Housing data' });
    expect(started.statusCode).toBe(303);
    const location = String(started.headers.location);
    expect(location).toMatch(/^\/standards\/assessments\/\d+\/self-assessment$/);
    const response = await postForm(person.id, location, { intent: 'complete', 'rating-1': 'not-applicable', 'links-2': 'ftp://nope' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('There is a problem');
    expect(response.body).toContain('href="#commentary-1"');
    expect(response.body).toContain('Say why point 1, Know the purpose and the lawful basis, does not apply');
    expect(response.body).toContain('href="#links-2"');
    expect(response.body).toContain('href="#rating-3"');
    // What was typed is kept.
    expect(response.body).toContain('ftp://nope');
    // Saving without submitting lands back on the form, saying what happened (no ?saved=1 in the address).
    const saved = await postForm(person.id, location, { intent: 'save', 'rating-1': 'met', 'commentary-1': 'Purpose written down' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(location);
    const session = await startSession(database().db, person.id);
    const landed = await followRedirect(app, saved, `commons_session=${session}`);
    expect(successBanner(landed.body)).toBe('Your ratings are saved');
  });

  it('lists every council on a paginated, filterable page', async () => {
    const all = await app.inject('/standards/accessibility/adoption/councils');
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('Showing 1 to 50 of <strong>317</strong> councils');
    expect(all.body).toContain('govuk-pagination');
    const london = await app.inject('/standards/accessibility/adoption/councils?status=&region=London');
    expect(london.body).toContain('of <strong>33</strong> councils');
    const nothing = await app.inject('/standards/accessibility/adoption/councils?status=met&region=Nowhere');
    expect(nothing.body).toContain('No councils match these filters.');
  });

  it('keeps consultation comments and the owner’s answers with the version they were about', async () => {
    const db = database().db;
    const owner = await organisationId(db, 'E08000035');
    const admin = await buildUser(db, { organisationId: owner, role: 'organisation-admin' });
    const commenter = await buildUser(db, { organisationId: await organisationId(db, 'E08000009'), name: 'Chris O’Neill' });
    await services.standardsService.createStandard(null, {
      slug: 'routes-consultation',
      title: 'Consultation test',
      purpose: 'Testing comments',
      ownerOrganisationId: owner,
      points: [{ title: 'Only point', meaning: 'M', whyItMatters: 'W', howToMeet: 'H', evidenceGuidance: 'E' }],
    });
    expect((await app.inject('/standards/routes-consultation')).statusCode).toBe(404);
    expect((await postForm(admin.id, '/standards/routes-consultation/versions/1/status', { status: 'consultation' })).statusCode).toBe(303);

    const empty = await postForm(commenter.id, '/standards/routes-consultation/versions/1/points/1/comments', { comment: ' ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('href="#comment-1"');
    expect(
      (await postForm(commenter.id, '/standards/routes-consultation/versions/1/points/1/comments', { comment: 'Say who checks it.' }))
        .statusCode,
    ).toBe(303);
    const comment = await db
      .selectFrom('standard_point_comments')
      .select('id')
      .where('body', '=', 'Say who checks it.')
      .executeTakeFirstOrThrow();
    expect((await postForm(commenter.id, `/standards/comments/${comment.id}/answer`, { answer: 'No' })).statusCode).toBe(403);
    expect((await postForm(admin.id, `/standards/comments/${comment.id}/answer`, { answer: 'Agreed: added to point 1.' })).statusCode).toBe(
      303,
    );
    expect((await postForm(admin.id, '/standards/routes-consultation/versions/1/status', { status: 'published' })).statusCode).toBe(303);

    const published = await app.inject('/standards/routes-consultation?version=1');
    expect(published.body).toContain('Say who checks it.');
    expect(published.body).toContain('Agreed: added to point 1.');
    expect(published.body).not.toContain('Your comment on point 1');
    // Comments close once a version is published.
    expect(
      (await postForm(commenter.id, '/standards/routes-consultation/versions/1/points/1/comments', { comment: 'Late' })).statusCode,
    ).toBe(409);

    expect((await postForm(admin.id, '/standards/routes-consultation/retire', {})).statusCode).toBe(303);
    const started = await postForm(commenter.id, '/standards/routes-consultation/assessments', { serviceName: '' });
    expect(started.statusCode).toBe(409);
  });

  it('lists the components declared against a standard’s points', async () => {
    await expect(
      services.standardsService.declareComponentPoint(null, {
        componentSlug: 'no-such-thing',
        standardSlug: 'accessibility',
        pointNumber: 4,
        note: '',
      }),
    ).rejects.toThrow(/no component called no-such-thing/);
    await services.standardsService.declareComponentPoint(null, {
      componentSlug: 'localgov-drupal',
      standardSlug: 'accessibility',
      pointNumber: 4,
      note: 'Runs automated checks on every change',
    });
    const response = await app.inject('/api/v1/standards/accessibility/components');
    expect(response.json()).toEqual({
      items: [{ componentSlug: 'localgov-drupal', pointNumber: 4, note: 'Runs automated checks on every change' }],
    });
  });

  it('lets a component’s people say which point it helps meet, and refuses an unknown component by field', async () => {
    const db = database().db;
    const admin = await buildUser(db, { organisationId: await organisationId(db, 'E07000178'), role: 'platform-admin' });
    const unknown = await postForm(admin.id, '/standards/data-sharing-readiness/components', {
      component: 'no-such-thing',
      point: '4',
      note: '',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('href="#component"');
    expect(unknown.body).toContain('There is no component called no-such-thing in the catalogue');
    const declared = await postForm(admin.id, '/standards/data-sharing-readiness/components', {
      component: 'localgov-drupal',
      point: '7',
      note: 'Publishes privacy notices',
    });
    expect(declared.statusCode).toBe(303);
    const page = await app.inject('/standards/data-sharing-readiness');
    expect(page.body).toContain('href="/components/localgov-drupal"');
  });
});
