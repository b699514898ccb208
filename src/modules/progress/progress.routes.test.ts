import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../app/services.js';
import type { Actor } from '../../platform/actor.js';
import { CSRF_COOKIE, csrfTokenFor } from '../../platform/http/csrf.js';
import { formBody } from '../../../test/support/authorisation.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { auditEventsAfter, buildUser, lastAuditEventId, organisationId, startSession } from '../../../test/support/factories.js';
import { followRedirect, successBanner } from '../../../test/support/flash.js';
import { buildTestApp, TEST_SECRET } from '../../../test/support/test-app.js';
import { seedRegionalCentresDemo } from './progress.seed.js';

describeEachEngine('progress and regional centres', ({ database }) => {
  let app: FastifyInstance;
  let services: Services;
  let now = new Date('2026-10-15T12:00:00Z');
  let admin: Actor;
  let adminCookie: string;
  let csrf: string;
  let institute: number;

  beforeAll(async () => {
    ({ app, services } = await buildTestApp(database(), () => new Date(now)));
    await seedRegionalCentresDemo(services);
    const db = database().db;
    institute = (
      await db
        .insertInto('organisations')
        .values({
          kind: 'institute',
          slug: 'progress-test-institute',
          name: 'Test Institute',
          official_name: 'Test Institute',
          search_names: 'test institute',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const person = await buildUser(db, { organisationId: institute, role: 'platform-admin', name: 'Robin Admin' });
    admin = {
      userId: person.id,
      email: person.email,
      name: 'Robin Admin',
      organisationId: institute,
      organisationName: 'Test Institute',
      role: 'platform-admin',
      via: 'session',
      credentialId: 0,
      scopes: [],
    };
    const csrfCookie = crypto.randomBytes(32).toString('base64url');
    const session = await startSession(db, person.id);
    adminCookie = `commons_session=${session}; ${CSRF_COOKIE}=${csrfCookie}`;
    csrf = csrfTokenFor(TEST_SECRET, csrfCookie, session);
  });
  afterAll(async () => {
    await app.close();
  });

  describe('regional centres', () => {
    it('lists seven demo centres as organisations of their own kind, each record naming its member councils by GSS code', async () => {
      const list = await app.inject('/api/v1/organisations?kind=regional-centre');
      const { items } = list.json<{ items: { slug: string; name: string; kind: string }[] }>();
      expect(items).toHaveLength(7);
      expect(items.every((item) => item.kind === 'regional-centre' && item.name.endsWith('(demo)'))).toBe(true);
      const southEast = await app.inject('/api/v1/organisations/south-east-centre-of-service-innovation-demo');
      const record = southEast.json<{ memberCouncils: string[] }>();
      expect(record.memberCouncils).toContain('E07000178'); // Oxford
      expect(record.memberCouncils).not.toContain('E10000008'); // Devon is in the South West
      const oxford = await app.inject('/api/v1/organisations/E07000178');
      expect(oxford.json<{ memberCouncils: string[] }>().memberCouncils).toEqual([]);
    });

    it('keeps a council in at most one centre: assigning it elsewhere moves it', async () => {
      const centres = await services.organisationsService.listRegionalCentres();
      const london = centres.find((centre) => centre.slug === 'london-centre-of-service-innovation-demo');
      const southWest = centres.find((centre) => centre.slug === 'south-west-centre-of-service-innovation-demo');
      const westminster = await organisationId(database().db, 'E09000033');
      expect(london?.memberIds).toContain(westminster);
      await services.organisationsService.assignCouncilsToCentre(southWest?.id ?? 0, [westminster]);
      const after = await services.organisationsService.listRegionalCentres();
      expect(after.filter((centre) => centre.memberIds.includes(westminster)).map((centre) => centre.slug)).toEqual([
        'south-west-centre-of-service-innovation-demo',
      ]);
      await services.organisationsService.assignCouncilsToCentre(london?.id ?? 0, [westminster]);
    });

    it('lets the institute move a council between centres on the web, with a banner and an audit record, and no one else', async () => {
      const members = '/regional-centres/london-centre-of-service-innovation-demo/members';
      const page = await app.inject({ url: members, headers: { cookie: adminCookie } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('href="/organisations/E09000033"'); // Westminster, a member
      expect(page.body).toContain('Devon (now in South West Centre of Service Innovation (demo))');

      const post = (url: string, body: Record<string, string>, cookie = adminCookie, token = csrf) =>
        app.inject({
          method: 'POST',
          url,
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          payload: formBody({ ...body, _csrf: token }),
        });
      const none = await post(members, { council: '' });
      expect(none.statusCode).toBe(400);
      expect(none.body).toContain('Choose a council to add');
      const notCouncil = await post(members, { council: 'progress-test-institute' });
      expect(notCouncil.statusCode).toBe(400);
      expect(notCouncil.body).toContain('is not a current principal council');

      const devon = await organisationId(database().db, 'E10000008');
      const before = await lastAuditEventId(database().db);
      const moved = await post(members, { council: 'E10000008' });
      expect(moved.statusCode).toBe(303);
      expect(successBanner((await followRedirect(app, moved, adminCookie)).body)).toBe(
        'Devon is now a member of London Centre of Service Innovation (demo)',
      );
      const centresOfDevon = async () =>
        (await services.organisationsService.listRegionalCentres())
          .filter((centre) => centre.memberIds.includes(devon))
          .map((centre) => centre.slug);
      expect(await centresOfDevon()).toEqual(['london-centre-of-service-innovation-demo']);
      const events = await auditEventsAfter(database().db, before);
      expect(events.map((event) => [event.action, event.before, event.after])).toEqual([
        [
          'regional-centre.membership-changed',
          { centre: 'south-west-centre-of-service-innovation-demo' },
          { centre: 'london-centre-of-service-innovation-demo' },
        ],
      ]);

      const removed = await post(`${members}/E10000008/remove`, {});
      expect(successBanner((await followRedirect(app, removed, adminCookie)).body)).toBe(
        'Devon is no longer a member of London Centre of Service Innovation (demo)',
      );
      expect(await centresOfDevon()).toEqual([]);
      expect(
        (await post('/regional-centres/south-west-centre-of-service-innovation-demo/members', { council: 'E10000008' })).statusCode,
      ).toBe(303);
      expect(await centresOfDevon()).toEqual(['south-west-centre-of-service-innovation-demo']);
      // Taking Devon out through another centre's page changes nothing.
      const elsewhere = await post(`${members}/E10000008/remove`, {});
      expect(successBanner((await followRedirect(app, elsewhere, adminCookie)).body)).toBe(
        'Devon was not a member of London Centre of Service Innovation (demo)',
      );
      expect(await centresOfDevon()).toEqual(['south-west-centre-of-service-innovation-demo']);

      const memberPerson = await buildUser(database().db, { organisationId: devon, role: 'organisation-admin' });
      const memberCsrf = crypto.randomBytes(32).toString('base64url');
      const memberSession = await startSession(database().db, memberPerson.id);
      const memberCookie = `commons_session=${memberSession}; ${CSRF_COOKIE}=${memberCsrf}`;
      const refused = await app.inject({ url: members, headers: { cookie: memberCookie } });
      expect(refused.statusCode).toBe(403);
      expect(refused.body).not.toContain('name="council"');
      const forbidden = await post(members, { council: 'E10000008' }, memberCookie, csrfTokenFor(TEST_SECRET, memberCsrf, memberSession));
      expect(forbidden.statusCode).toBe(403);
      expect(await centresOfDevon()).toEqual(['south-west-centre-of-service-innovation-demo']);
    });

    it('shows a centre’s workspace beside every other centre, and 404 for an unknown one', async () => {
      const page = await app.inject('/regional-centres/south-west-centre-of-service-innovation-demo');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('South West Centre of Service Innovation (demo) (this centre)');
      expect(page.body).toContain('London Centre of Service Innovation (demo)');
      expect(page.body).toContain('Compared with the other centres');
      expect(page.body).toContain('href="/organisations/E10000008"'); // Devon, a member
      expect((await app.inject('/regional-centres/nowhere')).statusCode).toBe(404);
      const api = await app.inject('/api/v1/regional-centres');
      const south = api.json<{ items: { slug: string; members: number }[] }>().items.find((item) => item.slug.startsWith('south-west'));
      expect(south?.members).toBeGreaterThan(10);
    });
  });

  describe('the dashboard', () => {
    it('answers GET /api/v1/progress in the interface’s shape, with current councils as the denominator', async () => {
      const response = await app.inject('/api/v1/progress');
      expect(response.statusCode).toBe(200);
      const body = response.json<{ asOf: string; targets: Record<string, unknown>[] }>();
      expect(body.asOf).toBe('2026-10-15');
      const centres = body.targets.find((target) => target.id === 'regional-centres');
      expect(centres).toMatchObject({
        unit: 'count',
        current: { date: '2026-10-15', value: 7 },
        target: { date: '2030-03-31', value: 5 },
        status: 'on-track',
      });
      expect(Object.keys(centres ?? {}).sort()).toEqual([
        'baseline',
        'current',
        'history',
        'id',
        'rule',
        'status',
        'target',
        'title',
        'unit',
      ]);
      expect(body.targets.find((target) => target.id === 'sme-spend')).toMatchObject({
        status: 'not-yet-measured',
        current: { value: null },
      });
      const detail = await app.inject('/api/v1/progress/targets/standards-overall');
      expect(detail.statusCode).toBe(200);
      const standards = detail.json<{ denominator: number | null }>();
      // No standard is in force in the reference data, so the figure is not yet measured.
      expect(standards.denominator).toBeNull();
      const components = await app.inject('/api/v1/progress/targets/components-used');
      const regions = components.json<{ byRegion: { councils: number }[] }>().byRegion;
      expect(regions.reduce((total, row) => total + row.councils, 0)).toBe(317); // every current English council, once
    });

    it('renders the dashboard, a target page with an accessible SVG chart and its table, its method, and downloads', async () => {
      const dashboard = await app.inject('/progress');
      expect(dashboard.body).toContain('href="/progress/targets/regional-centres"');
      expect(dashboard.body).toContain('Release calendar');
      const page = await app.inject('/progress/targets/regional-centres');
      expect(page.statusCode).toBe(200);
      expect(page.body).toMatch(/<svg [^>]*role="img" aria-labelledby="chart-regional-centres-title chart-regional-centres-desc"/);
      expect(page.body).toContain('The same figures as the chart');
      expect(page.body).toContain('href="/regional-centres"');
      const method = await app.inject('/progress/targets/regional-centres/method');
      expect(method.body).toContain('The denominator');
      const csv = await app.inject('/api/v1/progress/targets/regional-centres?format=csv');
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.body.split('\r\n')[0]).toBe('target_id,date,quarter,value,kind');
      expect((await app.inject('/api/v1/progress?format=csv')).body).toContain(
        'regional-centres,Regional centres of service innovation running',
      );
      expect((await app.inject('/progress/targets/no-such-target')).statusCode).toBe(404);
    });
  });

  describe('snapshots', () => {
    it('refuses to snapshot a quarter that has not ended, and takes a due snapshot when the dashboard is first seen after a quarter ends', async () => {
      await expect(services.progressService.takeSnapshot('2026-12-31')).rejects.toThrow('has not ended');
      now = new Date('2027-01-05T09:00:00Z');
      const { targets } = await services.progressService.getDashboard();
      const centres = targets.find((target) => target.id === 'regional-centres');
      expect(centres?.history.map((point) => point.date)).toEqual(['2026-09-30', '2026-12-31', '2027-01-05']);
      now = new Date('2026-10-15T12:00:00Z');
    });

    it('keeps last quarter’s snapshot when its data is corrected, and shows the correction as a note', async () => {
      now = new Date('2027-04-10T12:00:00Z');
      await services.progressService.declareChiefExecutives(admin, { value: '2', asOf: '2027-03-01', source: 'Institute survey' });
      const first = await services.progressService.takeSnapshot();
      expect(first.quarterEnd).toBe('2027-03-31');
      // A correction to the first quarter's data, made in the second quarter.
      await services.progressService.declareChiefExecutives(admin, { value: '4', asOf: '2027-03-20', source: 'Survey corrected' });
      const again = await services.progressService.takeSnapshot('2027-03-31');
      expect(again.taken).toBe(0);
      expect(again.corrections).toBeGreaterThanOrEqual(1);
      const { target } = await services.progressService.getTarget('chief-executives-digital');
      expect(target.history.find((point) => point.date === '2027-03-31')).toMatchObject({ value: 2, live: false });
      expect(target.current).toEqual({ date: '2027-04-10', value: 4 });
      expect(target.corrections).toEqual([expect.objectContaining({ quarterEnd: '2027-03-31', snapshotValue: 2, correctedValue: 4 })]);
      const page = await app.inject('/progress/targets/chief-executives-digital');
      expect(page.body).toContain('Correction. 2027 Q1: the snapshot says 2; data corrected later gives 4');
      // Running it again notes nothing new and changes nothing.
      expect((await services.progressService.takeSnapshot('2027-03-31')).corrections).toBe(0);
      const later = (await services.progressService.getTarget('chief-executives-digital')).target;
      expect(later.history.find((point) => point.date === '2027-03-31')?.value).toBe(2);
      now = new Date('2026-10-15T12:00:00Z');
    });
  });

  describe('the institute’s view', () => {
    it('is for platform admins only, and declares a figure through its form', async () => {
      expect((await app.inject('/progress/institute')).statusCode).toBe(303);
      const page = await app.inject({ url: '/progress/institute', headers: { cookie: adminCookie } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Work queue');
      const bad = await app.inject({
        method: 'POST',
        url: '/progress/institute/chief-executives',
        headers: { cookie: adminCookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: formBody({ value: 'many', asOf: '2026-10-01', source: 'x', _csrf: csrf }),
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('Enter the count as a whole number');
      const good = await app.inject({
        method: 'POST',
        url: '/progress/institute/chief-executives',
        headers: { cookie: adminCookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: formBody({ value: '5', asOf: '2026-10-01', source: 'Institute survey, October 2026', _csrf: csrf }),
      });
      expect(good.statusCode).toBe(303);
      const view = await services.progressService.getInstituteView(admin);
      expect(view.declarations).toContainEqual(
        expect.objectContaining({ value: 5, asOf: '2026-10-01', source: 'Institute survey, October 2026' }),
      );
    });
  });
});
