import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/engines.js';
import { buildUser, organisationId, startSession } from '../../test/support/factories.js';
import { buildTestApp } from '../../test/support/test-app.js';

const OXFORD = 'E07000178';
const CARDS = ['spend', 'contracts', 'components', 'reuse-credits', 'challenges', 'standards', 'agreements', 'case-studies', 'ways-in'];

describeEachEngine('an organisation’s page as a hub', ({ database }) => {
  let app: FastifyInstance;
  const visit = (url: string, session?: string) => app.inject({ url, headers: session ? { cookie: `commons_session=${session}` } : {} });

  beforeAll(async () => {
    ({ app } = await buildTestApp(database()));
  });
  afterAll(async () => {
    await app.close();
  });

  it('shows a card from every module to the public, with a way to sign in', async () => {
    const page = await visit(`/organisations/${OXFORD}`);
    expect(page.statusCode).toBe(200);
    for (const card of CARDS) expect(page.body, card).toContain(`data-hub-card="${card}"`);
    expect(page.body).toContain('govuk-summary-card');
    expect(page.body).toContain(`href="/sign-in?next=%2Forganisations%2F${OXFORD}"`);
    // Only its people may upload, so the public is not offered the upload.
    expect(page.body).not.toContain('Upload a spending file');
  });

  it('offers its members the upload and links their organisation from the header', async () => {
    const member = await buildUser(database().db, { organisationId: await organisationId(database().db, OXFORD) });
    const session = await startSession(database().db, member.id);
    const page = await visit(`/organisations/${OXFORD}`, session);
    expect(page.body).toContain(`href="/spend/imports/new?organisation=${OXFORD}"`);
    expect(page.body).toContain('A member here');
    const elsewhere = await visit('/components', session);
    expect(elsewhere.body).toMatch(new RegExp(`class="govuk-service-navigation__link" href="/organisations/${OXFORD}"[^>]*>\\s*Oxford`));
  });

  it('tells a signed-in person with no organisation how to join this one', async () => {
    const newcomer = await buildUser(database().db, { organisationId: null });
    const page = await visit(`/organisations/${OXFORD}`, await startSession(database().db, newcomer.id));
    expect(page.body).toContain('href="/account/join?q=Oxford"');
  });

  it('leaves out council-only cards on a supplier’s page', async () => {
    const supplier = await database()
      .db.insertInto('organisations')
      .values({
        kind: 'supplier',
        slug: 'hub-test-supplier',
        name: 'Hub Test Supplier Ltd',
        official_name: 'Hub Test Supplier Ltd',
        search_names: 'hub test supplier ltd',
      })
      .returning('slug')
      .executeTakeFirstOrThrow();
    const page = await visit(`/organisations/${supplier.slug}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('data-hub-card="spend"');
    expect(page.body).toContain('data-hub-card="challenges"');
  });
});
