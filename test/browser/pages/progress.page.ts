import type { Page } from 'playwright-core';
import { expectNoAccessibilityViolations } from '../../support/browser.js';

/** The progress pages a journey drives: each step follows a link or sends a form, then checks the page with axe. */
export class ProgressPages {
  /** A platform admin's session, for the journeys that need one. */
  adminSession = '';

  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(path: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}${path}`);
    await expectNoAccessibilityViolations(this.page);
  }

  /** Follows a link by its accessible name (the first when several match). */
  async follow(name: string | RegExp): Promise<void> {
    await this.page.getByRole('link', { name }).first().click();
    await this.page.waitForLoadState('load');
    await expectNoAccessibilityViolations(this.page);
  }

  heading(): Promise<string> {
    return this.page.locator('h1').innerText();
  }

  path(): string {
    return new URL(this.page.url()).pathname + new URL(this.page.url()).search;
  }

  /** The accessible name of the target chart (its SVG's title). */
  chartTitle(): Promise<string | null> {
    return this.page.locator('svg[role="img"] title').first().textContent();
  }

  tableHeaders(caption: string): Promise<string[]> {
    return this.page
      .locator('table', { has: this.page.locator('caption', { hasText: caption }) })
      .locator('thead th')
      .allInnerTexts();
  }

  async declareChiefExecutives(values: { value: string; asOf: string; source: string }): Promise<string> {
    await this.page.fill('#value', values.value);
    await this.page.fill('#asOf', values.asOf);
    await this.page.fill('#source', values.source);
    await this.page.getByRole('button', { name: 'Declare the figure' }).click();
    await expectNoAccessibilityViolations(this.page);
    return this.page.locator('.govuk-notification-banner__heading').innerText();
  }
}
