import type { Page } from 'playwright-core';
import { expectNoAccessibilityViolations } from '../../support/browser.js';
import { expect } from 'vitest';

async function go(page: Page, action: () => Promise<unknown>, url: RegExp): Promise<void> {
  await Promise.all([page.waitForURL(url), action()]);
  await expectNoAccessibilityViolations(page);
}

/** The pipeline list, as a person uses it. */
export class ChallengesListPage {
  constructor(private readonly page: Page) {}

  async open(baseUrl: string): Promise<this> {
    await this.page.goto(`${baseUrl}/challenges`);
    await expectNoAccessibilityViolations(this.page);
    return this;
  }

  /** Opens a challenge from the list by its title. */
  async openChallenge(title: string): Promise<ChallengePage> {
    await go(this.page, () => this.page.getByRole('link', { name: title, exact: true }).first().click(), /\/challenges\/\d+$/);
    return new ChallengePage(this.page);
  }

  async startPosting(): Promise<NewChallengePage> {
    await go(this.page, () => this.page.getByRole('button', { name: 'Post a challenge' }).click(), /\/challenges\/new$/);
    return new NewChallengePage(this.page);
  }
}

/** The two-step form: check for similar challenges, then post. */
export class NewChallengePage {
  constructor(private readonly page: Page) {}

  async describe(values: { title: string; problem: string; serviceArea: string; scale?: string }): Promise<void> {
    await this.page.getByLabel('Title', { exact: true }).fill(values.title);
    await this.page.getByLabel('The problem, in plain words').fill(values.problem);
    await this.page.getByLabel('Service area').selectOption({ label: values.serviceArea });
    if (values.scale) await this.page.getByLabel('How many are affected at your council (optional)').fill(values.scale);
  }

  /** The suggestions the page's script shows while typing (progressive enhancement). */
  async liveSuggestions(): Promise<string> {
    const region = this.page.locator('[data-similar-results]');
    await region.waitFor({ state: 'visible' });
    return region.innerText();
  }

  async checkForSimilar(): Promise<string[]> {
    await go(this.page, () => this.page.getByRole('button', { name: 'Check for similar challenges' }).click(), /\/challenges$/);
    return this.page.locator('#similar-list li > a.govuk-link.govuk-\\!-font-weight-bold').allInnerTexts();
  }

  async post(): Promise<ChallengePage> {
    await go(this.page, () => this.page.getByRole('button', { name: 'Post challenge' }).click(), /\/challenges\/\d+$/);
    return new ChallengePage(this.page);
  }
}

/** One challenge's page. */
export class ChallengePage {
  constructor(private readonly page: Page) {}

  async open(baseUrl: string, path: string): Promise<this> {
    await this.page.goto(`${baseUrl}${path}`);
    await expectNoAccessibilityViolations(this.page);
    return this;
  }

  heading(): Promise<string> {
    return this.page.getByRole('heading', { level: 1 }).innerText();
  }

  path(): string {
    return new URL(this.page.url()).pathname;
  }

  demandSummary(): Promise<string> {
    return this.page.locator('#demand-summary').innerText();
  }

  responses(): Promise<string> {
    return this.page
      .locator('#responses ~ .govuk-summary-card, #responses + p')
      .allInnerTexts()
      .then((texts) => texts.join('\n'));
  }

  async join(values: { scale: string; budgetBand: string; comment: string }): Promise<void> {
    await go(this.page, () => this.page.getByRole('button', { name: 'We have this too' }).click(), /\/join$/);
    await this.page.getByLabel('How many are affected at your council (optional)').fill(values.scale);
    await this.page.getByRole('radio', { name: values.budgetBand }).check();
    await this.page.getByLabel('Comment (optional)').fill(values.comment);
    await go(this.page, () => this.page.getByRole('button', { name: 'Add my council' }).click(), /\/challenges\/\d+$/);
  }

  async respond(values: { offer: string; evidence: string; priceModel: string }): Promise<void> {
    await go(this.page, () => this.page.getByRole('button', { name: 'Respond as a supplier' }).click(), /\/respond$/);
    await this.page.getByLabel('What you offer').fill(values.offer);
    await this.page.getByLabel('Evidence from other councils (optional)').fill(values.evidence);
    await this.page.getByLabel('Price model (optional)').fill(values.priceModel);
    // Lands on the challenge's responses, confirmed by a success banner rather than a flag in the address.
    await go(this.page, () => this.page.getByRole('button', { name: 'Send response' }).click(), /\/challenges\/\d+#responses$/);
    expect(await this.page.locator('.govuk-notification-banner--success .govuk-notification-banner__heading').textContent()).toMatch(
      /response/i,
    );
  }

  async startCollaboration(): Promise<CollaborationPage> {
    await go(this.page, () => this.page.getByRole('button', { name: 'Start a collaboration' }).click(), /\/collaboration\/new$/);
    return new CollaborationPage(this.page);
  }

  async publishResponseFrom(supplierName: string): Promise<void> {
    await go(
      this.page,
      () => this.page.getByRole('button', { name: `Publish the response from ${supplierName}` }).click(),
      /\/challenges\/\d+(#responses)?$/,
    );
  }
}

/** Proposing a collaboration, then its page of combined demand. */
export class CollaborationPage {
  constructor(private readonly page: Page) {}

  async propose(values: { lead: string; approach: string; summary: string }): Promise<void> {
    await this.page.getByRole('group', { name: 'Lead council' }).getByRole('radio', { name: values.lead, exact: true }).check();
    await this.page.getByRole('radio', { name: values.approach }).check();
    await this.page.getByLabel('What you propose (optional)').fill(values.summary);
    await go(this.page, () => this.page.getByRole('button', { name: 'Propose collaboration' }).click(), /\/collaboration$/);
  }

  combinedDemand(): Promise<string> {
    return this.page.locator('#combined-demand').innerText();
  }
}
