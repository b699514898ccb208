import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/engines.js';
import { buildTestApp } from '../../test/support/test-app.js';

describeEachEngine('the site', ({ database, engine }) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await buildTestApp(database()));
  });
  afterAll(async () => {
    await app.close();
  });

  it('reports health with the engine in use', async () => {
    const response = await app.inject('/healthz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', database: engine });
  });

  it('serves the home page with the denominator and every module', async () => {
    const response = await app.inject('/');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('the 317 councils in England');
    expect(response.body).toContain('<a class="govuk-link" href="/progress">Progress</a>');
    expect(response.body).toContain('href="#main-content"');
  });

  it('is a sector service: no crown, Royal Arms or Crown copyright; the footer credits the contributors and the MIT licence', async () => {
    const response = await app.inject('/');
    expect(response.body).not.toMatch(/crown|royal arms|govuk-footer__copyright-logo|govuk-logo|govuk-icon|favicon\.ico/i);
    expect(response.body).toContain('href="/static/favicon.svg"');
    expect(response.body).toContain('Made by the Local Digital Commons contributors');
    expect(response.body).toMatch(/<a class="govuk-footer__link" href="\/licence" rel="license">MIT licence<\/a>/);
    expect(response.body).toContain('href="/feedback"');
    const licence = await app.inject('/licence');
    expect(licence.statusCode).toBe(200);
    expect(licence.body).toContain('Copyright (c) Local Digital Commons contributors');
  });

  it('has a complete accessibility statement', async () => {
    const response = await app.inject('/accessibility');
    expect(response.statusCode).toBe(200);
    for (const part of [
      'Web Content Accessibility Guidelines version 2.2',
      'partially compliant',
      'id="known-issues"',
      'id="contact"',
      'href="/feedback"',
      'Equality and Human Rights Commission (EHRC)',
      'Equality Advisory and Support Service (EASS)',
      'id="compliance-status"',
      'id="testing"',
      'axe-core',
    ])
      expect(response.body).toContain(part);
  });

  it('sends security headers and a Content-Security-Policy without unsafe-inline', async () => {
    const response = await app.inject('/');
    const policy = String(response.headers['content-security-policy']);
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    // The page's only inline script is allowed by its hash, and every other script is a file of this site.
    const inlineScripts = [...response.body.matchAll(/<script>([^<]*)<\/script>/g)].map((match) => match[1] ?? '');
    expect(inlineScripts).toHaveLength(1);
    const hash = crypto
      .createHash('sha256')
      .update(inlineScripts[0] ?? '')
      .digest('base64');
    expect(policy).toContain(`script-src 'self' 'sha256-${hash}'`);
    expect([...response.body.matchAll(/<script [^>]*src="([^"]+)"/g)].map((match) => match[1])).toEqual([
      expect.stringMatching(/^\/assets\/govuk-frontend\.min\.js\?v=/),
      expect.stringMatching(/^\/static\/init\.js\?v=/),
    ]);
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('declares the bearer-token scheme on every API route: required for writes, optional for reads', async () => {
    const document = (await app.inject('/api/v1/openapi.json')).json<{
      components: { securitySchemes: Record<string, { type: string; scheme: string }> };
      paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
    }>();
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const operations = Object.entries(document.paths)
      .filter(([url]) => url.startsWith('/api/v1/'))
      .flatMap(([url, methods]) => Object.entries(methods).map(([method, operation]) => ({ url, method, security: operation.security })));
    expect(operations.filter((operation) => operation.method !== 'get').length).toBeGreaterThan(0);
    for (const { url, method, security } of operations) {
      const expected = method === 'get' ? [{}, { bearerAuth: [] }] : [{ bearerAuth: [] }];
      expect(security, `${method} ${url}`).toEqual(expected);
    }
  });

  it('serves GOV.UK assets with long-lived cache headers', async () => {
    for (const url of ['/assets/govuk-frontend.min.css', '/assets/fonts/bold-b542beb274-v2.woff2', '/static/commons.css']) {
      const response = await app.inject(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['cache-control'], url).toContain('max-age=31536000');
    }
    expect((await app.inject('/assets/index.scss')).statusCode).toBe(404);
  });

  it('publishes an OpenAPI 3.1 document generated from the routes', async () => {
    const response = await app.inject('/api/v1/openapi.json');
    const document = response.json<{ openapi: string; paths: Record<string, { get?: { parameters?: { name: string }[] } }> }>();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v1/organisations', '/api/v1/organisations/{code}', '/healthz']),
    );
    expect(document.paths['/api/v1/organisations']?.get?.parameters?.map((parameter) => parameter.name)).toEqual(
      expect.arrayContaining(['q', 'nation', 'kind', 'current', 'page', 'pageSize', 'format']),
    );
    expect(Object.keys(document.paths).some((path) => !path.startsWith('/api/') && path !== '/healthz')).toBe(false);
  });

  it('shows a readable API page built from the same document', async () => {
    const response = await app.inject('/api');
    expect(response.body).toContain('GET /api/v1/organisations/{code}');
    expect(response.body).toContain('<code>pageSize</code>');
  });

  it('shares a public page between anonymous readers, and not with signed-in ones', async () => {
    const first = await app.inject('/organisations?nation=Wales');
    const second = await app.inject('/organisations?nation=Wales');
    expect(first.headers['x-cache']).toBeUndefined();
    expect(second.headers['x-cache']).toBe('hit');
    expect(second.body).toBe(first.body);
    expect(second.headers['content-security-policy']).toBe(first.headers['content-security-policy']);
    const personal = await app.inject({ url: '/organisations?nation=Wales', headers: { cookie: 'commons_session=abc' } });
    expect(personal.headers['x-cache']).toBeUndefined();
  });

  it('never caches an error answer', async () => {
    await app.inject('/api/v1/organisations/E99999999');
    const again = await app.inject('/api/v1/organisations/E99999999');
    expect(again.statusCode).toBe(404);
    expect(again.headers['x-cache']).toBeUndefined();
  });

  it('serves the progress dashboard now that it is built, not the coming-soon page', async () => {
    const response = await app.inject('/progress');
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('This part of Local Digital Commons is not built yet.');
    expect(response.body).toContain('Progress towards the 2030 targets');
  });
});
