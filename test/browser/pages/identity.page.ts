import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectNoAccessibilityViolations, loadsNewPage } from '../../support/browser.js';

/** Sign-in as a person does it: ask for a link, find it in the development outbox, use it. */
export class SignInJourney {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async askForLink(email: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}/sign-in`);
    await expectNoAccessibilityViolations(this.page);
    await this.page.getByLabel('Email address').fill(email);
    await Promise.all([
      this.page.waitForURL(/check-your-email/),
      this.page.getByRole('button', { name: 'Send me a sign-in link' }).click(),
    ]);
    await expectNoAccessibilityViolations(this.page);
  }

  async openLinkFromOutbox(email: string): Promise<void> {
    await this.page.getByRole('link', { name: 'development outbox' }).click();
    await this.page.waitForURL(/\/dev\/outbox/);
    await expectNoAccessibilityViolations(this.page);
    await Promise.all([
      this.page.waitForURL(/\/sign-in\/link/),
      this.page
        .getByRole('link', { name: `Open the sign-in link sent to ${email}` })
        .first()
        .click(),
    ]);
    await expectNoAccessibilityViolations(this.page);
    await Promise.all([this.page.waitForURL(/\/account/), this.page.getByRole('button', { name: 'Continue' }).click()]);
    await expectNoAccessibilityViolations(this.page);
  }

  /** From the page shown after the first sign-in, on to the account page. */
  async continueToAccount(): Promise<void> {
    await Promise.all([this.page.waitForURL(/\/account$/), this.page.getByRole('link', { name: 'your account', exact: true }).click()]);
    await expectNoAccessibilityViolations(this.page);
  }

  async signOut(): Promise<void> {
    await Promise.all([this.page.waitForURL(`${this.baseUrl}/`), this.page.getByRole('button', { name: 'Sign out', exact: true }).click()]);
    await expectNoAccessibilityViolations(this.page);
  }
}

/** Asking to join an organisation: find it by name, choose it, send the request. */
export class JoinPage {
  constructor(private readonly page: Page) {}

  heading(): Promise<string> {
    return this.page.getByRole('heading', { level: 1 }).innerText();
  }

  /** Chooses the organisation among the matches, writes a message and asks; lands on the account page. */
  async askToJoin(organisation: string, message: string): Promise<AccountPage> {
    await this.page.getByRole('radio', { name: organisation, exact: true }).check();
    await this.page.getByLabel('Message to its admins (optional)').fill(message);
    await Promise.all([this.page.waitForURL(/\/account$/), this.page.getByRole('button', { name: 'Ask to join' }).click()]);
    await expectNoAccessibilityViolations(this.page);
    return new AccountPage(this.page);
  }
}

/** A person's account page. */
export class AccountPage {
  constructor(private readonly page: Page) {}

  async open(baseUrl: string): Promise<this> {
    await this.page.goto(`${baseUrl}/account`);
    await expectNoAccessibilityViolations(this.page);
    return this;
  }

  summaryValue(key: string): Promise<string> {
    return this.page
      .locator('.govuk-summary-list__row', { has: this.page.locator('dt', { hasText: key }) })
      .locator('dd')
      .innerText();
  }

  /** Follows a link of the page (for example to the requests to join), checking the page it leads to. */
  async follow(text: string, url: RegExp): Promise<void> {
    await Promise.all([this.page.waitForURL(url), this.page.getByRole('link', { name: text }).click()]);
    await expectNoAccessibilityViolations(this.page);
  }
}

/** The platform admins' queue of requests to join, organisations with no admin among them. */
export class JoinRequestsPage {
  constructor(private readonly page: Page) {}

  /** The queue's row for a person's request, as text. */
  requestRow(email: string): Promise<string> {
    return this.page.locator('tbody tr', { hasText: email }).innerText();
  }

  /** Approves a person's request to join an organisation as a member; stays on the queue, which confirms it. */
  async approveAsMember(organisation: string, email: string): Promise<void> {
    await loadsNewPage(this.page, () =>
      this.page.getByRole('button', { name: `Approve as member of ${organisation}: ${email}`, exact: true }).click(),
    );
    expect(new URL(this.page.url()).pathname).toBe('/manage/join-requests');
    await expectNoAccessibilityViolations(this.page);
  }
}
