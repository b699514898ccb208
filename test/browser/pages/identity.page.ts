import type { Page } from 'playwright-core';
import { expectNoAccessibilityViolations } from '../../support/browser.js';

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

  async signOut(): Promise<void> {
    await Promise.all([this.page.waitForURL(`${this.baseUrl}/`), this.page.getByRole('button', { name: 'Sign out', exact: true }).click()]);
    await expectNoAccessibilityViolations(this.page);
  }
}
