import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDemoContent } from '../../src/app/seed.js';
import type { Services } from '../../src/app/services.js';
import { createLogger } from '../../src/platform/logging.js';
import { expectNoAccessibilityViolations, launchChromium, listenOnLocalhost } from '../support/browser.js';
import { describeEachEngine } from '../support/engines.js';
import { startSession } from '../support/factories.js';
import { buildTestApp, fixedClock } from '../support/test-app.js';

/** Pages fetched per persona, at most (links are followed breadth first, so the main pages come first). */
const MAX_PAGES = 160;
/** Addresses fetched per route pattern (a pattern is the path with its ids and codes taken out). */
const PER_PATTERN = 2;
/** Route patterns checked with axe per persona, at 1,280 px; the first person to reach a pattern also checks it at 390 px. */
const MAX_AXE_PATTERNS = 30;

const PERSONAS = [
  { name: 'anonymous', email: null },
  { name: 'member', email: 'alex.morgan@oxford.gov.uk' },
  { name: 'admin', email: 'admin@institute.example' },
] as const;

/**
 * Payments kept of each demo spending file. The crawler needs every kind of page, not every payment: the first thousand
 * of each of the four real files make the same pages, while importing all 30,000 took most of the crawler's set-up
 * (spend.service.test.ts imports these files whole, on both engines).
 */
const DEMO_PAYMENTS_PER_FILE = 1_000;

/** The app's services, but each spending file imported is cut to its first lines first (as bytes: any encoding). */
function withShortSpendFiles(services: Services): Services {
  const importSpendFile: Services['spendService']['importSpendFile'] = async (input) => {
    if (!input.path) return services.spendService.importSpendFile(input);
    const bytes = fs.readFileSync(input.path);
    let end = -1;
    for (let line = 0; line <= DEMO_PAYMENTS_PER_FILE; line++) {
      end = bytes.indexOf(0x0a, end + 1);
      if (end === -1) break;
    }
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-crawler-spend-'));
    try {
      const shortFile = path.join(folder, path.basename(input.path));
      fs.writeFileSync(shortFile, end === -1 ? bytes : bytes.subarray(0, end + 1));
      return await services.spendService.importSpendFile({ ...input, path: shortFile });
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  };
  return { ...services, spendService: { ...services.spendService, importSpendFile } };
}

/** The route pattern of an address: numbers, council codes and the query's values taken out. */
function patternOf(url: URL): string {
  const path = url.pathname
    .split('/')
    .map((segment) => (/^\d+$/.test(segment) ? ':id' : /^[EWSN]\d{8}$/.test(segment) ? ':code' : segment))
    .join('/');
  const keys = [...new Set(url.searchParams.keys())].filter((key) => key !== 'page').sort();
  return keys.length > 0 ? `${path}?${keys.join('&')}` : path;
}

/** Links this crawler follows: this site's pages, not downloads, the API, sign-out or files. */
function followable(href: string, base: string): URL | null {
  if (!href.startsWith('/') || href.startsWith('//')) return null;
  const url = new URL(href, base);
  url.hash = '';
  if (/^\/(api|assets|static)\//.test(url.pathname) || url.pathname === '/api/v1/openapi.json') return null;
  if (/\/(sign-out|download|feed|atom)\b|\.(csv|json|xml|atom|xlsx|ods|zip)$/.test(url.pathname)) return null;
  if (url.searchParams.get('format')) return null;
  return url;
}

describeEachEngine('crawler: every internal link from the home page, as the public, a member and an admin', ({ database }) => {
  let app: FastifyInstance;
  let browser: Browser;
  let baseUrl: string;
  let filesDirectory: string;

  beforeAll(async () => {
    filesDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-crawler-'));
    const built = await buildTestApp(database(), fixedClock, { filesDirectory });
    app = built.app;
    await seedDemoContent(withShortSpendFiles(built.services), createLogger('silent'));
    baseUrl = await listenOnLocalhost(app);
    browser = await launchChromium();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (filesDirectory) fs.rmSync(filesDirectory, { recursive: true, force: true });
  });

  const checkedAtPhoneWidth = new Set<string>();

  /** Opens each address in a window of the given width, as the person of the session cookie, and runs axe on it. */
  async function checkWithAxe(cookie: string, width: number, addresses: string[]): Promise<void> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    if (cookie) await context.addCookies([{ name: 'commons_session', value: cookie.split('=')[1] ?? '', url: baseUrl }]);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    for (const address of addresses) {
      await page.goto(`${baseUrl}${address}`);
      await expectNoAccessibilityViolations(page);
    }
    await context.close();
  }

  for (const persona of PERSONAS) {
    it(`as ${persona.name}: no 5xx, no dead end, no axe violation`, async () => {
      let cookie = '';
      if (persona.email) {
        const user = await database().db.selectFrom('users').select('id').where('email', '=', persona.email).executeTakeFirstOrThrow();
        cookie = `commons_session=${await startSession(database().db, user.id)}`;
      }
      const queue: URL[] = [new URL('/', baseUrl)];
      const seen = new Set<string>(['/']);
      const perPattern = new Map<string, number>();
      const axePages: { pattern: string; url: string }[] = [];
      const serverErrors: string[] = [];
      const deadEnds: string[] = [];
      const tokensInAddresses: string[] = [];
      let fetched = 0;

      while (queue.length > 0 && fetched < MAX_PAGES) {
        const url = queue.shift() as URL;
        const pattern = patternOf(url);
        if ((perPattern.get(pattern) ?? 0) >= PER_PATTERN) continue;
        perPattern.set(pattern, (perPattern.get(pattern) ?? 0) + 1);
        fetched += 1;
        const address = url.pathname + url.search;
        const response = await app.inject({ url: address, headers: cookie ? { cookie } : {} });
        if (response.statusCode >= 500) serverErrors.push(`${address}: ${response.statusCode}`);
        const location = response.headers.location;
        if (response.statusCode >= 300 && response.statusCode < 400 && typeof location === 'string') {
          const next = followable(location, baseUrl);
          if (next && !seen.has(next.pathname + next.search)) {
            seen.add(next.pathname + next.search);
            queue.push(next);
          }
          continue;
        }
        if (!String(response.headers['content-type']).startsWith('text/html')) continue;
        const main = /<main[\s\S]*<\/main>/.exec(response.body)?.[0] ?? '';
        const hasWayBack =
          response.body.includes('govuk-breadcrumbs') || response.body.includes('govuk-back-link') || /<a [^>]*href=/.test(main);
        if (!hasWayBack) deadEnds.push(address);
        if (/<form[^>]*action="[^"]*_csrf/.test(response.body)) tokensInAddresses.push(address);
        if (response.statusCode === 200 && !axePages.some((page) => page.pattern === pattern) && axePages.length < MAX_AXE_PATTERNS)
          axePages.push({ pattern, url: address });
        for (const match of response.body.matchAll(/<a [^>]*href="([^"]+)"/g)) {
          const next = followable((match[1] ?? '').replace(/&amp;/g, '&'), baseUrl);
          if (!next) continue;
          const key = next.pathname + next.search;
          if (seen.has(key)) continue;
          seen.add(key);
          queue.push(next);
        }
      }

      expect.soft(serverErrors, `server errors as ${persona.name}`).toEqual([]);
      expect.soft(deadEnds, `pages with no way back as ${persona.name}`).toEqual([]);
      expect.soft(tokensInAddresses, `pages whose forms put the form token in the address as ${persona.name}`).toEqual([]);
      expect(fetched).toBeGreaterThan(20);

      const atPhoneWidth = axePages.filter((entry) => !checkedAtPhoneWidth.has(entry.pattern));
      for (const entry of atPhoneWidth) checkedAtPhoneWidth.add(entry.pattern);
      await checkWithAxe(
        cookie,
        1280,
        axePages.map((entry) => entry.url),
      );
      await checkWithAxe(
        cookie,
        390,
        atPhoneWidth.map((entry) => entry.url),
      );
    }, 900_000);
  }
});
