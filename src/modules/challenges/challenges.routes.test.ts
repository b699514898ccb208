import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Services } from '../../app/services.js';
import type { Actor, Role } from '../../platform/actor.js';
import { CSRF_COOKIE, csrfTokenFor } from '../../platform/http/csrf.js';
import { formBody } from '../../../test/support/authorisation.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { auditEventsAfter, buildUser, lastAuditEventId, organisationId, startSession } from '../../../test/support/factories.js';
import { buildTestApp, fixedClock, TEST_SECRET } from '../../../test/support/test-app.js';
import { followRedirect, successBanner } from '../../../test/support/flash.js';

interface Person extends Actor {
  cookie: string;
  session: string;
}

describeEachEngine('the challenge pipeline', ({ database }) => {
  let app: FastifyInstance;
  let services: Services;
  const councils: Record<'oxford' | 'devon' | 'leeds' | 'trafford' | 'allerdale', number> = {
    oxford: 0,
    devon: 0,
    leeds: 0,
    trafford: 0,
    allerdale: 0,
  };
  let oxford: Person;
  let oxfordColleague: Person;
  let devon: Person;
  let devonColleague: Person;
  let leeds: Person;
  let supplier: Person;
  let admin: Person;

  async function person(organisation: number, role: Role): Promise<Person> {
    const user = await buildUser(database().db, { organisationId: organisation, role, name: `Test ${role}` });
    const session = await startSession(database().db, user.id, fixedClock());
    return {
      userId: user.id,
      email: user.email,
      name: `Test ${role}`,
      organisationId: organisation,
      organisationName: null,
      role,
      via: 'session',
      credentialId: 0,
      scopes: ['read', 'write'],
      cookie: `commons_session=${session}`,
      session,
    };
  }

  /** Sends a form as a person, with a valid CSRF token, as a browser would. */
  async function submit(who: Person | null, url: string, body: Record<string, string | readonly string[]>) {
    const csrf = crypto.randomBytes(32).toString('base64url');
    return app.inject({
      method: 'POST',
      url,
      headers: {
        cookie: [`${CSRF_COOKIE}=${csrf}`, ...(who ? [who.cookie] : [])].join('; '),
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: formBody({ ...body, _csrf: csrfTokenFor(TEST_SECRET, csrf, who?.session) }),
    });
  }

  const page = (who: Person | null, url: string) => app.inject({ url, headers: who ? { cookie: who.cookie } : {} });

  beforeAll(async () => {
    ({ app, services } = await buildTestApp(database()));
    const db = database().db;
    councils.oxford = await organisationId(db, 'E07000178');
    councils.devon = await organisationId(db, 'E10000008');
    councils.leeds = await organisationId(db, 'E08000035');
    councils.trafford = await organisationId(db, 'E08000009');
    councils.allerdale = await organisationId(db, 'E07000026');
    const supplierOrganisation = await db
      .insertInto('organisations')
      .values({
        kind: 'supplier',
        slug: `supplier-${crypto.randomBytes(3).toString('hex')}`,
        name: 'Test Supplier Ltd',
        official_name: 'Test Supplier Ltd',
        search_names: 'test supplier ltd',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const institute = await db
      .insertInto('organisations')
      .values({
        kind: 'institute',
        slug: `institute-${crypto.randomBytes(3).toString('hex')}`,
        name: 'Test Institute',
        official_name: 'Test Institute',
        search_names: 'test institute',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    oxford = await person(councils.oxford, 'member');
    oxfordColleague = await person(councils.oxford, 'organisation-admin');
    devon = await person(councils.devon, 'member');
    devonColleague = await person(councils.devon, 'member');
    leeds = await person(councils.leeds, 'organisation-admin');
    supplier = await person(supplierOrganisation.id, 'supplier');
    admin = await person(institute.id, 'platform-admin');
  });
  afterAll(async () => {
    await app.close();
  });

  it('offers similar challenges before posting, and posts only when asked', async () => {
    await services.challengesService.seedChallenge({
      ownerOrganisationId: councils.leeds,
      challenge: {
        title: 'Reporting damp and mould in council homes',
        problem: 'Tenants report damp and mould by phone and email, so reports are lost and inspections are late.',
        serviceArea: 'housing',
      },
      sharers: [],
    });
    const draft = {
      title: 'Mould and damp reports from tenants',
      problem: 'Our tenants report mould in many ways and we cannot show each report was inspected in time.',
      serviceArea: 'housing',
      budgetBand: 'unknown',
      visibility: 'public',
    };
    const before = await lastAuditEventId(database().db);
    const check = await submit(oxford, '/challenges', { ...draft, intent: 'check' });
    expect(check.statusCode).toBe(200);
    expect(check.body).toContain('Similar challenges already posted');
    expect(check.body).toContain('Reporting damp and mould in council homes');
    expect(check.body).toContain('Post challenge');
    expect(await auditEventsAfter(database().db, before)).toEqual([]);

    const post = await submit(oxford, '/challenges', { ...draft, intent: 'post', scale: '7,800', scaleUnit: 'households' });
    expect(post.statusCode).toBe(303);
    const id = Number(/^\/challenges\/(\d+)$/.exec(String(post.headers.location))?.[1]);
    const events = await auditEventsAfter(database().db, before);
    expect(events.map((event) => event.action)).toEqual(['challenge.create']);
    const landed = await followRedirect(app, post, oxford.cookie);
    expect(successBanner(landed.body)).toBe('Your challenge is posted');
    // Shown once: the next visit has no banner.
    expect(successBanner((await page(oxford, `/challenges/${id}`)).body)).toBeNull();
    const detail = await services.challengesService.getChallenge(id);
    expect(detail).toMatchObject({ title: draft.title, stage: 'identified', sharedBy: 1, owner: { code: 'E07000178' } });
    expect(detail.sharers[0]).toMatchObject({ owner: true, scale: 7800, scaleUnit: 'households' });
  });

  it('shows a supplier why they cannot post a challenge instead of the form, and keeps their text when refused late', async () => {
    const form = await page(supplier, '/challenges/new');
    expect(form.statusCode).toBe(403);
    expect(form.body).not.toContain('name="problem"');
    expect(form.body).toContain('Only people at a council can post a challenge');
    const before = await lastAuditEventId(database().db);
    const late = await submit(supplier, '/challenges', {
      title: 'A problem typed by the wrong person',
      problem: 'This text was typed before the refusal and must come back in the form.',
      serviceArea: 'housing',
      budgetBand: 'unknown',
      visibility: 'public',
      intent: 'post',
    });
    expect(late.statusCode).toBe(403);
    expect(late.body).toContain('data-access-refusal');
    expect(late.body).toContain('This text was typed before the refusal and must come back in the form.');
    expect(await auditEventsAfter(database().db, before)).toEqual([]);
  });

  it('shows a council member why they cannot respond as a supplier', async () => {
    const challenge = (await services.challengesService.listChallenges({ page: 1, pageSize: 1 })).items[0];
    const response = await page(oxford, `/challenges/${challenge?.id}/respond`);
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('Only people at a supplier, with a supplier account, can respond to a challenge');
    expect(response.body).not.toContain('name="offer"');
  });

  it('says which field is wrong and keeps what was typed', async () => {
    const response = await submit(oxford, '/challenges', {
      title: '',
      problem: 'short',
      serviceArea: 'nonsense',
      contractEndDate: '31/03/2027',
      intent: 'post',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('There is a problem');
    expect(response.body).toContain('<a href="#title">Enter a title that says what the problem is</a>');
    expect(response.body).toContain('<a href="#problem">Describe the problem in at least 20 characters</a>');
    expect(response.body).toContain('<a href="#serviceArea">Choose a service area</a>');
    expect(response.body).toContain('<a href="#contractEndDate">');
  });

  it('counts each council once, flags former councils and adds up their scale', async () => {
    const id = await services.challengesService.seedChallenge({
      ownerOrganisationId: councils.trafford,
      challenge: {
        title: 'Reviewing single person discounts',
        problem: 'Yearly paper reviews of the council tax discount get few replies.',
        serviceArea: 'revenues-and-benefits',
        scale: 31000,
        scaleUnit: 'households',
      },
      sharers: [{ organisationId: councils.allerdale, scale: 15000, scaleUnit: 'households' }],
    });
    const before = await lastAuditEventId(database().db);
    const join = await submit(devon, `/challenges/${id}/join`, {
      scale: '2,500',
      scaleUnit: 'households',
      budgetBand: '25k-100k',
      timing: 'Next year',
      comment: 'Us too',
    });
    expect(join.statusCode).toBe(303);
    // A colleague at the same council cannot make it count twice.
    const again = await submit(devonColleague, `/challenges/${id}/join`, { scale: '9999', scaleUnit: 'households' });
    expect(again.statusCode).toBe(409);
    const events = await auditEventsAfter(database().db, before);
    expect(events.map((event) => [event.action, event.organisation_id])).toEqual([['challenge.join', councils.devon]]);

    const api = (await app.inject(`/api/v1/challenges/${id}`)).json<{
      sharedBy: number;
      combinedScale: number;
      demand: { sharedBy: number; currentCouncils: number; formerCouncils: number; combinedScale: number; scaleByUnit: unknown[] };
      sharers: { name: string; current: boolean }[];
    }>();
    expect(api.sharedBy).toBe(3);
    expect(api.combinedScale).toBe(31000 + 15000 + 2500);
    expect(api.demand).toMatchObject({ sharedBy: 3, currentCouncils: 2, formerCouncils: 1, combinedScale: 48500 });
    expect(api.demand.scaleByUnit).toEqual([{ unit: 'households', total: 48500 }]);
    expect(api.sharers.find((entry) => entry.name === 'Allerdale')?.current).toBe(false);
    const html = (await page(null, `/challenges/${id}`)).body;
    expect(html).toContain('<strong>3 councils</strong> share this challenge, of which 1 no longer exist');
    expect(html).toContain('Former council');

    const leave = await submit(devonColleague, `/challenges/${id}/leave`, {});
    expect(leave.statusCode).toBe(303);
    const left = await auditEventsAfter(database().db, before);
    expect(left.map((event) => event.action)).toEqual(['challenge.join', 'challenge.leave']);
    expect((await services.challengesService.getChallenge(id)).demand).toMatchObject({ sharedBy: 2, combinedScale: 46000 });
    // The council that posted it cannot leave it.
    expect((await submit(oxfordColleague, `/challenges/${id}/leave`, {})).statusCode).toBe(409);
  });

  it('never adds unlike units of scale on the list', async () => {
    // The list never adds unlike units: residents are shown beside households, not added to them.
    await services.challengesService.seedChallenge({
      ownerOrganisationId: councils.trafford,
      challenge: {
        title: 'Mixed units of scale',
        problem: 'Two councils count the problem differently.',
        serviceArea: 'housing',
        scale: 1200,
        scaleUnit: 'households',
      },
      sharers: [{ organisationId: councils.devon, scale: 5000, scaleUnit: 'residents' }],
    });
    const list = (await page(null, '/challenges?q=Mixed+units+of+scale')).body;
    expect(list).toContain('5,000 residents<br>1,200 households');
    expect(list).not.toContain('6,200');
  });
  it('lets a supplier respond, shows the response only after the owner publishes it', async () => {
    const id = await services.challengesService.seedChallenge({
      ownerOrganisationId: councils.oxford,
      challenge: {
        title: 'Finding home care providers with capacity',
        problem: 'Brokers email dozens of agencies to place each package of care.',
        serviceArea: 'adult-social-care',
      },
      sharers: [],
    });
    expect((await submit(oxford, `/challenges/${id}/responses`, { offer: 'Not a supplier' })).statusCode).toBe(403);
    const empty = await submit(supplier, `/challenges/${id}/responses`, { offer: ' ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('<a href="#offer">Enter what you offer for this challenge</a>');
    const sent = await submit(supplier, `/challenges/${id}/responses`, {
      offer: 'A capacity tracker used by 12 councils',
      priceModel: 'Per council',
    });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`/challenges/${id}#responses`);
    expect(successBanner((await followRedirect(app, sent, supplier.cookie)).body)).toBe('Your response is sent');
    expect((await page(null, `/challenges/${id}`)).body).not.toContain('A capacity tracker');
    const ownerView = (await page(oxford, `/challenges/${id}`)).body;
    expect(ownerView).toContain('Waiting for moderation');
    const responseId = Number(/\/responses\/(\d+)\/moderate/.exec(ownerView)?.[1]);
    expect((await submit(devon, `/challenges/${id}/responses/${responseId}/moderate`, { decision: 'publish' })).statusCode).toBe(403);
    expect((await submit(oxford, `/challenges/${id}/responses/${responseId}/moderate`, { decision: 'publish' })).statusCode).toBe(303);
    expect((await page(null, `/challenges/${id}`)).body).toContain('A capacity tracker used by 12 councils');
  });

  it('lists, filters and downloads the pipeline, sorted by demand', async () => {
    const list = await app.inject('/api/v1/challenges?stage=identified&pageSize=100');
    const body = list.json<{ total: number; items: { id: number; title: string; stage: string; sharedBy: number }[] }>();
    expect(body.total).toBeGreaterThanOrEqual(3);
    expect(body.items.every((item) => item.stage === 'identified')).toBe(true);
    const shared = body.items.map((item) => item.sharedBy);
    expect(shared).toEqual([...shared].sort((a, b) => b - a));
    const search = await app.inject('/api/v1/challenges?q=discount');
    expect(search.json<{ items: { title: string }[] }>().items.map((item) => item.title)).toEqual(['Reviewing single person discounts']);
    const byRegion = await app.inject('/api/v1/challenges?region=North+West&minSharers=2');
    expect(byRegion.json<{ items: { title: string }[] }>().items.map((item) => item.title)).toContain('Reviewing single person discounts');
    const csv = await app.inject('/api/v1/challenges?format=csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.split('\r\n')[0]).toBe(
      'id,title,stage,service_area,budget_band,owner,owner_code,shared_by,scale_by_unit,stale,created_at,updated_at,problem',
    );
    const html = await app.inject('/challenges?q=&stage=&serviceArea=housing&budgetBand=&region=&tier=&minSharers=&sort=newest');
    expect(html.statusCode).toBe(200);
    expect(html.body).toContain('Reporting damp and mould in council homes');
    expect(html.body).not.toContain('Reviewing single person discounts');
    const empty = await app.inject('/challenges?q=zzzzqqqq');
    expect(empty.body).toContain('No challenges match these filters.');
  });

  it('answers the similar-challenges API with scores, best first', async () => {
    const response = await app.inject(`/api/v1/challenges/similar?text=${encodeURIComponent('damp and mould reports by tenants')}`);
    const items = response.json<{ items: { title: string; score: number }[] }>().items;
    // Both damp and mould challenges (Leeds’ and the one Oxford posted above) come before anything else.
    expect(
      items
        .slice(0, 2)
        .map((item) => item.title)
        .sort(),
    ).toEqual(['Mould and damp reports from tenants', 'Reporting damp and mould in council homes']);
    expect(items[0]?.score).toBeGreaterThan(0);
    expect((await app.inject('/api/v1/challenges/similar')).statusCode).toBe(400);
  });

  it('keeps drafts to the owning council', async () => {
    const post = await submit(leeds, '/challenges', {
      title: 'Secret draft about parking permits',
      problem: 'Residents apply on paper and permits take three weeks to arrive.',
      serviceArea: 'highways-and-transport',
      visibility: 'draft',
      intent: 'post',
    });
    const id = Number(/(\d+)$/.exec(String(post.headers.location))?.[1]);
    expect((await page(null, `/challenges/${id}`)).statusCode).toBe(404);
    expect((await app.inject(`/api/v1/challenges/${id}`)).statusCode).toBe(404);
    expect((await page(leeds, `/challenges/${id}`)).body).toContain('Draft: only your council can see it');
    expect((await app.inject('/api/v1/challenges?q=parking')).json<{ total: number }>().total).toBe(0);
    expect(
      (
        await submit(leeds, `/challenges/${id}/edit`, {
          title: 'Parking permits online',
          problem: 'Residents apply on paper and permits take three weeks.',
          serviceArea: 'highways-and-transport',
          visibility: 'public',
        })
      ).statusCode,
    ).toBe(303);
    expect((await app.inject('/api/v1/challenges?q=parking')).json<{ total: number }>().total).toBe(1);
  });

  it('merges a duplicate, keeping every supporter once', async () => {
    const keep = await services.challengesService.seedChallenge({
      ownerOrganisationId: councils.devon,
      challenge: {
        title: 'SEND transport routing',
        problem: 'Routes for children with SEND are planned by hand each summer.',
        serviceArea: 'children-and-education',
      },
      sharers: [{ organisationId: councils.leeds, scale: 100 }],
    });
    const duplicate = await services.challengesService.seedChallenge({
      ownerOrganisationId: councils.trafford,
      challenge: {
        title: 'Home to school transport for SEND pupils',
        problem: 'We plan taxi routes for pupils with special needs by hand.',
        serviceArea: 'children-and-education',
        scale: 50,
      },
      sharers: [
        { organisationId: councils.leeds, scale: 999 },
        { organisationId: councils.oxford, scale: 20 },
      ],
    });
    expect((await submit(oxford, `/challenges/${duplicate}/merge`, { into: String(keep) })).statusCode).toBe(403);
    expect((await submit(admin, `/challenges/${duplicate}/merge`, { into: String(keep) })).statusCode).toBe(303);
    const kept = await services.challengesService.getChallenge(keep);
    expect(kept.sharers.map((entry) => entry.code).sort()).toEqual(['E07000178', 'E08000009', 'E08000035', 'E10000008']);
    // Leeds already shared the kept challenge: its own entry stays, so it counts once.
    expect(kept.demand).toMatchObject({ sharedBy: 4 });
    expect(kept.sharers.find((entry) => entry.code === 'E08000035')?.scale).toBe(100);
    const merged = await services.challengesService.getChallenge(duplicate);
    expect(merged.mergedInto?.id).toBe(keep);
    expect(merged.sharers).toEqual([]);
  });

  it('turns a challenge shared by three councils into a collaboration with combined demand', async () => {
    const id = await services.challengesService.seedChallenge({
      ownerOrganisationId: councils.oxford,
      challenge: {
        title: 'Booking temporary accommodation',
        problem: 'Officers phone round every night to find rooms for homeless families.',
        serviceArea: 'housing',
        scale: 900,
        budgetBand: '25k-100k',
      },
      sharers: [{ organisationId: councils.leeds, scale: 2400, budgetBand: '100k-500k' }],
    });
    const proposal = {
      lead: String(councils.oxford),
      partners: [String(councils.leeds), String(councils.devon)],
      approach: 'buy-together',
      summary: 'Buy one booking platform',
    };
    // Two councils are not enough; Devon is not yet a sharer.
    expect((await submit(oxford, `/challenges/${id}/collaboration`, proposal)).statusCode).toBe(409);
    await submit(devon, `/challenges/${id}/join`, { scale: '300', budgetBand: '25k-100k' });
    expect((await submit(supplier, `/challenges/${id}/collaboration`, proposal)).statusCode).toBe(403);
    const tooFew = await submit(oxford, `/challenges/${id}/collaboration`, { ...proposal, partners: [String(councils.leeds)] });
    expect(tooFew.statusCode).toBe(400);
    expect(tooFew.body).toContain('Choose at least 2 partner councils besides the lead');
    expect((await submit(oxford, `/challenges/${id}/collaboration`, proposal)).statusCode).toBe(303);
    const collaboration = await services.challengesService.getCollaboration(id);
    expect(collaboration.lead?.code).toBe('E07000178');
    expect(collaboration.demand).toMatchObject({ sharedBy: 3, combinedScale: 900 + 2400 + 300 });
    const html = (await page(null, `/challenges/${id}/collaboration`)).body;
    expect(html).toContain('Buy it together');
    expect(html).toMatch(/3 councils with 3,600 residents affected/);
  });

  it('marks challenges stale after six months and reminds their owners once', async () => {
    const sevenMonthsAgo = new Date(fixedClock().getTime() - 213 * 86_400_000);
    const id = await services.challengesService.seedChallenge({
      ownerOrganisationId: councils.leeds,
      challenge: {
        title: 'Answering freedom of information requests on time',
        problem: 'Requests are tracked in a shared mailbox and miss deadlines.',
        serviceArea: 'corporate-and-technology',
        contactEmail: 'foi.team@leeds.example',
      },
      sharers: [],
      updatedAt: sevenMonthsAgo,
    });
    const stale = await app.inject('/api/v1/challenges?stale=true');
    expect(stale.json<{ items: { id: number; stale: boolean }[] }>().items).toEqual([expect.objectContaining({ id, stale: true })]);
    expect((await page(null, '/challenges?sort=updated')).body).toContain('Stale: not updated for 6 months');

    const before = await lastAuditEventId(database().db);
    expect(await services.challengesService.sendKeepAliveReminders()).toBe(1);
    expect(await services.challengesService.sendKeepAliveReminders()).toBe(0);
    const outbox = await database().db.selectFrom('mail_outbox').selectAll().where('recipient', '=', 'foi.team@leeds.example').execute();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]?.body).toContain(`/challenges/${id}`);
    expect((await auditEventsAfter(database().db, before)).map((event) => [event.action, event.channel])).toEqual([
      ['challenge.remind', 'system'],
    ]);

    expect((await submit(leeds, `/challenges/${id}/confirm`, {})).statusCode).toBe(303);
    const confirmed = await app.inject(`/api/v1/challenges/${id}`);
    expect(confirmed.json<{ stale: boolean }>().stale).toBe(false);
  });

  it('links components, and marks a challenge solved by one', async () => {
    const id = await services.challengesService.seedChallenge({
      ownerOrganisationId: councils.oxford,
      challenge: {
        title: 'Reporting missed bin collections',
        problem: 'Crews do not see reports of missed bins until the next day.',
        serviceArea: 'environment-and-waste',
      },
      sharers: [],
    });
    await sql`insert into components (slug, name, kind, summary) values ('waste-crew-app', 'Waste crew app', 'software', 'In-cab app')`.execute(
      database().db,
    );
    expect(
      (await submit(oxford, `/challenges/${id}/components`, { componentSlug: 'Not a slug!', relation: 'might-solve' })).statusCode,
    ).toBe(400);
    // The catalogue is asked: a component it does not have is refused, saying so.
    const unknown = await submit(oxford, `/challenges/${id}/components`, { componentSlug: 'no-such-component', relation: 'might-solve' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('There is no component called no-such-component in the catalogue');
    expect(
      (await submit(oxford, `/challenges/${id}/components`, { componentSlug: 'waste-crew-app', relation: 'solved-by' })).statusCode,
    ).toBe(303);
    const detail = await services.challengesService.getChallenge(id);
    expect(detail.stage).toBe('solved');
    expect(detail.solvedBy.map((component) => [component.slug, component.name])).toEqual([['waste-crew-app', 'Waste crew app']]);
    expect((await page(null, `/challenges/${id}`)).body).toContain(
      '<a class="govuk-link" href="/components/waste-crew-app">Waste crew app</a>',
    );
    expect(await services.challengesService.listChallengesForComponent('waste-crew-app')).toEqual([
      expect.objectContaining({ id, relation: 'solved-by' }),
    ]);
  });

  it('takes challenges through the API with a write token, and refuses the public', async () => {
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/challenges', payload: { title: 'x', problem: 'y', serviceArea: 'housing' } }))
        .statusCode,
    ).toBe(401);
    const openapi = (await app.inject('/api/v1/openapi.json')).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(['/api/v1/challenges', '/api/v1/challenges/{id}', '/api/v1/challenges/similar']),
    );
  });
});
