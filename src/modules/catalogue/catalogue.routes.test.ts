import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Services } from '../../app/services.js';
import { CSRF_COOKIE, csrfTokenFor } from '../../platform/http/csrf.js';
import { formBody } from '../../../test/support/authorisation.js';
import { followRedirect, successBanner } from '../../../test/support/flash.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { buildApiToken, buildUser, countAuditEvents, organisationId, startSession } from '../../../test/support/factories.js';
import { buildTestApp, TEST_SECRET } from '../../../test/support/test-app.js';
import { seedCatalogueDemo } from './catalogue.seed.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/publiccode');

describeEachEngine('catalogue pages and API', ({ database }) => {
  let app: FastifyInstance;
  let services: Services;
  let memberCookie: string;
  let csrf: string;
  let memberToken: string;

  beforeAll(async () => {
    ({ app, services } = await buildTestApp(database()));
    await seedCatalogueDemo(services);
    const oxford = await organisationId(database().db, 'E07000178');
    const member = await buildUser(database().db, { organisationId: oxford, name: 'Alex Morgan' });
    const csrfCookie = crypto.randomBytes(32).toString('base64url');
    const session = await startSession(database().db, member.id);
    memberCookie = `commons_session=${session}; ${CSRF_COOKIE}=${csrfCookie}`;
    csrf = csrfTokenFor(TEST_SECRET, csrfCookie, session);
    memberToken = await buildApiToken(database().db, member.id, ['read', 'write']);
  });
  afterAll(async () => {
    await app.close();
  });

  const postForm = (url: string, values: Record<string, string | readonly string[] | undefined>) =>
    app.inject({
      method: 'POST',
      url,
      headers: { cookie: memberCookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody({ ...values, _csrf: csrf }),
    });

  it('searches components through the API, with each one’s count against the 317 councils', async () => {
    const response = await app.inject('/api/v1/components?q=payments');
    expect(response.statusCode).toBe(200);
    const body = response.json<{
      total: number;
      items: { slug: string; name: string; kind: string; adoption: { using: number; councils: number } }[];
    }>();
    expect(body.items[0]).toMatchObject({
      slug: 'gov-uk-pay',
      name: 'GOV.UK Pay',
      kind: 'software',
      adoption: { using: 1, councils: 317 },
    });
    expect(body.total).toBeGreaterThanOrEqual(1);
  });

  it('gives one component with adoption counted against the register, and its declarations', async () => {
    const response = await app.inject('/api/v1/components/localgov-drupal');
    expect(response.statusCode).toBe(200);
    const body = response.json<{
      adoption: Record<string, unknown>;
      declarations: { freshness: string }[];
      stewardship: { maintainingOrganisations: string[] };
    }>();
    // Trafford and Brighton and Hove use it; Leeds's declaration is 14 months old, so it is unconfirmed.
    expect(body.adoption).toMatchObject({ using: 2, councils: 317, unconfirmed: 1, notCounted: 0 });
    expect(body.declarations.map((declaration) => declaration.freshness).sort()).toEqual(['unconfirmed', 'using', 'using']);
    expect(body.stewardship.maintainingOrganisations).toHaveLength(3);
    expect((await app.inject('/api/v1/components/no-such-thing')).statusCode).toBe(404);
  });

  it('downloads lists as CSV', async () => {
    const components = await app.inject('/api/v1/components?format=csv&kind=data-standard');
    expect(components.headers['content-type']).toContain('text/csv');
    expect(components.body.split('\r\n')[0]).toContain('slug,name,kind,summary');
    expect(components.body).toContain('open-referral-uk,Open Referral UK,data-standard');
    const adoptions = await app.inject('/api/v1/components/gov-uk-notify/adoptions?format=csv');
    expect(adoptions.body).toContain('Oxford,E07000178,using,using,true');
    const credits = await app.inject('/api/v1/reuse-credits?format=csv');
    expect(credits.body.split('\r\n')[0]).toBe('organisation,gss_code,published,using,piloting,referent,confirmed,total');
  });

  it('shows the component page with the hex map, a table of the same figures and the stewardship signals', async () => {
    const page = await app.inject('/components/gov-uk-notify');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Used by 2 of 317 English councils');
    expect(page.body).toMatch(/<svg [^>]*role="img"/);
    expect(page.body).toContain('<title>Oxford: Using</title>');
    expect(page.body).toContain('County councils are not on this map');
    expect(page.body).toContain('id="adoption-status-table"');
    expect(page.body).toContain('Maintaining organisations');
    expect(page.body).toContain('Last confirmed by an adopter');
  });

  it('lists, filters and compares components on pages that work without JavaScript', async () => {
    const list = await app.inject('/components?q=planning&kind=software');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('href="/components/bops"');
    expect(list.body).toContain('href="/components/planx"');
    expect(list.body).not.toContain('href="/components/gov-uk-pay"');
    const empty = await app.inject('/components?q=zzzqqq');
    expect(empty.body).toContain('No components match.');
    const compare = await app.inject('/components/compare?slugs=bops&slugs=planx');
    expect(compare.statusCode).toBe(200);
    expect(compare.body).toContain('English councils using it');
    const tooMany = await app.inject('/components/compare?slugs=bops&slugs=planx&slugs=gov-uk-pay&slugs=gov-uk-notify');
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.body).toContain('Choose up to 3 components to compare; you chose 4');
  });

  it('exports a component as publiccode.yml', async () => {
    const response = await app.inject('/components/localgov-drupal/publiccode.yml');
    expect(response.headers['content-type']).toContain('application/yaml');
    expect(response.body).toContain('name: LocalGov Drupal');
    expect(response.body).toContain('license: GPL-2.0-or-later');
    expect(response.body).toContain('- Trafford');
  });

  it('imports uploaded publiccode.yml files, naming the line of a malformed one and saving nothing from it', async () => {
    const boundary = '----commons-test-boundary';
    const part = (name: string) =>
      [
        `--${boundary}`,
        `Content-Disposition: form-data; name="files"; filename="${name}"`,
        'Content-Type: application/x-yaml',
        '',
        fs.readFileSync(path.join(fixtures, name), 'utf8'),
      ].join('\r\n');
    const token = `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`;
    const files = `${part('amsterdam-signals-frontend.publiccode.yml')}\r\n${part('malformed.publiccode.yml')}\r\n--${boundary}--\r\n`;
    const send = (payload: string, url = '/components/import') =>
      app.inject({
        method: 'POST',
        url,
        headers: { cookie: memberCookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload,
      });
    const events = await countAuditEvents(database().db);
    // Refused without the form token first in the body (a token in the address is not read), before anything is saved.
    expect((await send(files)).statusCode).toBe(403);
    expect((await send(files, `/components/import?_csrf=${encodeURIComponent(csrf)}`)).statusCode).toBe(403);
    expect(await countAuditEvents(database().db)).toBe(events);
    const response = await send(token + files);
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('href="/components/signalen-frontend"');
    expect(response.body).toMatch(/\(line \d+, column \d+\)/);
    expect(response.body).toContain('Nothing from this file was saved.');
    expect(await countAuditEvents(database().db)).toBe(events + 1);
  });

  it('publishes a component by form, showing each field’s problem first', async () => {
    const refused = await postForm('/components', { name: '', kind: 'software', summary: '', codeRepositoryUrl: 'ftp://x' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('govuk-error-summary');
    expect(refused.body).toContain('href="#name">Enter the name of the component');
    expect(refused.body).toContain('href="#summary">Enter a one-sentence summary');
    expect(refused.body).toContain('Code repository must be a web address starting with https:// or http://');
    const created = await postForm('/components', {
      name: 'Street works permit clause',
      kind: 'contract-clause',
      summary: 'A model clause for street works permits.',
      description: 'Use **this** clause.',
      hostingOptions: [],
      serviceAreas: 'highways-and-transport',
    });
    expect(created.statusCode).toBe(303);
    expect(created.headers.location).toBe('/components/street-works-permit-clause');
    const page = await app.inject({ url: '/components/street-works-permit-clause', headers: { cookie: memberCookie } });
    expect(page.body).toContain('<strong>this</strong>');
    expect(page.body).toContain('Change this component');
  });

  it('declares adoption by form and the count goes up; errors name the fields', async () => {
    const before = (await app.inject('/api/v1/components/bops')).json<{ adoption: { using: number } }>().adoption.using;
    const refused = await postForm('/components/bops/adoption', {
      status: '',
      'since-day': '31',
      'since-month': '2',
      'since-year': '2025',
      evidenceKind: 'note',
      evidence: '',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('href="#status"');
    expect(refused.body).toContain('href="#since-day">Since must be a real date');
    expect(refused.body).toContain('href="#evidence"');
    const saved = await postForm('/components/bops/adoption', {
      status: 'using',
      'since-day': '1',
      'since-month': '3',
      'since-year': '2025',
      evidenceKind: 'service-url',
      evidence: 'https://planning.example.gov.uk/',
      contactName: 'Alex Morgan',
      contactEmail: 'alex.morgan@oxford.gov.uk',
      contactAgrees: 'yes',
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/components/bops#adoption');
    const landed = await followRedirect(app, saved, memberCookie);
    expect(successBanner(landed.body)).toBe('Oxford’s adoption is recorded as “Using”');
    const after = (await app.inject('/api/v1/components/bops')).json<{ adoption: { using: number } }>().adoption.using;
    expect(after).toBe(before + 1);
  });

  it('shows a person with no organisation how to get access instead of the adoption form', async () => {
    const newcomer = await buildUser(database().db, { organisationId: null });
    const session = await startSession(database().db, newcomer.id);
    const response = await app.inject({ url: '/components/bops/adoption', headers: { cookie: `commons_session=${session}` } });
    expect(response.statusCode).toBe(403);
    expect(response.body).not.toContain('name="status"');
    expect(response.body).toContain('href="/account/join"');
    const component = await app.inject({ url: '/components/bops', headers: { cookie: `commons_session=${session}` } });
    expect(component.body).toContain('Why you cannot declare an adoption, and how to get access');
  });

  it('takes writes through the API with a write token only', async () => {
    const anonymous = await app.inject({ method: 'POST', url: '/api/v1/components/planx/adoption', payload: {} });
    expect(anonymous.statusCode).toBe(401);
    const declared = await app.inject({
      method: 'POST',
      url: '/api/v1/components/planx/adoption',
      headers: { authorization: `Bearer ${memberToken}` },
      payload: {
        status: 'piloting',
        since: '2025-06-01',
        evidenceKind: 'contract-reference',
        evidence: 'OXF-2025-17',
        contactName: 'Alex Morgan',
        contactEmail: 'alex.morgan@oxford.gov.uk',
        contactAgrees: false,
      },
    });
    expect(declared.statusCode).toBe(200);
    expect(declared.json()).toMatchObject({ status: 'piloting', since: '2025-06-01' });
    const imported = await app.inject({
      method: 'POST',
      url: '/api/v1/components/import',
      headers: { authorization: `Bearer ${memberToken}` },
      payload: { fileName: 'malformed.publiccode.yml', yaml: fs.readFileSync(path.join(fixtures, 'malformed.publiccode.yml'), 'utf8') },
    });
    expect(imported.statusCode).toBe(422);
    expect(imported.json<{ status: string; errors: { line: number }[] }>()).toMatchObject({
      status: 'rejected',
      errors: [{ line: expect.any(Number) as number }],
    });
  });

  it('documents every catalogue API write and refuses it to anonymous callers whatever the body', async () => {
    const document = (await app.inject('/api/v1/openapi.json')).json<{ paths: Record<string, Record<string, unknown>> }>();
    const writes = app.registeredRoutes.filter(
      (route) => route.method !== 'GET' && route.method !== 'HEAD' && route.url.startsWith('/api/v1/components'),
    );
    expect(writes).toHaveLength(5);
    for (const route of writes) {
      expect(document.paths[route.url.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()], route.url).toBeDefined();
      const response = await app.inject({ method: route.method as 'POST', url: route.url.replace(':slug', 'bops'), payload: {} });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });

  it('publishes the rules of reuse credits with the scores, and documents the API', async () => {
    const credits = await app.inject('/components/reuse-credits');
    expect(credits.statusCode).toBe(200);
    expect(credits.body).toContain('How credits are worked out');
    expect(credits.body).toContain('Devon');
    const devon = await app.inject('/components/reuse-credits/E10000008');
    expect(devon.body).toContain('reuse credits');
    const openapi = await app.inject('/api/v1/openapi.json');
    expect(openapi.statusCode, openapi.body.slice(0, 500)).toBe(200);
    const paths = Object.keys(openapi.json<{ paths: Record<string, unknown> }>().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/components', '/api/v1/components/{slug}', '/api/v1/components/import']));
  });
});
