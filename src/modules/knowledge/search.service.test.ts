import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { createServices, type Services } from '../../app/services.js';
import type { SearchDocumentInput } from '../../platform/search.js';
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

  /** A source of test documents of one type that lists everything it holds (change the map, then refresh). */
  function registerNotes(type: string) {
    const notes = new Map<string, SearchDocumentInput>();
    services.searchService.registerSource({
      type,
      label: type,
      listSearchDocuments: () => Promise.resolve([...notes.values()]),
      listsEverything: true,
    });
    const put = (key: string, fields: Pick<SearchDocumentInput, 'title' | 'body'> & Partial<SearchDocumentInput>) =>
      notes.set(key, {
        type,
        key,
        url: `/notes/${key}`,
        visibility: 'public' as const,
        updatedAt: new Date('2026-01-01T00:00:00Z'),
        ...fields,
      });
    return { put, refresh: () => services.searchService.refreshSearchIndex({ types: [type] }) };
  }

  it('finds a quoted phrase only where its words stand together, and counts only those', async () => {
    const notes = registerNotes('test-phrase');
    notes.put('together', { title: 'Phrase note one', body: 'The wobbegong shark rests on the reef.' });
    notes.put('apart', { title: 'Phrase note two', body: 'A shark swam past a sleeping wobbegong.' });
    await notes.refresh();
    const both = await search('wobbegong shark');
    expect(both.total).toBe(2);
    const phrase = await search('"wobbegong shark"');
    expect(phrase.total).toBe(1);
    expect(phrase.facets.type).toEqual({ 'test-phrase': 1 });
    expect(phrase.items.map((item) => item.id)).toEqual(['together']);
  });

  it('counts and shows a document as its latest change left it: its facets and who may see it', async () => {
    const notes = registerNotes('test-changing');
    notes.put('note', {
      title: 'Numbatcensus plan',
      body: 'Counting numbats.',
      serviceArea: 'housing',
      visibility: 'organisation',
      ownerOrganisationId: oxford,
    });
    await notes.refresh();
    const insider = await buildKnowledgePerson(database().db, oxford, 'member');
    expect((await search('numbatcensus')).total).toBe(0);
    const own = await search('numbatcensus', {}, insider);
    expect(own.total).toBe(1);
    expect(own.facets.serviceArea).toEqual({ housing: 1 });
    notes.put('note', {
      title: 'Numbatcensus plan',
      body: 'Counting numbats, now shared.',
      serviceArea: 'adult-social-care',
      region: 'South West',
      visibility: 'public',
      updatedAt: new Date('2026-02-01T00:00:00Z'),
    });
    await notes.refresh();
    const anonymous = await search('numbatcensus');
    expect(anonymous.total).toBe(1);
    expect(anonymous.facets.serviceArea).toEqual({ 'adult-social-care': 1 });
    expect(anonymous.facets.region).toEqual({ 'South West': 1 });
    expect((await search('numbatcensus', { serviceArea: 'housing' })).total).toBe(0);
  });

  it('puts the exact name first however many newer documents mention it, and counts every match', async () => {
    const notes = registerNotes('test-many');
    for (let index = 0; index < 400; index += 1) {
      notes.put(`mention-${index}`, {
        title: `Field note ${index}`,
        body: `Saw quillwort by the pond, among other plants.`,
        evidenceLevel: 5,
        updatedAt: new Date(Date.UTC(2026, 0, 1 + (index % 28))),
      });
    }
    notes.put('named', { title: 'Quillwort', body: 'A small aquatic plant.', updatedAt: new Date('2019-01-01T00:00:00Z') });
    await notes.refresh();
    const result = await search('quillwort');
    expect(result.total).toBe(401);
    expect(result.facets.evidenceLevel).toEqual({ '5': 400 });
    expect(result.items[0]).toMatchObject({ id: 'named', title: 'Quillwort' });
    const second = await search('quillwort', { page: 2 });
    expect(second.items).toHaveLength(20);
    expect(second.items.map((item) => item.id)).not.toContain('named');
  });

  it('searches a word as its look-alikes only when the exact words find too little', async () => {
    const notes = registerNotes('test-lookalike');
    for (const name of ['Heronlog alpha', 'Heronlog beta', 'Heronlag gamma'])
      notes.put(name.toLowerCase().replace(' ', '-'), { title: name, body: 'Birds seen at the lake.' });
    // A word of bodies only (bodies give no look-alikes), found often enough to be taken as meant.
    for (const key of ['one', 'two', 'three']) notes.put(`log-${key}`, { title: `Lake log ${key}`, body: 'A heronlug was seen.' });
    await notes.refresh();
    const found = await search('heronlug');
    expect(found.total).toBe(3);
    expect(found.items.map((item) => item.title).sort()).toEqual(['Lake log one', 'Lake log three', 'Lake log two']);
    const misspelt = await search('heronlig');
    expect(misspelt.total).toBe(3);
    expect(misspelt.items.map((item) => item.title).sort()).toEqual(['Heronlag gamma', 'Heronlog alpha', 'Heronlog beta']);
  });
});
