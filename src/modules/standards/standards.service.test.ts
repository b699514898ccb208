import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../app/services.js';
import { seedCatalogueDemo } from '../catalogue/index.js';
import type { Actor } from '../../platform/actor.js';
import { ConflictError, InputError } from '../../platform/errors.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { buildUser, organisationId, unique } from '../../../test/support/factories.js';
import { fixedClock } from '../../../test/support/test-app.js';
import { monthsBefore, outcomeOfRatings, quartersUpTo } from './standards.records.js';

const POINTS = [1, 2, 3].map((number) => ({
  title: `Point ${number}`,
  meaning: `What point ${number} means`,
  whyItMatters: 'Because it matters',
  howToMeet: 'Do the work',
  evidenceGuidance: 'Show the work',
}));

function actorFor(person: { id: number; email: string }, organisationIdValue: number, role: Actor['role'] = 'member'): Actor {
  return {
    userId: person.id,
    email: person.email,
    name: 'Test Person',
    organisationId: organisationIdValue,
    organisationName: null,
    role,
    via: 'session',
    credentialId: 0,
    scopes: ['read', 'write'],
  };
}

describe('measuring helpers', () => {
  it('counts a standard met only when every point is met or not applicable', () => {
    expect(outcomeOfRatings(['met', 'not-applicable', 'met'])).toBe('met');
    expect(outcomeOfRatings(['met', 'partly-met'])).toBe('not-met');
    expect(outcomeOfRatings(['met', null])).toBe('not-met');
    expect(outcomeOfRatings([])).toBe('not-met');
  });

  it('goes back 24 months, clamping to the end of a short month', () => {
    expect(monthsBefore('2026-06-01', 24)).toBe('2024-06-01');
    expect(monthsBefore('2026-03-31', 1)).toBe('2026-02-28');
    expect(monthsBefore('2026-01-15', 13)).toBe('2024-12-15');
  });

  it('lists quarters up to a date, measuring the current one on the date itself', () => {
    expect(quartersUpTo('2026-06-01', 3)).toEqual([
      { quarter: '2025 Q4', onDate: '2025-12-31' },
      { quarter: '2026 Q1', onDate: '2026-03-31' },
      { quarter: '2026 Q2', onDate: '2026-06-01' },
    ]);
  });
});

describeEachEngine('standards, assessments and adoption', ({ database }) => {
  let services: Services;
  let slug: string;
  const code = async (gss: string) => organisationId(database().db, gss);

  beforeAll(async () => {
    services = createServices({ db: database().db, clock: fixedClock });
    await seedCatalogueDemo(services);
    slug = `test-standard-${unique()}`.replace(/[^a-z0-9-]/g, '-');
    const institute = await code('E07000178');
    await services.standardsService.createStandard(null, {
      slug,
      title: 'Test standard',
      purpose: 'Testing',
      ownerOrganisationId: institute,
      points: POINTS,
    });
    await services.standardsService.changeVersionStatus(null, slug, 1, 'published', 'First version.');
  });

  it('measures adoption across tiers: former councils, out-of-date and not-met assessments never count', async () => {
    const record = async (
      gss: string,
      ratings: ('met' | 'not-met')[],
      decisions: { basis: 'self' | 'peer' | 'audited'; decidedOn: string }[],
    ) =>
      services.standardsService.recordAssessmentOutcome({
        standardSlug: slug,
        organisationId: await code(gss),
        serviceName: null,
        ratings,
        decisions,
      });
    // Met, self-assessed (district, South East).
    await record('E07000178', ['met'], [{ basis: 'self', decidedOn: '2026-03-01' }]);
    // Met, audited (county, South West).
    await record(
      'E10000008',
      ['met'],
      [
        { basis: 'self', decidedOn: '2026-04-15' },
        { basis: 'peer', decidedOn: '2026-05-01' },
        { basis: 'audited', decidedOn: '2026-05-20' },
      ],
    );
    // Met, peer-reviewed (metropolitan district).
    await record(
      'E08000035',
      ['met'],
      [
        { basis: 'self', decidedOn: '2025-10-01' },
        { basis: 'peer', decidedOn: '2025-11-01' },
      ],
    );
    // Not met (metropolitan district, North West).
    await record('E08000009', ['met', 'not-met'], [{ basis: 'self', decidedOn: '2026-01-10' }]);
    // Met, but decided more than 24 months ago: out of date (unitary, North West).
    await record('E06000063', ['met'], [{ basis: 'peer', decidedOn: '2023-12-01' }]);
    // A former council (abolished 2023): never counts, whatever it reported.
    await record('E07000026', ['met'], [{ basis: 'audited', decidedOn: '2026-02-01' }]);
    // Met, then a newer assessment not met: the most recent counts (London borough).
    await record('E09000007', ['met'], [{ basis: 'self', decidedOn: '2025-01-01' }]);
    await record('E09000007', ['not-met'], [{ basis: 'self', decidedOn: '2026-02-01' }]);
    // Not met, then a newer assessment met (London borough).
    await record('E09000033', ['not-met'], [{ basis: 'self', decidedOn: '2025-01-01' }]);
    await record('E09000033', ['met'], [{ basis: 'self', decidedOn: '2026-04-01' }]);

    const adoption = await services.standardsService.measureAdoption(slug);
    expect(adoption).toMatchObject({
      councils: 317,
      meeting: 4,
      selfAssessed: 2,
      peerReviewed: 1,
      audited: 1,
      assessedNotMet: 2,
      percentage: 1.3,
      target: 0.7,
    });
    expect(adoption.byRegion.London).toEqual({ councils: 33, meeting: 1, percentage: 3 });
    expect(adoption.byRegion['South East']?.meeting).toBe(1);
    expect(adoption.byRegion['North West']?.meeting).toBe(0);
    expect(Object.values(adoption.byRegion).reduce((sum, region) => sum + region.councils, 0)).toBe(317);
    expect(adoption.byCouncilType.County).toMatchObject({ councils: 21, meeting: 1 });
    expect(adoption.byCouncilType['Metropolitan district']).toMatchObject({ councils: 36, meeting: 1 });
    expect(adoption.byCouncilType['London borough']).toMatchObject({ councils: 32, meeting: 1 });
    const status = (name: string) => adoption.councilList.find((council) => council.name === name)?.status;
    expect(status('Cumberland')).toBe('out-of-date');
    expect(status('Trafford')).toBe('not-met');
    expect(status('Devon')).toBe('met');
    expect(status('Adur')).toBe('none');
    expect(adoption.councilList.map((council) => council.name)).not.toContain('Allerdale');

    const quarter = (label: string) => adoption.quarters.find((entry) => entry.quarter === label);
    expect(adoption.quarters).toHaveLength(8);
    expect(quarter('2026 Q2')).toMatchObject({ councils: 317, meeting: 4 });
    expect(quarter('2026 Q1')).toMatchObject({ councils: 317, meeting: 2 });
    expect(quarter('2025 Q4')).toMatchObject({ councils: 317, meeting: 2 });

    // Measured on an earlier date, before the 2023 reorganisation, the denominator and Cumberland's assessment change.
    const earlier = await services.standardsService.measureAdoption(slug, '2024-01-01');
    expect(earlier.councils).toBe(317);
    expect(earlier.meeting).toBe(1);
  });

  it('refuses to change a published version, in the service and in the database', async () => {
    const change = () => services.standardsService.updatePoint(null, slug, 1, 1, { ...POINTS[0]!, title: 'Rewritten' });
    await expect(change()).rejects.toThrow(ConflictError);
    await expect(change()).rejects.toThrow(/published and cannot be changed/);

    const db = database().db;
    const version = await db
      .selectFrom('standard_versions')
      .innerJoin('standards', 'standards.id', 'standard_versions.standard_id')
      .select('standard_versions.id')
      .where('standards.slug', '=', slug)
      .executeTakeFirstOrThrow();
    await expect(db.updateTable('standard_points').set({ title: 'Sneaky' }).where('version_id', '=', version.id).execute()).rejects.toThrow(
      /published standard version cannot be changed/,
    );
    await expect(db.deleteFrom('standard_points').where('version_id', '=', version.id).execute()).rejects.toThrow(/cannot be changed/);
    await expect(
      db
        .insertInto('standard_points')
        .values({
          version_id: version.id,
          point_number: 99,
          title: 'x',
          meaning: 'x',
          why_it_matters: 'x',
          how_to_meet: 'x',
          evidence_guidance: 'x',
        })
        .execute(),
    ).rejects.toThrow(/cannot be changed/);
    await expect(
      db.updateTable('standard_versions').set({ changes_summary: 'Sneaky' }).where('id', '=', version.id).execute(),
    ).rejects.toThrow(/is published and cannot be changed/);
    await expect(db.deleteFrom('standard_versions').where('id', '=', version.id).execute()).rejects.toThrow(/is published/);
    const titles = await db
      .selectFrom('standard_points')
      .select('title')
      .where('version_id', '=', version.id)
      .orderBy('point_number')
      .execute();
    expect(titles.map((row) => row.title)).toEqual(['Point 1', 'Point 2', 'Point 3']);

    // A new version starts as a draft copy, which can be reworded, and must say what changed to be published.
    await services.standardsService.createDraftVersion(null, slug);
    await services.standardsService.updatePoint(null, slug, 2, 1, { ...POINTS[0]!, title: 'Point 1, clearer' });
    await expect(services.standardsService.changeVersionStatus(null, slug, 2, 'published', '')).rejects.toThrow(InputError);
    await services.standardsService.changeVersionStatus(null, slug, 2, 'published', 'Point 1 is clearer.');
    const standards = await services.standardsService.listStandards();
    const published = standards.find((standard) => standard.slug === slug);
    expect(published?.currentVersion).toBe(2);
    expect(published?.points[0]?.title).toBe('Point 1, clearer');
    const first = await services.standardsService.getStandard(slug, null, 1);
    expect(first.points[0]?.title).toBe('Point 1');
  });

  it('never assigns the assessed council as its own peer reviewer, and suggests similar councils', async () => {
    const db = database().db;
    for (const gss of ['E07000178', 'E08000035', 'E09000033', 'E10000008', 'E06000063']) {
      const councilId = await code(gss);
      const person = await buildUser(db, { organisationId: councilId });
      const actor = actorFor(person, councilId);
      const id = await services.standardsService.startAssessment(actor, slug, { serviceName: `Service at ${gss}` });
      await services.standardsService.saveRatings(
        actor,
        id,
        'self',
        [1, 2, 3].map((pointNumber) => ({ pointNumber, rating: 'met', commentary: '', evidenceLinks: '', componentSlugs: '' })),
        true,
      );
      const suggestions = await services.standardsService.suggestPeerReviewers(actor, id);
      expect(suggestions.length).toBeGreaterThan(0);
      expect(suggestions.map((suggestion) => suggestion.id)).not.toContain(councilId);
      const assessed = await services.organisationsService.getOrganisation(gss);
      // Councils with nobody on the platform yet come after, but within the same tier similar type or region leads.
      const top = suggestions[0]!;
      const similar = await services.organisationsService.getOrganisation(top.code);
      expect(similar.councilType === assessed.councilType || similar.region === assessed.region).toBe(true);

      await expect(services.standardsService.requestPeerReview(actor, id, councilId)).rejects.toThrow(/cannot peer-review itself/);
      // Without a choice, the first suggestion is assigned, and it is never the assessed council.
      await services.standardsService.requestPeerReview(actor, id, null);
      const row = await db.selectFrom('standard_assessments').select('peer_organisation_id').where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.peer_organisation_id).not.toBe(councilId);
      expect(row.peer_organisation_id).toBe(top.id);
    }
    // The database refuses it too.
    const oxford = await code('E07000178');
    await expect(
      sql`update standard_assessments set peer_organisation_id = organisation_id where organisation_id = ${oxford}`.execute(db),
    ).rejects.toThrow(/check/i);
  });

  it('runs a self-assessment, peer review and audit, with the outcome and basis moving on each step', async () => {
    const db = database().db;
    const oxford = await code('E07000178');
    const devon = await code('E10000008');
    const oxfordActor = actorFor(await buildUser(db, { organisationId: oxford }), oxford);
    const devonActor = actorFor(await buildUser(db, { organisationId: devon }), devon);
    const assessor = actorFor(await buildUser(db, { organisationId: oxford, role: 'assessor' }), oxford, 'assessor');
    const rate = (rating: 'met' | 'not-met') =>
      [1, 2, 3].map((pointNumber) => ({
        pointNumber,
        rating,
        commentary: 'Seen it',
        evidenceLinks: 'https://example.gov.uk/evidence',
        componentSlugs: 'localgov-drupal',
      }));

    const id = await services.standardsService.startAssessment(oxfordActor, slug, { serviceName: 'Council tax' });
    await expect(
      services.standardsService.saveRatings(
        oxfordActor,
        id,
        'self',
        [{ pointNumber: 1, rating: 'met', commentary: '', evidenceLinks: 'not a link', componentSlugs: '' }],
        false,
      ),
    ).rejects.toThrow(/not a web address/);
    // Cited components are checked against the catalogue.
    await expect(
      services.standardsService.saveRatings(
        oxfordActor,
        id,
        'self',
        [{ pointNumber: 1, rating: 'met', commentary: '', evidenceLinks: '', componentSlugs: 'no-such-component' }],
        false,
      ),
    ).rejects.toThrow(/There is no component called no-such-component in the catalogue/);
    await expect(services.standardsService.saveRatings(oxfordActor, id, 'self', rate('met').slice(0, 2), true)).rejects.toThrow(
      /Choose a rating for point 3/,
    );
    await expect(services.standardsService.saveRatings(devonActor, id, 'self', rate('met'), true)).rejects.toThrow(
      /Only people at the assessed council/,
    );
    await services.standardsService.saveRatings(oxfordActor, id, 'self', rate('met'), true);
    await expect(services.standardsService.saveRatings(devonActor, id, 'peer', rate('not-met'), true)).rejects.toThrow(
      /Only people at the council asked/,
    );
    await services.standardsService.requestPeerReview(oxfordActor, id, devon);
    await expect(services.standardsService.saveRatings(oxfordActor, id, 'peer', rate('met'), true)).rejects.toThrow(
      /Only people at the council asked/,
    );
    await services.standardsService.saveRatings(devonActor, id, 'peer', rate('not-met'), true);
    const reviewed = await services.standardsService.getAssessment(oxfordActor, id);
    expect(reviewed.assessment).toMatchObject({ stage: 'peer-reviewed', outcome: 'not-met', basis: 'peer' });
    expect(reviewed.disagreements).toBe(3);
    expect(reviewed.rows[0]?.self?.evidence_links).toEqual(['https://example.gov.uk/evidence']);
    expect(reviewed.rows[0]?.self?.component_slugs).toEqual(['localgov-drupal']);
    await services.standardsService.saveRatings(assessor, id, 'audit', rate('met'), true);
    const audited = await services.standardsService.getAssessment(oxfordActor, id);
    expect(audited.assessment).toMatchObject({ stage: 'audited', outcome: 'met', basis: 'audited' });
  });

  it('counts a submitted self-assessment only once an admin or the named owner signs it off', async () => {
    const db = database().db;
    const oxford = await code('E07000178');
    const member = await buildUser(db, { organisationId: oxford });
    const owner = await buildUser(db, { organisationId: oxford, name: 'Olu Owner' });
    const memberActor = actorFor(member, oxford);
    const ownerActor = actorFor(owner, oxford);
    const adminActor = actorFor(await buildUser(db, { organisationId: oxford, role: 'organisation-admin' }), oxford, 'organisation-admin');
    const rateAll = [1, 2, 3].map((pointNumber) => ({
      pointNumber,
      rating: 'met' as const,
      commentary: '',
      evidenceLinks: '',
      componentSlugs: '',
    }));
    const standard = `signed-${unique()}`.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    await services.standardsService.createStandard(null, {
      slug: standard,
      title: 'Signed',
      purpose: 'Sign-off',
      ownerOrganisationId: oxford,
      points: POINTS,
    });
    await services.standardsService.changeVersionStatus(null, standard, 1, 'published', 'First version.');
    const meeting = async () => (await services.standardsService.measureAdoption(standard)).meeting;

    const id = await services.standardsService.startAssessment(memberActor, standard, { serviceName: 'Libraries' });
    await services.standardsService.saveRatings(memberActor, id, 'self', rateAll, true);
    expect(await meeting()).toBe(0);
    expect((await services.standardsService.measureAdoption(standard)).awaitingSignOff).toBe(1);
    expect((await services.standardsService.getAssessment(memberActor, id)).can.signOff).toBe(false);
    await expect(services.standardsService.signOff(memberActor, id)).rejects.toThrow(/Only an admin/);
    await expect(services.standardsService.signOff(ownerActor, id)).rejects.toThrow(/Only an admin/);
    await expect(services.standardsService.nameOwner(memberActor, id, owner.id)).rejects.toThrow(/Only an admin/);
    await expect(services.standardsService.nameOwner(adminActor, id, 999_999)).rejects.toThrow(/Choose a person/);

    await services.standardsService.nameOwner(adminActor, id, owner.id);
    expect((await services.standardsService.getAssessment(ownerActor, id)).can.signOff).toBe(true);
    await services.standardsService.signOff(ownerActor, id);
    expect(await meeting()).toBe(1);
    const signed = await services.standardsService.getAssessment(adminActor, id);
    expect(signed.assessment).toMatchObject({ signed_off_by: owner.id, signed_off_by_name: 'Olu Owner', owner_name: 'Olu Owner' });
    expect(signed.can.signOff).toBe(false);
    await expect(services.standardsService.signOff(adminActor, id)).rejects.toThrow(ConflictError);
    const events = await db
      .selectFrom('audit_events')
      .select('action')
      .where('subject_type', '=', 'assessment')
      .where('subject_id', '=', String(id))
      .execute();
    expect(events.map((event) => event.action)).toEqual(expect.arrayContaining(['assessment.name-owner', 'assessment.sign-off']));
  });

  it('lists overdue actions and reminds their owners once a week through the outbox', async () => {
    const db = database().db;
    const leeds = await code('E08000035');
    const actor = actorFor(await buildUser(db, { organisationId: leeds }), leeds);
    const id = await services.standardsService.startAssessment(actor, slug, { serviceName: 'Bins' });
    await expect(
      services.standardsService.addAction(actor, id, { description: '', ownerName: '', ownerEmail: 'nope', dueOn: null, pointNumber: 9 }),
    ).rejects.toThrow(InputError);
    await services.standardsService.addAction(actor, id, {
      description: 'Publish the accessibility statement',
      ownerName: 'Jo Evans',
      ownerEmail: 'jo.owner@leeds.example',
      dueOn: '2026-05-01',
      pointNumber: 2,
    });
    await services.standardsService.addAction(actor, id, {
      description: 'Not due yet',
      ownerName: 'Jo',
      ownerEmail: '',
      dueOn: '2026-09-01',
      pointNumber: null,
    });
    const overview = await services.standardsService.getOrganisationOverview(actor);
    expect(overview.overdue.map((action) => action.description)).toEqual(['Publish the accessibility statement']);

    expect(await services.standardsService.remindOverdueActions()).toBeGreaterThanOrEqual(1);
    const mail = await db.selectFrom('mail_outbox').selectAll().where('recipient', '=', 'jo.owner@leeds.example').execute();
    expect(mail).toHaveLength(1);
    expect(mail[0]?.body).toContain('Publish the accessibility statement');
    expect(await services.standardsService.remindOverdueActions()).toBe(0);
  });
});
