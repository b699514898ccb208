import type { Page } from 'playwright-core';
import { expectNoAccessibilityViolations } from '../../support/browser.js';

async function settle(page: Page): Promise<void> {
  await expectNoAccessibilityViolations(page);
}

/** The adoption dashboard of one standard. */
export class AdoptionDashboardPage {
  constructor(private readonly page: Page) {}

  /** Opens the dashboard and checks it for accessibility. */
  async open(baseUrl: string, slug: string): Promise<this> {
    await this.page.goto(`${baseUrl}/standards/${slug}/adoption`);
    await settle(this.page);
    return this;
  }

  /** Follows the link to the list of every council, filters it by status and region, and returns the count shown. */
  async listCouncils(status: string, region: string): Promise<string> {
    await Promise.all([
      this.page.waitForURL(/\/adoption\/councils$/),
      this.page.getByRole('link', { name: 'list of every council' }).click(),
    ]);
    await settle(this.page);
    await this.page.getByLabel('Status', { exact: true }).selectOption({ label: status });
    await this.page.getByLabel('Region', { exact: true }).selectOption({ label: region });
    await Promise.all([this.page.waitForURL(/\/adoption\/councils\?/), this.page.getByRole('button', { name: 'Apply filters' }).click()]);
    await settle(this.page);
    return this.page.locator('#result-count').innerText();
  }

  /** What the dashboard says about self-assessments waiting for sign-off. */
  signOffRule(): Promise<string> {
    return this.page.locator('#sign-off-rule').innerText();
  }

  /** How many councils meet the standard, from the headline. */
  async meetingCount(): Promise<number> {
    return Number(await this.page.locator('#meeting-count').innerText());
  }
}

/** A standard's page, where a council starts a self-assessment. */
export class StandardPage {
  constructor(private readonly page: Page) {}

  /** Opens the standard's page. */
  async open(baseUrl: string, slug: string): Promise<this> {
    await this.page.goto(`${baseUrl}/standards/${slug}`);
    await settle(this.page);
    return this;
  }

  /** Starts a self-assessment of a named service. */
  async startAssessment(serviceName: string): Promise<RatingPage> {
    await this.page.getByLabel('Service name', { exact: true }).fill(serviceName);
    await Promise.all([
      this.page.waitForURL(/\/self-assessment$/),
      this.page.getByRole('button', { name: 'Start a self-assessment' }).click(),
    ]);
    await settle(this.page);
    return new RatingPage(this.page);
  }
}

/** The form where a council, its peer reviewer or an auditor rates each point. */
export class RatingPage {
  constructor(private readonly page: Page) {}

  /** Rates one point and, optionally, gives evidence. */
  async rate(
    point: number,
    rating: 'Met' | 'Partly met' | 'Not met' | 'Not applicable',
    evidence?: { commentary?: string; link?: string },
  ) {
    await this.page
      .getByRole('group', { name: `Rating for point ${point}`, exact: true })
      .getByLabel(rating, { exact: true })
      .check();
    if (evidence?.commentary) await this.page.locator(`#commentary-${point}`).fill(evidence.commentary);
    if (evidence?.link) await this.page.getByLabel(`Links to evidence for point ${point}`, { exact: true }).fill(evidence.link);
  }

  /** How many points the form asks about. */
  pointCount(): Promise<number> {
    return this.page.getByRole('group', { name: /^Rating for point \d+$/ }).count();
  }

  /** Submits the ratings as complete, returning to the assessment. */
  async complete(buttonName: string): Promise<AssessmentPage> {
    await Promise.all([
      this.page.waitForURL(/\/standards\/assessments\/\d+$/),
      this.page.getByRole('button', { name: buttonName }).click(),
    ]);
    await settle(this.page);
    return new AssessmentPage(this.page);
  }
}

/** One assessment: its stage and outcome, ratings side by side, actions, and the peer review request. */
export class AssessmentPage {
  constructor(private readonly page: Page) {}

  /** A value from the summary list. */
  summaryValue(key: string): Promise<string> {
    return this.page
      .locator('.govuk-summary-list__row', { has: this.page.locator('dt', { hasText: key }) })
      .locator('dd')
      .innerText();
  }

  /** Adds an action with an owner and a due date. */
  async addAction(description: string, owner: string, due: { day: string; month: string; year: string }): Promise<void> {
    await this.page.getByLabel('What needs to be done').fill(description);
    await this.page.getByLabel('Owner', { exact: true }).fill(owner);
    await this.page.getByLabel('Day').fill(due.day);
    await this.page.getByLabel('Month').fill(due.month);
    await this.page.getByLabel('Year').fill(due.year);
    await Promise.all([
      this.page.waitForURL(/\/standards\/assessments\/\d+#actions$/),
      this.page.getByRole('button', { name: 'Add action' }).click(),
    ]);
    await settle(this.page);
  }

  /** The text of the actions table. */
  actionsText(): Promise<string> {
    return this.page.locator('#actions + table').innerText();
  }

  /** The councils offered as peer reviewers. */
  peerChoices(): Promise<string[]> {
    return this.page.locator('input[name="peerOrganisation"] + label').allInnerTexts();
  }

  /** Asks the named council for a peer review. */
  async requestPeerReview(council: string): Promise<void> {
    await this.page.getByRole('radio', { name: council, exact: true }).check();
    await Promise.all([
      this.page.waitForURL(/\/standards\/assessments\/\d+$/),
      this.page.getByRole('button', { name: 'Request peer review' }).click(),
    ]);
    await settle(this.page);
  }

  /** Opens an assessment by its address. */
  async open(baseUrl: string, id: number): Promise<this> {
    await this.page.goto(`${baseUrl}/standards/assessments/${id}`);
    await settle(this.page);
    return this;
  }

  /** The text of the sign-off section (what it means, and who may sign). */
  signOffText(): Promise<string> {
    return this.page.locator('#sign-off').innerText();
  }

  /** Signs the assessment off for the organisation, landing on the confirmation. */
  async signOff(): Promise<SignedOffPage> {
    await Promise.all([
      this.page.waitForURL(/\/standards\/assessments\/\d+\/signed-off$/),
      this.page.getByRole('button', { name: 'Sign off this assessment' }).click(),
    ]);
    await settle(this.page);
    return new SignedOffPage(this.page);
  }

  /** Opens the peer review form (for the reviewing council). */
  async startPeerReview(): Promise<RatingPage> {
    await Promise.all([this.page.waitForURL(/\/peer-review$/), this.page.getByRole('link', { name: 'Do the peer review' }).click()]);
    await settle(this.page);
    return new RatingPage(this.page);
  }
}

/** The signed-in organisation's assessments, peer reviews asked of it and overdue actions. */
export class YourAssessmentsPage {
  constructor(private readonly page: Page) {}

  /** Opens the page. */
  async open(baseUrl: string): Promise<this> {
    await this.page.goto(`${baseUrl}/standards/your-organisation`);
    await settle(this.page);
    return this;
  }

  /** Opens an assessment from the list of peer reviews asked of this council. */
  async openPeerReview(linkText: string): Promise<AssessmentPage> {
    await Promise.all([this.page.waitForURL(/\/standards\/assessments\/\d+$/), this.page.getByRole('link', { name: linkText }).click()]);
    await settle(this.page);
    return new AssessmentPage(this.page);
  }
}

/** The confirmation after signing an assessment off, with the dashboard's new figure. */
export class SignedOffPage {
  constructor(private readonly page: Page) {}

  /** The panel's title. */
  heading(): Promise<string> {
    return this.page.locator('.govuk-panel__title').innerText();
  }

  /** How many councils now meet the standard, as the dashboard counts them. */
  async meetingCount(): Promise<number> {
    return Number(await this.page.locator('#meeting-count').innerText());
  }
}
