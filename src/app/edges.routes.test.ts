import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/engines.js';
import { buildTestApp } from '../../test/support/test-app.js';

describeEachEngine('errors and edges across every module', ({ database }) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await buildTestApp(database()));
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers every page whose address holds a malformed id with the 404 page, never a validation message', async () => {
    const pages = app.registeredRoutes.filter((route) => route.method === 'GET' && /:id\b|:[a-zA-Z]+Id\b/.test(route.url));
    expect(pages.length).toBeGreaterThan(20);
    const wrong: string[] = [];
    for (const route of pages) {
      for (const malformed of ['abc', '1.5', '0', '99999999999']) {
        const url = route.url.replace(/:(id|[a-zA-Z]+Id)\b/g, malformed).replace(/:[a-zA-Z]+/g, 'x');
        const response = await app.inject(url);
        const isPage = !route.url.startsWith('/api/');
        if (response.statusCode !== 404 || (isPage && !response.body.includes('Page not found')))
          wrong.push(`${url}: ${response.statusCode} ${response.body.slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('says a page past the end of a list holds nothing, and links to the last page', async () => {
    const response = await app.inject('/organisations?page=999');
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toMatch(/Showing [\d,]+ to [\d,]+ of/);
    const match =
      /There is nothing on page 999: the ([\d,]+) organisations fill (\d+) pages\. <a class="govuk-link" href="\/organisations\?page=(\d+)">Go to the last page<\/a>/.exec(
        response.body,
      );
    expect(match).not.toBeNull();
    expect(match?.[3]).toBe(match?.[2]);
    const last = await app.inject(`/organisations?page=${match?.[3] ?? ''}`);
    expect(last.body).toMatch(/Showing [\d,]+ to [\d,]+ of <strong>[\d,]+<\/strong> organisations/);
    const filtered = await app.inject('/challenges?page=50&q=zzzz-nothing');
    expect(filtered.body).toContain('No challenges match these filters.');
  });
});
