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
    expect(response.body).toContain('Coming soon');
    expect(response.body).toContain('href="#main-content"');
  });

  it('sends security headers and a nonce-based Content-Security-Policy without unsafe-inline', async () => {
    const response = await app.inject('/');
    const policy = String(response.headers['content-security-policy']);
    expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    expect(response.body).toContain(`nonce="${nonce}"`);
    expect(response.headers['set-cookie']).toBeUndefined();
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

  it('marks modules not built yet as coming soon', async () => {
    const response = await app.inject('/spend');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('This part of Local Digital Commons is not built yet.');
  });
});
