import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { createServices, type Services } from '../../app/services.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { organisationId, unique } from '../../../test/support/factories.js';
import { fixedClock } from '../../../test/support/test-app.js';
import { buildCaseStudyInput, buildKnowledgePerson } from './knowledge.factories.js';

describeEachEngine('the one search', ({ database }) => {
  let services: Services;
  let oxford: number;
  let devon: number;

  beforeAll(async () => {
    services = createServices({ db: database().db, clock: fixedClock });
    oxford = await organisationId(database().db, 'E07000178');
    devon = await organisationId(database().db, 'E10000008');
    await services.searchService.refreshSearchIndex({ full: true });
  });

  const search = (
    q: string,
    extra: Partial<Parameters<Services['searchService']['search']>[0]> = {},
    actor: Parameters<Services['searchService']['search']>[1] = null,
  ) => services.searchService.search({ q, page: 1, pageSize: 20, ...extra }, actor);

  async function addComponent(name: string, summary: string): Promise<string> {
    const slug = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${unique()}`.toLowerCase();
    await sql`insert into components (slug, name, kind, summary) values (${slug}, ${name}, ${'software'}, ${summary})`.execute(
      database().db,
    );
    return slug;
  }

  it('finds a component by a misspelt name', async () => {
    const slug = await addComponent('Bartholomew Waste Planner', 'Plans bin collection rounds.');
    await services.searchService.refreshSearchIndex();
    const result = await search('Bartholomw Wste Planer');
    expect(result.items.map((item) => item.id)).toContain(slug);
  });

  it('finds a council by its short name and by its official name, the exact name first', async () => {
    const short = await search('Oxford');
    expect(short.items[0]).toMatchObject({ type: 'organisation', title: 'Oxford' });
    const official = await search('Oxford City Council');
    expect(official.items[0]).toMatchObject({ type: 'organisation', title: 'Oxford' });
  });

  it('ranks a case study about a word above a record that mentions it once, with the word highlighted', async () => {
    await addComponent('Generic records tool', 'Keeps records; one team used it for a zebracrossing survey among many other things.');
    const author = await buildKnowledgePerson(database().db, oxford, 'member');
    await services.caseStudiesService.createCaseStudy(
      author,
      buildCaseStudyInput({ title: 'Zebracrossing safety audits', summary: 'Zebracrossing audits done by residents with an app.' }),
      false,
    );
    await services.searchService.refreshSearchIndex();
    // The draft is the author council's: its people find it first; others do not see it.
    const own = await search('zebracrossing', {}, author);
    expect(own.items[0]).toMatchObject({ type: 'case-study', title: 'Zebracrossing safety audits' });
    expect(own.items[0]?.snippet).toContain('<mark>Zebracrossing</mark>');
    expect(own.items).toHaveLength(2);
    const anonymous = await search('zebracrossing');
    expect(anonymous.items.map((item) => item.type)).toEqual(['component']);
  });

  it('counts facets over the matches', async () => {
    await addComponent('Quokkafinder alpha', 'Quokkafinder for housing.');
    await addComponent('Quokkafinder beta', 'Quokkafinder for waste.');
    const member = await buildKnowledgePerson(database().db, devon, 'member');
    await services.challengesService.createChallenge(member, {
      title: 'Quokkafinder for our housing team',
      problem: 'We need a quokkafinder.',
      serviceArea: 'housing',
      budgetBand: 'unknown',
      visibility: 'public',
    });
    await services.searchService.refreshSearchIndex();
    const result = await search('quokkafinder');
    expect(result.total).toBe(3);
    expect(result.facets.type).toEqual({ component: 2, challenge: 1 });
    expect(result.facets.serviceArea).toEqual({ housing: 1 });
    expect(result.facets.region).toEqual({ 'South West': 1 });
    const challengesOnly = await search('quokkafinder', { types: ['challenge'] });
    expect(challengesOnly.total).toBe(1);
    // The type facet still counts every type, so people can switch.
    expect(challengesOnly.facets.type).toEqual({ component: 2, challenge: 1 });
  });

  it('never shows a draft challenge to people outside its council', async () => {
    const member = await buildKnowledgePerson(database().db, devon, 'member');
    const outsider = await buildKnowledgePerson(database().db, oxford, 'member');
    const admin = await buildKnowledgePerson(database().db, oxford, 'platform-admin');
    const id = await services.challengesService.createChallenge(member, {
      title: 'Secret wombatcounting plans',
      problem: 'Not ready to share with other councils yet.',
      serviceArea: 'housing',
      budgetBand: 'unknown',
      visibility: 'draft',
    });
    await services.searchService.refreshSearchIndex();
    expect((await search('wombatcounting')).total).toBe(0);
    expect((await search('wombatcounting', {}, outsider)).total).toBe(0);
    expect((await search('wombatcounting', {}, member)).items[0]?.id).toBe(String(id));
    expect((await search('wombatcounting', {}, admin)).total).toBe(1);
  });

  it('keeps the index current: a change shows after the refresh a write asks for', async () => {
    const slug = await addComponent('Platypusplanner', 'Plans things.');
    expect((await search('platypusplanner')).total).toBe(0);
    await services.searchService.requestRefresh();
    expect((await search('platypusplanner')).items[0]?.id).toBe(slug);
  });

  it('takes deleted or withdrawn records out at the next refresh, not only at a rebuild', async () => {
    const document = (key: string, title: string) => ({
      type: 'test-note',
      key,
      title,
      body: 'A note kept for the test.',
      url: `/notes/${key}`,
      visibility: 'public' as const,
      updatedAt: new Date('2026-01-01T00:00:00Z'),
    });
    const notes = new Map([
      ['one', document('one', 'Ocelotsurvey one')],
      ['two', document('two', 'Ocelotsurvey two')],
    ]);
    services.searchService.registerSource({
      type: 'test-note',
      label: 'Notes',
      listSearchDocuments: () => Promise.resolve([...notes.values()]),
      listsEverything: true,
    });
    const keyed = new Map([
      ['three', { ...document('three', 'Ocelotsurvey three'), type: 'test-keyed' }],
      ['four', { ...document('four', 'Ocelotsurvey four'), type: 'test-keyed' }],
    ]);
    services.searchService.registerSource({
      type: 'test-keyed',
      label: 'Keyed notes',
      // Lists only changes since the instant (nothing changes here after the first listing): the keys say what is left.
      listSearchDocuments: (since) => Promise.resolve(since ? [] : [...keyed.values()]),
      listSearchKeys: () => Promise.resolve([...keyed.keys()]),
    });
    await services.searchService.refreshSearchIndex({ types: ['test-note', 'test-keyed'] });
    expect((await search('ocelotsurvey')).total).toBe(4);
    notes.delete('one');
    keyed.delete('four');
    await services.searchService.requestRefresh();
    const after = await search('ocelotsurvey');
    expect(after.items.map((item) => item.id).sort()).toEqual(['three', 'two']);
  });
});
