import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { loadsNewPage } from '../../support/browser.js';

/** The validator's upload page. */
export class ValidatePage {
  constructor(private readonly page: Page) {}

  /** Chooses a standard and a file (written to a temporary folder) and checks it. */
  async check(standard: string, fileName: string, content: string): Promise<ReportPage> {
    if (standard) await this.page.getByLabel('Data standard').selectOption({ label: standard });
    await this.page.getByLabel('File to check (CSV or spreadsheet)').setInputFiles(writeTemporary(fileName, content));
    await this.page.getByRole('button', { name: 'Check the file' }).click();
    await this.page.waitForURL(/\/data-sharing\/validate\/reports\//);
    return new ReportPage(this.page);
  }
}

function writeTemporary(fileName: string, content: string): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-journey-'));
  const file = path.join(folder, fileName);
  fs.writeFileSync(file, content);
  return file;
}

/** A validation report. */
export class ReportPage {
  constructor(private readonly page: Page) {}

  async verdict(): Promise<string> {
    const failed = this.page.locator('.govuk-warning-text__text');
    if (await failed.count()) return ((await failed.first().textContent()) ?? '').replace('Warning', '').trim();
    return ((await this.page.locator('.govuk-panel__body').textContent()) ?? '').trim();
  }

  /** Each problem group's heading. */
  async groups(): Promise<string[]> {
    return (await this.page.locator('#problems h2').allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
  }

  /** Rows of the problem tables: row, column, value. */
  async instances(): Promise<string[][]> {
    const rows = await this.page.locator('#problems tbody tr').all();
    return Promise.all(rows.map(async (row) => (await row.locator('td').allTextContents()).slice(0, 3).map((cell) => cell.trim())));
  }

  /** Uploads the corrected file from the report's re-check form. */
  async recheck(fileName: string, content: string): Promise<ReportPage> {
    await this.page.getByLabel('Corrected CSV file').setInputFiles(writeTemporary(fileName, content));
    await this.page.getByRole('button', { name: 'Check the corrected file' }).click();
    await this.page.waitForURL(/\/data-sharing\/validate\/reports\//);
    return this;
  }
}

/** The form to record an agreement. */
export class AgreementFormPage {
  constructor(private readonly page: Page) {}

  async fill(values: {
    title: string;
    purpose: string;
    party: string;
    partyRole: string;
    lawfulBasis: string;
    special: boolean;
    article9?: string;
    schedule1?: string;
  }): Promise<void> {
    const page = this.page;
    await page.getByLabel('Title', { exact: true }).fill(values.title);
    await page.getByLabel('Purpose').fill(values.purpose);
    await page.getByLabel('Other organisation 1').fill(values.party);
    await page.getByLabel('Role of organisation 1').selectOption({ label: values.partyRole });
    await page.getByLabel(values.lawfulBasis).check();
    await page.locator(`#specialCategory${values.special ? '' : '-2'}`).check();
    if (values.article9) await page.getByLabel('Article 9 condition (for special category data)').selectOption({ label: values.article9 });
    if (values.schedule1) await page.getByLabel('Data Protection Act 2018 Schedule 1 condition').selectOption({ label: values.schedule1 });
    await page.getByLabel('Whose data is shared').fill('Adults leaving hospital who need care at home');
    await page.getByLabel('What data is shared').fill('Name, NHS number, address, discharge date, care needs');
    await page.getByLabel('Data about vulnerable people (for example adults at risk, people in crisis)').check();
    await page.getByLabel('Done', { exact: true }).check();
    await page.getByLabel('DPIA outcome').fill('Medium risk reduced by role-based access');
    await page.getByLabel('Retention and disposal').fill('Deleted after 30 days');
    await page.getByLabel('Security').fill('NHSmail and encrypted storage');
    await page.getByLabel('Review date').fill('2027-03-31');
    await page.getByLabel('Role (published)').fill('Senior Information Risk Owner');
    await page.getByLabel('Name (not published)').fill('Jordan Secretkeeper');
    await page.getByLabel('Date signed off').fill('2026-05-01');
  }

  async saveExpectingErrors(): Promise<string[]> {
    await this.page.getByRole('button', { name: 'Save as draft' }).click();
    return (await this.page.locator('.govuk-error-summary__list li').allTextContents()).map((text) => text.trim());
  }

  async save(): Promise<void> {
    await loadsNewPage(this.page, () => this.page.getByRole('button', { name: 'Save as draft' }).click());
    // The agreement's own page, confirmed by a success banner rather than a flag in the address.
    expect(new URL(this.page.url()).pathname).toMatch(/^\/data-sharing\/agreements\/(?!new$)[a-z0-9-]+$/);
    expect(await this.page.locator('.govuk-notification-banner--success').innerText()).toContain('The agreement is recorded as a draft');
  }
}
