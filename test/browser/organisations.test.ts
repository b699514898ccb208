import { expect, it } from 'vitest';
import { expectNoAccessibilityViolations, useBrowserApp } from '../support/browser.js';
import { describeEachEngine } from '../support/engines.js';
import { buildTestApp } from '../support/test-app.js';
import { OrganisationsListPage } from './pages/organisations.page.js';

describeEachEngine('journey: home → organisations → filter → an organisation', ({ database }) => {
  const browser = useBrowserApp(async () => (await buildTestApp(database())).app);

  it('finds the current English councils and a former one with its successor', async () => {
    const { page, baseUrl } = browser();
    await page.goto(baseUrl);
    await expectNoAccessibilityViolations(page);
    await Promise.all([page.waitForURL(/\/organisations$/), page.getByRole('link', { name: 'Organisations' }).first().click()]);
    await expectNoAccessibilityViolations(page);

    const list = new OrganisationsListPage(page);
    await list.filter({ nation: 'England', kind: 'Principal council', status: 'current' });
    expect(await list.resultCount()).toContain('of 317 organisations');

    await list.filter({ status: 'former', name: 'Allerdale' });
    const allerdale = await list.open('Allerdale');
    expect(await allerdale.heading()).toContain('Allerdale');
    expect(await allerdale.heading()).toContain('Former');
    expect(await allerdale.summaryValue('Replaced by')).toContain('Cumberland');

    const cumberland = await allerdale.followSuccessor('Cumberland');
    expect(await cumberland.heading()).toContain('Cumberland');
    expect(await cumberland.summaryValue('Replaced')).toContain('Allerdale');
  });

  it('shows accessible error and API pages', async () => {
    const { page, baseUrl } = browser();
    for (const path of ['/no-such-page', '/api', '/open-data', '/components']) {
      await page.goto(`${baseUrl}${path}`);
      await expectNoAccessibilityViolations(page);
    }
  });

  it('runs the page scripts under the Content-Security-Policy without errors', async () => {
    const { page, baseUrl } = browser();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${baseUrl}/organisations`);
    await page.waitForFunction(() => document.body.classList.contains('govuk-frontend-supported'));
    expect(problems).toEqual([]);
  });
});
