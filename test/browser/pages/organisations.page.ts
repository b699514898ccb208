import type { Page } from 'playwright-core';
import { expectNoAccessibilityViolations } from '../../support/browser.js';

/** The register list page, as a person uses it. */
export class OrganisationsListPage {
  constructor(private readonly page: Page) {}

  async filter(options: { nation?: string; kind?: string; status?: 'current' | 'former' | ''; name?: string }): Promise<void> {
    if (options.name !== undefined) await this.page.getByLabel('Name or GSS code', { exact: true }).fill(options.name);
    if (options.nation) await this.page.getByLabel('Nation', { exact: true }).selectOption({ label: options.nation });
    if (options.kind) await this.page.getByLabel('Kind of organisation', { exact: true }).selectOption({ label: options.kind });
    if (options.status !== undefined) {
      const label = options.status === 'current' ? 'Current' : options.status === 'former' ? 'Former' : 'Current and former';
      await this.page.getByRole('radio', { name: label, exact: true }).check();
    }
    await Promise.all([this.page.waitForURL(/\/organisations\?/), this.page.getByRole('button', { name: 'Apply filters' }).click()]);
    await expectNoAccessibilityViolations(this.page);
  }

  resultCount(): Promise<string> {
    return this.page.locator('#result-count').innerText();
  }

  async open(name: string): Promise<OrganisationPage> {
    await Promise.all([this.page.waitForURL(/\/organisations\/[^?]+$/), this.page.getByRole('link', { name, exact: true }).click()]);
    await expectNoAccessibilityViolations(this.page);
    return new OrganisationPage(this.page);
  }
}

/** One organisation's page: its summary, and its hub of cards (spending, components, ways in for its people, …). */
export class OrganisationPage {
  constructor(private readonly page: Page) {}

  /** Opens the page of the organisation with this GSS code (or slug). */
  async open(baseUrl: string, code: string): Promise<this> {
    await this.page.goto(`${baseUrl}/organisations/${code}`);
    await expectNoAccessibilityViolations(this.page);
    return this;
  }

  /** What one hub card says (its id: `spend`, `ways-in`, …), as text. */
  cardText(card: string): Promise<string> {
    return this.page.locator(`[data-hub-card="${card}"]`).innerText();
  }

  /** Follows a link among a hub card's actions, to the page it leads to. */
  async followCardAction(card: string, text: string, url: RegExp): Promise<void> {
    await Promise.all([
      this.page.waitForURL(url),
      this.page.locator(`[data-hub-card="${card}"] .govuk-summary-card__actions`).getByRole('link', { name: text }).click(),
    ]);
    await expectNoAccessibilityViolations(this.page);
  }

  heading(): Promise<string> {
    return this.page.getByRole('heading', { level: 1 }).innerText();
  }

  summaryValue(key: string): Promise<string> {
    return this.page
      .locator('.govuk-summary-list__row', { has: this.page.locator('dt', { hasText: key }) })
      .locator('dd')
      .innerText();
  }

  async followSuccessor(name: string): Promise<OrganisationPage> {
    await Promise.all([
      this.page.waitForURL(/\/organisations\//),
      this.page.locator('.govuk-inset-text').getByRole('link', { name }).click(),
    ]);
    await expectNoAccessibilityViolations(this.page);
    return this;
  }
}
