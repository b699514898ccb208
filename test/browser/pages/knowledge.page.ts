import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectNoAccessibilityViolations, loadsNewPage } from '../../support/browser.js';

async function go(page: Page, action: () => Promise<unknown>, url: RegExp): Promise<void> {
  await Promise.all([page.waitForURL(url), action()]);
  await expectNoAccessibilityViolations(page);
}

/** Writing a case study and sending it for review. */
export class CaseStudyFormPage {
  constructor(private readonly page: Page) {}

  async open(baseUrl: string): Promise<this> {
    await this.page.goto(`${baseUrl}/case-studies/new`);
    await expectNoAccessibilityViolations(this.page);
    return this;
  }

  async write(values: { title: string; summary: string; problem: string; whatWeDid: string; serviceArea: string }): Promise<void> {
    await this.page.getByLabel('Title', { exact: true }).fill(values.title);
    await this.page.getByLabel('Summary', { exact: true }).fill(values.summary);
    await this.page.getByLabel('The problem', { exact: true }).fill(values.problem);
    await this.page.getByLabel('What you did', { exact: true }).fill(values.whatWeDid);
    await this.page.getByLabel('Service area').selectOption({ label: values.serviceArea });
    await this.page.getByLabel('Level 1: a logical reason it should work').check();
  }

  async sendForReview(): Promise<string> {
    // Lands on the case study, confirmed by a success banner rather than a flag in the address.
    await loadsNewPage(this.page, () => this.page.getByRole('button', { name: 'Send for review' }).click());
    expect(new URL(this.page.url()).pathname).toMatch(/^\/case-studies\/(?!new$)[a-z0-9-]+$/);
    await expectNoAccessibilityViolations(this.page);
    return this.page.locator('.govuk-notification-banner--success').innerText();
  }
}

/** A reviewer from another council confirms the level. */
export class ReviewPage {
  constructor(private readonly page: Page) {}

  async openQueue(baseUrl: string, title: string): Promise<this> {
    await this.page.goto(`${baseUrl}/case-studies/reviews`);
    await expectNoAccessibilityViolations(this.page);
    await go(this.page, () => this.page.getByRole('link', { name: title }).click(), /\/review$/);
    return this;
  }

  async confirm(level: string): Promise<string> {
    await this.page.getByLabel('Confirm a level and publish').check();
    await this.page.getByLabel(level).check();
    await go(this.page, () => this.page.getByRole('button', { name: 'Send review' }).click(), /\/case-studies\/[a-z0-9-]+$/);
    return this.page.locator('.govuk-notification-banner--success').innerText();
  }
}

/** The one search, with its filters. */
export class SearchPage {
  constructor(private readonly page: Page) {}

  async search(baseUrl: string, words: string): Promise<string> {
    await this.page.goto(`${baseUrl}/search`);
    await this.page.locator('#q').fill(words);
    await go(this.page, () => this.page.getByRole('button', { name: 'Search' }).click(), /\/search\?q=/);
    return this.page.locator('main').innerText();
  }

  async filterByType(label: RegExp): Promise<string> {
    await this.page.getByLabel('Type', { exact: true }).selectOption({ label: (await this.optionText(label)) ?? '' });
    await go(this.page, () => this.page.getByRole('button', { name: 'Search' }).click(), /type=/);
    return this.page.locator('main').innerText();
  }

  private async optionText(label: RegExp): Promise<string | undefined> {
    const options = await this.page.locator('#type option').allInnerTexts();
    return options.find((text) => label.test(text));
  }
}

/** Following a topic. */
export class SubscriptionsPage {
  constructor(private readonly page: Page) {}

  async followServiceArea(baseUrl: string, area: string): Promise<string> {
    await this.page.goto(`${baseUrl}/subscriptions`);
    await expectNoAccessibilityViolations(this.page);
    await this.page.getByLabel('Service area').selectOption({ label: area });
    await this.page.getByLabel('Daily').first().check();
    // Back on the same page, which now confirms it.
    await loadsNewPage(this.page, () => this.page.getByRole('button', { name: 'Follow', exact: true }).first().click());
    await expectNoAccessibilityViolations(this.page);
    expect(await this.page.locator('.govuk-notification-banner--success').innerText()).toContain('You are following it');
    return this.page.locator('main').innerText();
  }
}
