import type { Page } from 'playwright-core';
import { expectNoAccessibilityViolations } from '../../support/browser.js';

/** The list of components, as a person searches it. */
export class ComponentsListPage {
  constructor(private readonly page: Page) {}

  async search(words: string): Promise<void> {
    await this.page.getByLabel('Search components', { exact: true }).fill(words);
    await Promise.all([this.page.waitForURL(/\/components\?/), this.page.getByRole('button', { name: 'Search', exact: true }).click()]);
    await expectNoAccessibilityViolations(this.page);
  }

  resultCount(): Promise<string> {
    return this.page.locator('#result-count').innerText();
  }

  resultNames(): Promise<string[]> {
    return this.page.locator('#results h2').allInnerTexts();
  }

  async open(name: string): Promise<ComponentPage> {
    await Promise.all([this.page.waitForURL(/\/components\/[a-z0-9-]+$/), this.page.getByRole('link', { name, exact: true }).click()]);
    await expectNoAccessibilityViolations(this.page);
    return new ComponentPage(this.page);
  }
}

/** One component's page. */
export class ComponentPage {
  constructor(private readonly page: Page) {}

  heading(): Promise<string> {
    return this.page.getByRole('heading', { level: 1 }).innerText();
  }

  adoptionCount(): Promise<string> {
    return this.page.locator('#adoption-count').innerText();
  }

  declaringOrganisations(): Promise<string[]> {
    return this.page
      .locator('table', { has: this.page.getByText('Organisations’ declarations') })
      .locator('tbody tr td:first-child')
      .allInnerTexts();
  }

  async startDeclaration(): Promise<AdoptionFormPage> {
    await Promise.all([
      this.page.waitForURL(/\/adoption$/),
      this.page.getByRole('link', { name: /declare your organisation’s adoption|update your organisation’s declaration/i }).click(),
    ]);
    await expectNoAccessibilityViolations(this.page);
    return new AdoptionFormPage(this.page);
  }
}

/** The form on which a council declares its adoption of a component. */
export class AdoptionFormPage {
  constructor(private readonly page: Page) {}

  async fill(values: {
    status: string;
    since: [string, string, string];
    evidenceKind: string;
    evidence: string;
    agrees: boolean;
  }): Promise<void> {
    await this.page.getByRole('radio', { name: values.status, exact: true }).check();
    await this.page.getByLabel('Day', { exact: true }).fill(values.since[0]);
    await this.page.getByLabel('Month', { exact: true }).fill(values.since[1]);
    await this.page.getByLabel('Year', { exact: true }).fill(values.since[2]);
    await this.page.getByRole('radio', { name: values.evidenceKind, exact: true }).check();
    await this.page.getByLabel('The service address, contract reference or note').fill(values.evidence);
    const agrees = this.page.getByRole('checkbox', { name: 'The contact agrees to be asked about this by other councils' });
    if (values.agrees) await agrees.check();
    else await agrees.uncheck();
  }

  /** Sends the form; returns the error summary's messages when it comes back with problems. */
  async submitExpectingErrors(): Promise<string[]> {
    await Promise.all([this.page.waitForLoadState('load'), this.page.getByRole('button', { name: 'Save declaration' }).click()]);
    await this.page.locator('.govuk-error-summary').waitFor();
    await expectNoAccessibilityViolations(this.page);
    return this.page.locator('.govuk-error-summary__list li').allInnerTexts();
  }

  async submit(): Promise<ComponentPage> {
    await Promise.all([
      this.page.waitForURL(/\/components\/[a-z0-9-]+#adoption$/),
      this.page.getByRole('button', { name: 'Save declaration' }).click(),
    ]);
    await expectNoAccessibilityViolations(this.page);
    return new ComponentPage(this.page);
  }
}
