import type { Page } from 'playwright-core';
import { expectNoAccessibilityViolations } from '../../support/browser.js';

/** The OCDS import form and its answer, as a platform admin uses them. */
export class ContractImportPage {
  constructor(private readonly page: Page) {}

  async open(baseUrl: string): Promise<this> {
    await this.page.goto(`${baseUrl}/contracts/import`);
    await expectNoAccessibilityViolations(this.page);
    return this;
  }

  heading(): Promise<string> {
    return this.page.locator('h1').first().innerText();
  }

  /** Chooses a file and sends it; stays on this page, which then shows the answer. */
  async upload(filePath: string): Promise<void> {
    await this.page.getByLabel('OCDS file (JSON)').setInputFiles(filePath);
    await Promise.all([this.page.waitForLoadState('load'), this.page.getByRole('button', { name: 'Check and import' }).click()]);
    await this.page.waitForSelector('h1');
    await expectNoAccessibilityViolations(this.page);
  }

  /** Each row of a table of problems: [message, paths]. */
  problems(caption: string): Promise<string[][]> {
    return this.page
      .locator('table', { has: this.page.locator('caption', { hasText: caption }) })
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((row) => Array.from(row.querySelectorAll('td')).map((cell) => (cell.textContent ?? '').trim())));
  }

  /** Follows the link to the register after an import. */
  async openRegister(): Promise<string> {
    await Promise.all([this.page.waitForURL(/\/contracts$/), this.page.getByRole('link', { name: 'See the contract register' }).click()]);
    await expectNoAccessibilityViolations(this.page);
    return this.page.locator('h1').innerText();
  }
}
