import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium, type Page } from 'playwright-core';
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

/** Runs axe-core (WCAG 2.0–2.2 A and AA rules) on the page and fails the test with every violation named. */
export async function expectNoAccessibilityViolations(page: Page): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return result.violations;
  });
  const summary = (violations as AxeViolation[]).map(
    (violation) =>
      `${violation.id} (${violation.impact ?? 'unknown'}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
  expect(summary, `axe found problems on ${page.url()}`).toEqual([]);
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
