import { beforeAll, expect, it } from 'vitest';
import { createServices, type Services } from '../../app/services.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { buildUser, organisationId } from '../../../test/support/factories.js';
import { fixedClock } from '../../../test/support/test-app.js';
import { buildAgreementInput } from './data-sharing.factories.js';
import { seedDataSharingReference } from './data-sharing.seed.js';

describeEachEngine('data sharing in the one search', ({ database }) => {
  let services: Services;

  beforeAll(async () => {
    services = createServices({ db: database().db, clock: fixedClock });
    await seedDataSharingReference(services);
    await services.searchService.refreshSearchIndex({ full: true });
  });

  const search = (q: string, actor: Parameters<Services['searchService']['search']>[1] = null, types?: string[]) =>
    services.searchService.search({ q, page: 1, pageSize: 20, ...(types ? { types } : {}) }, actor);

  it('finds a data standard by its name', async () => {
    const result = await search('Open Referral UK', null, ['data-standard']);
    expect(result.items[0]).toMatchObject({
      type: 'data-standard',
      id: 'open-referral-uk',
      url: '/data-sharing/standards/open-referral-uk',
    });
  });

  it('finds agreements, a draft only for its lead organisation, with nothing personal in the snippet', async () => {
    const oxford = await organisationId(database().db, 'E07000178');
    const devon = await organisationId(database().db, 'E10000008');
    const member = await buildUser(database().db, { organisationId: oxford, name: 'Robin Lead' });
    const outsider = await buildUser(database().db, { organisationId: devon, name: 'Sam Elsewhere' });
    const actor = (user: { id: number }, organisationIdOf: number) => ({
      userId: user.id,
      email: '',
      name: null,
      organisationId: organisationIdOf,
      organisationName: null,
      role: 'member' as const,
      via: 'session' as const,
      credentialId: 0,
      scopes: [],
    });
    const slug = await services.agreementsService.createAgreement(
      actor(member, oxford),
      buildAgreementInput({ title: 'Kestrelwatch discharge sharing', purpose: 'Kestrelwatch planning of care.' }),
    );
    await services.searchService.requestRefresh();
    expect((await search('kestrelwatch')).total).toBe(0);
    expect((await search('kestrelwatch', actor(outsider, devon))).total).toBe(0);
    const own = await search('kestrelwatch', actor(member, oxford));
    expect(own.items).toHaveLength(1);
    expect(own.items[0]).toMatchObject({ type: 'agreement', id: slug, url: `/data-sharing/agreements/${slug}` });
    expect(own.items[0]?.snippet).not.toContain('Casey');
    expect((await search('Casey Contact', actor(member, oxford), ['agreement'])).total).toBe(0);

    await services.agreementsService.changeStatus(actor(member, oxford), slug, 'agreed', 'Signed off.');
    await services.searchService.requestRefresh();
    expect((await search('kestrelwatch')).items.map((item) => item.id)).toEqual([slug]);
  });
});
