import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { chromiumPath } from '../browser-global-setup.js';

const require = createRequire(import.meta.url);
// Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern, so tests keep CSP on.
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Debian's Chromium, never a downloaded browser; flags keep it off the network. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!fs.existsSync(executablePath)) {
    throw new Error(`Browser tests need Chromium at ${executablePath}: run "apt-get install chromium", or set CHROMIUM_PATH.`);
  }
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** Listens on a free localhost port and returns the base URL. */
export async function listenOnLocalhost(app: FastifyInstance): Promise<string> {
  return app.listen({ host: '127.0.0.1', port: 0 });
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core (WCAG 2.0–2.2 A and AA rules) on the page and fails the test with every violation named. A page that
 * reloads itself (an import's progress) may be replaced while axe runs: then the page that replaced it is checked.
 */
export async function expectNoAccessibilityViolations(page: Page): Promise<void> {
  let checked: PageInspection | null = null;
  for (let attempt = 1; checked === null; attempt++) {
    try {
      if (foundClean.has(fingerprint(await inspect(page, false)))) return;
      if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
      checked = await inspect(page, true);
    } catch (error) {
      if (attempt >= 3 || !/Execution context was destroyed|navigat/i.test(String(error))) throw error;
      await page.waitForLoadState('load');
    }
  }
  const summary = checked.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact ?? 'unknown'}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
  expect(summary, `axe found problems on ${page.url()}`).toEqual([]);
  foundClean.add(fingerprint(checked));
}

/**
 * Fingerprints of the pages axe has found clean in this test file. axe reads nothing but the document, its styles and
 * the window's size, so a page whose markup, form values and window size match one already checked gets the same
 * answer: a journey walked again (on the other database engine, or by another person) is not checked twice.
 */
const foundClean = new Set<string>();

interface PageInspection {
  /** The window's size, the form fields' values and the markup, with the form tokens (new on every load) taken out. */
  snapshot: string;
  violations: AxeViolation[];
}

function fingerprint(inspection: PageInspection): string {
  return crypto.createHash('sha256').update(inspection.snapshot).digest('hex');
}

/** The page's snapshot and, when asked, what axe finds on it: both from the same document, even if the page reloads. */
async function inspect(page: Page, withAxe: boolean): Promise<PageInspection> {
  return page.evaluate(async (runAxe) => {
    const tokens = new Set(Array.from(document.querySelectorAll<HTMLInputElement>('input[name="_csrf"]'), (input) => input.value));
    let markup = document.documentElement.outerHTML;
    for (const token of tokens) if (token) markup = markup.split(token).join('');
    const fields = Array.from(document.querySelectorAll<HTMLInputElement>('input:not([type="hidden"]), select, textarea'), (field) => [
      field.value,
      field.checked,
    ]);
    const snapshot = JSON.stringify([window.innerWidth, window.innerHeight, window.devicePixelRatio, fields, markup]);
    if (!runAxe) return { snapshot, violations: [] };
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      // Every rule still runs; only the passes are not each described (axe's advice for speed when they go unread).
      resultTypes: ['violations'],
    });
    return { snapshot, violations: result.violations as AxeViolation[] };
  }, withAxe);
}

export interface BrowserApp {
  app: FastifyInstance;
  page: Page;
  baseUrl: string;
}

/**
 * For a browser journey: the production app over the describe block's database, listening on localhost,
 * and one Chromium page; all closed after the block. Call inside a describe (e.g. describeEachEngine).
 */
export function useBrowserApp(build: () => Promise<FastifyInstance>): () => BrowserApp {
  let app: FastifyInstance | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let baseUrl = '';
  beforeAll(async () => {
    app = await build();
    baseUrl = await listenOnLocalhost(app);
    browser = await launchChromium();
    page = await browser.newPage();
    page.setDefaultTimeout(10_000);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  return () => {
    if (!app || !page) throw new Error('the browser app is not ready');
    return { app, page, baseUrl };
  };
}

/** One way a journey is walked: a screen width, and whether the site's own scripts run. */
export interface JourneyScreen {
  width: number;
  height: number;
  siteScripts: boolean;
  /** For test names: "390px without JavaScript". */
  label: string;
}

/**
 * The four ways every acceptance journey is walked: a phone's width and a desktop's, each with the site's scripts and
 * without them (axe still runs without them: it is put in through DevTools, which no page script governs).
 */
export const JOURNEY_SCREENS: readonly JourneyScreen[] = [390, 1280].flatMap((width) =>
  [false, true].map((siteScripts) => ({
    width,
    height: width === 390 ? 844 : 900,
    siteScripts,
    label: `${width}px ${siteScripts ? 'with' : 'without'} JavaScript`,
  })),
);

/**
 * A fresh browser context for one screen (its own cookies), signed in with the session token when one is given;
 * without the site's scripts, every script request is refused, as for a person whose scripts did not load.
 */
export async function journeyContext(
  browser: Browser,
  baseUrl: string,
  screen: JourneyScreen,
  sessionToken?: string,
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: screen.width, height: screen.height } });
  if (!screen.siteScripts) await context.route(/\.js(\?|$)/, (route) => route.abort());
  if (sessionToken) await context.addCookies([{ name: 'commons_session', value: sessionToken, url: baseUrl }]);
  return context;
}

/** The heading of the success banner on the page (what a change confirms), or null when there is none. */
export async function successBannerHeading(page: Page): Promise<string | null> {
  const banner = page.locator('.govuk-notification-banner--success .govuk-notification-banner__heading');
  return (await banner.count()) > 0 ? ((await banner.first().textContent()) ?? '').trim() : null;
}

/**
 * Runs an action that loads a new page, possibly at the same address (a form that redirects back to where it was
 * sent from), and waits until the new page has loaded: waiting for the address alone would find the old page.
 */
export async function loadsNewPage(page: Page, action: () => Promise<unknown>): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { commonsPreviousPage?: boolean }).commonsPreviousPage = true;
  });
  await action();
  const deadline = Date.now() + 20_000;
  for (;;) {
    // While the page changes, its scripting context may be gone for a moment: that is "not yet".
    const previous = await page.evaluate(() => 'commonsPreviousPage' in window).catch(() => true);
    if (!previous) break;
    if (Date.now() > deadline) throw new Error(`no new page loaded after the action on ${page.url()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await page.waitForLoadState('load');
}
