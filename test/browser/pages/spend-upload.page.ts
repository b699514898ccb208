import type { Page } from 'playwright-core';
import { expectNoAccessibilityViolations, loadsNewPage } from '../../support/browser.js';

/** The spending file upload form, as a council member uses it. */
export class SpendUploadPage {
  constructor(private readonly page: Page) {}

  /** Opens the form for the person's own council. */
  async open(baseUrl: string): Promise<this> {
    await this.page.goto(`${baseUrl}/spend/imports/new`);
    await expectNoAccessibilityViolations(this.page);
    return this;
  }

  heading(): Promise<string> {
    return this.page.getByRole('heading', { level: 1 }).innerText();
  }

  /** Chooses a file and uploads it, arriving on the page that asks to check its columns. */
  async upload(filePath: string): Promise<SpendConfirmPage> {
    await this.page.getByLabel('Spending file').setInputFiles(filePath);
    await Promise.all([
      this.page.waitForURL(/\/spend\/imports\/\d+$/),
      this.page.getByRole('button', { name: 'Upload and check columns' }).click(),
    ]);
    await expectNoAccessibilityViolations(this.page);
    return new SpendConfirmPage(this.page);
  }
}

/** The page showing how a file's columns were read, with its first rows. */
export class SpendConfirmPage {
  constructor(private readonly page: Page) {}

  heading(): Promise<string> {
    return this.page.getByRole('heading', { level: 1 }).innerText();
  }

  /** The column chosen for a field, as its option text. */
  async chosenColumn(field: string): Promise<string> {
    return this.page.getByLabel(field, { exact: false }).locator('option:checked').innerText();
  }

  /** The first rows as shown, cell by cell. */
  async previewRows(): Promise<string[][]> {
    return this.page
      .locator('table tbody tr')
      .evaluateAll((rows) => rows.map((row) => Array.from(row.querySelectorAll('td')).map((cell) => (cell.textContent ?? '').trim())));
  }

  /** Picks a column for a field by its option text. */
  async chooseColumn(field: string, option: string): Promise<void> {
    await this.page.getByLabel(field, { exact: false }).selectOption({ label: option });
  }

  /** Saves the columns and shows the rows again; returns the error summary's messages (none when saved). */
  async saveColumns(): Promise<string[]> {
    await loadsNewPage(this.page, () => this.page.getByRole('button', { name: 'Save columns and show rows again' }).click());
    await expectNoAccessibilityViolations(this.page);
    return this.page.locator('.govuk-error-summary__list li').allInnerTexts();
  }

  /** Confirms the columns, which queues the import; lands on its progress (or, if already done, result) page. */
  async importFile(): Promise<SpendProgressPage> {
    // The progress page has the address of the column check it replaces.
    await loadsNewPage(this.page, () => this.page.getByRole('button', { name: 'Import this file' }).click());
    await expectNoAccessibilityViolations(this.page);
    return new SpendProgressPage(this.page);
  }
}

/** The progress page, which reloads itself until the import ends on its result page. */
export class SpendProgressPage {
  constructor(private readonly page: Page) {}

  heading(): Promise<string> {
    return this.page.getByRole('heading', { level: 1 }).innerText();
  }

  /** Waits (through the page's own refreshes) for the result page, checking each page it shows. */
  async waitForResult(): Promise<SpendResultPage> {
    for (let attempt = 0; attempt < 30; attempt++) {
      if ((await this.heading()).includes('import finished')) break;
      await this.page.waitForEvent('load', { timeout: 5_000 });
      await expectNoAccessibilityViolations(this.page);
    }
    return new SpendResultPage(this.page);
  }
}

/** The result page: counts, total, dates, warnings and rejected rows. */
export class SpendResultPage {
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

  /** Rejected rows on this page: line, column and reason. */
  async rejects(): Promise<{ line: string; column: string; reason: string }[]> {
    return this.page.locator('#rejects ~ .commons-table-scroll tbody tr').evaluateAll((rows) =>
      rows.map((row) => {
        const cells = Array.from(row.querySelectorAll('td')).map((cell) => (cell.textContent ?? '').trim());
        return { line: cells[0] ?? '', column: cells[1] ?? '', reason: cells[2] ?? '' };
      }),
    );
  }

  /** The address of the rejects CSV download. */
  csvLink(): Promise<string | null> {
    return this.page.getByRole('link', { name: 'CSV' }).getAttribute('href');
  }
}
