import { expect, it } from 'vitest';
import { useBrowserApp } from '../support/browser.js';
import { describeEachEngine } from '../support/engines.js';
import { buildUser, organisationId, unique } from '../support/factories.js';
import { buildTestApp } from '../support/test-app.js';
import { SignInJourney } from './pages/identity.page.js';

describeEachEngine('journey: sign in with an email link, then sign out', ({ database }) => {
  const browser = useBrowserApp(async () => (await buildTestApp(database())).app);

  it('asks for a link, opens it from the outbox, lands signed in, and signs out', async () => {
    const { page, baseUrl } = browser();
    const oxford = await organisationId(database().db, 'E07000178');
    const person = await buildUser(database().db, {
      organisationId: oxford,
      email: `journey-${unique()}@oxford.gov.uk`,
      name: 'Journey Person',
    });
    const journey = new SignInJourney(page, baseUrl);

    await journey.askForLink(person.email);
    await journey.openLinkFromOutbox(person.email);
    // The first sign-in lands on what to do next, which leads on to the account.
    expect(page.url()).toBe(`${baseUrl}/account/welcome`);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Welcome to Local Digital Commons');
    await expect(page.getByRole('link', { name: 'See what Oxford does here' }).count()).resolves.toBe(1);
    await journey.continueToAccount();
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Your account');
    await expect(page.locator('.govuk-summary-list').innerText()).resolves.toContain(person.email);
    await expect(page.getByRole('link', { name: 'Your account' }).count()).resolves.toBe(1);

    await journey.signOut();
    await expect(page.getByRole('link', { name: 'Sign in' }).count()).resolves.toBe(1);
    await page.goto(`${baseUrl}/account`);
    expect(page.url()).toBe(`${baseUrl}/sign-in?next=%2Faccount`);
  });
});
