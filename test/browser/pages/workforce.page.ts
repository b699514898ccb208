import type { Page } from 'playwright-core';
import { expectNoAccessibilityViolations } from '../../support/browser.js';

/** The workforce pages a journey drives: each step checks the page with axe. */
export class WorkforcePages {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(path: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}${path}`);
    await expectNoAccessibilityViolations(this.page);
  }

  async uploadReturn(year: number, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    await this.open(`/workforce/returns/upload?year=${year}`);
    await this.page.setInputFiles('#file', file);
    await this.page.getByRole('button', { name: 'Upload and check' }).click();
    await expectNoAccessibilityViolations(this.page);
  }

  async publish(year: number): Promise<void> {
    await this.open('/workforce/target');
    await this.page.fill('#year', String(year));
    await this.page.getByRole('button', { name: 'Publish tables' }).click();
    await expectNoAccessibilityViolations(this.page);
  }

  async signUpAsMentee(choice: string): Promise<void> {
    await this.open('/mentoring');
    await this.page.getByLabel('A mentee').check();
    await this.page.getByLabel('Digital, data or technology').check();
    await this.page.fill('#goals', 'Lead a service redesign');
    await this.page.selectOption('#choice1', { label: choice });
    await this.page.getByRole('button', { name: 'Sign up' }).click();
    await expectNoAccessibilityViolations(this.page);
  }

  heading(): Promise<string> {
    return this.page.locator('h1').innerText();
  }

  text(selector: string): Promise<string> {
    return this.page.locator(selector).innerText();
  }

  get raw(): Page {
    return this.page;
  }
}
