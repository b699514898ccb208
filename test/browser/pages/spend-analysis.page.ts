import type { Page } from 'playwright-core';
import { expectNoAccessibilityViolations } from '../../support/browser.js';

/** The spend front page and supplier search, as a person uses them. */
export class SpendSearchPage {
  constructor(private readonly page: Page) {}

  async searchSupplier(text: string): Promise<void> {
    await this.page.getByRole('searchbox', { name: 'Search suppliers' }).fill(text);
    await Promise.all([
      this.page.waitForURL(/\/spend\/suppliers\?/),
      this.page.getByRole('search', { name: 'Search suppliers' }).getByRole('button', { name: 'Search' }).click(),
    ]);
    await expectNoAccessibilityViolations(this.page);
  }

  resultCount(): Promise<string> {
    return this.page.locator('#result-count').innerText();
  }

  async openSupplier(name: string): Promise<SupplierPage> {
    await Promise.all([this.page.waitForURL(/\/spend\/suppliers\/\d+$/), this.page.getByRole('link', { name, exact: true }).click()]);
    await expectNoAccessibilityViolations(this.page);
    return new SupplierPage(this.page);
  }
}

/** One supplier's page. */
export class SupplierPage {
  constructor(private readonly page: Page) {}

  heading(): Promise<string> {
    return this.page.getByRole('heading', { level: 1 }).innerText();
  }

  summaryValue(key: string): Promise<string> {
    return this.page
      .locator('.govuk-summary-list__row', { has: this.page.locator('dt', { hasText: key }) })
      .locator('dd')
      .innerText();
  }

  async compareTopCouncils(): Promise<ComparePage> {
    await Promise.all([
      this.page.waitForURL(/\/spend\/compare\?/),
      this.page.getByRole('link', { name: 'Compare the two councils paying most' }).click(),
    ]);
    await expectNoAccessibilityViolations(this.page);
    return new ComparePage(this.page);
  }
}

/** The comparison page. */
export class ComparePage {
  constructor(private readonly page: Page) {}

  /** Council name → total, as the side-by-side table shows them. */
  async totals(): Promise<Record<string, string>> {
    const rows = await this.page.locator('#comparison tbody tr').all();
    const result: Record<string, string> = {};
    for (const row of rows) {
      const name = await row.locator('th').innerText();
      result[name] = await row.locator('td').first().innerText();
    }
    return result;
  }

  async chooseCouncils(names: readonly string[]): Promise<void> {
    for (const checkbox of await this.page.getByRole('checkbox').all()) await checkbox.uncheck();
    for (const name of names) await this.page.getByRole('checkbox', { name, exact: true }).check();
    await Promise.all([this.page.waitForURL(/\/spend\/compare\?/), this.page.getByRole('button', { name: 'Compare' }).click()]);
    await expectNoAccessibilityViolations(this.page);
  }

  chartTitle(): Promise<string | null> {
    return this.page.locator('svg.commons-chart title').first().textContent();
  }
}
