import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHORISATION_CASES } from './authorisation-cases.js';
import { buildMatrixWorld, type MatrixWorld, outcomeOf, PERSONAS, sendAs } from './support/authorisation.js';
import { describeEachEngine } from './support/engines.js';
import { countAuditEvents } from './support/factories.js';
import { buildTestApp } from './support/test-app.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

describeEachEngine('the authorisation matrix', ({ database }) => {
  let app: FastifyInstance;
  let world: MatrixWorld;

  beforeAll(async () => {
    ({ app } = await buildTestApp(database()));
    world = await buildMatrixWorld(database().db);
  });
  afterAll(async () => {
    await app.close();
  });

  it('has a case for every state-changing route, and no case for a route that does not exist', () => {
    const routes = app.registeredRoutes.filter((route) => STATE_CHANGING.has(route.method)).map((route) => `${route.method} ${route.url}`);
    const covered = AUTHORISATION_CASES.map((entry) => entry.route);
    expect(
      routes.filter((route) => !covered.includes(route)),
      'state-changing routes with no authorisation case',
    ).toEqual([]);
    expect(
      covered.filter((route) => !routes.includes(route)),
      'cases for routes that are not registered',
    ).toEqual([]);
  });

  it('documents every API write in the OpenAPI document and refuses it to anonymous callers', async () => {
    const document = (await app.inject('/api/v1/openapi.json')).json<{ paths: Record<string, Record<string, unknown>> }>();
    // A route the matrix declares open to anonymous callers (a checker that saves nothing) is documented but not refused.
    const openToAnyone = new Set(AUTHORISATION_CASES.filter((entry) => entry.expect.anonymous !== 'refused').map((entry) => entry.route));
    const writes = app.registeredRoutes.filter((route) => STATE_CHANGING.has(route.method) && route.url.startsWith('/api/'));
    for (const route of writes) {
      const documentedPath = route.url.replace(/:(\w+)/g, '{$1}');
      expect(
        document.paths[documentedPath]?.[route.method.toLowerCase()],
        `${route.method} ${route.url} in the OpenAPI document`,
      ).toBeDefined();
      if (openToAnyone.has(`${route.method} ${route.url}`)) continue;
      const response = await app.inject({ method: route.method as 'POST', url: route.url.replace(/:(\w+)/g, '1'), payload: {} });
      expect([401, 403], `${route.method} ${route.url} as anonymous answered ${response.statusCode}`).toContain(response.statusCode);
    }
  });

  for (const entry of AUTHORISATION_CASES) {
    describe(entry.scenario ? `${entry.route} (${entry.scenario})` : entry.route, () => {
      for (const persona of PERSONAS) {
        const expected = entry.expect[persona];
        it(`${persona}: ${String(expected)}, with one audit event exactly when allowed`, async () => {
          const request = await entry.prepare(world, persona);
          const before = await countAuditEvents(world.db);
          const response = await sendAs(app, world, persona, entry.kind, entry.route.split(' ')[0] ?? 'POST', request);
          expect(outcomeOf(response), `${entry.route} as ${persona} answered ${response.statusCode} ${response.body.slice(0, 300)}`).toBe(
            expected,
          );
          expect(await countAuditEvents(world.db)).toBe(before + (outcomeOf(response) === 'allowed' ? 1 : 0));
        });
      }
    });
  }
});
