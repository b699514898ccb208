import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import type { Services } from '../../app/services.js';
import type { Role } from '../../platform/actor.js';
import { CSRF_COOKIE, csrfTokenFor } from '../../platform/http/csrf.js';
import { formBody } from '../../../test/support/authorisation.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { followRedirect, successBanner } from '../../../test/support/flash.js';
import { buildApiToken, buildUser, organisationId, startSession } from '../../../test/support/factories.js';
import { buildTestApp, fixedClock, TEST_SECRET, TEST_TODAY } from '../../../test/support/test-app.js';
import { writeReturnCsv } from './return-reader.js';
import { seededRandom, syntheticReturn } from './workforce.seed.js';
import { buildOpportunityInput, buildParticipant, buildReturnCounts, buildReturnForm, buildWorkforceLead } from './workforce.factories.js';

interface CellJson {
  value: number | null;
  suppressed: boolean;
}
interface TableJson {
  categories: string[];
  rows: { area: { code: string; name: string }; cells: Record<string, CellJson>; total: CellJson }[];
}

describeEachEngine('the workforce module', ({ database }) => {
  let app: FastifyInstance;
  let services: Services;
  let oxford: number;
  let devon: number;
  const year = TEST_TODAY.getUTCFullYear();

  const cookieFor = async (userId: number) => `commons_session=${await startSession(database().db, userId, fixedClock())}`;
  const personCookie = async (organisation: number | null, role: Role) =>
    cookieFor((await buildUser(database().db, { organisationId: organisation, role })).id);

  /** Form tokens are tied to the session: the session cookie's value, or '' for an anonymous visitor. */
  const sessionOf = (cookie: string | null) => /commons_session=([^;]+)/.exec(cookie ?? '')?.[1] ?? '';

  async function submit(cookie: string | null, url: string, body: Record<string, string | readonly string[]>) {
    const csrf = crypto.randomBytes(32).toString('base64url');
    return app.inject({
      method: 'POST',
      url,
      headers: {
        cookie: [`${CSRF_COOKIE}=${csrf}`, ...(cookie ? [cookie] : [])].join('; '),
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: formBody({ ...body, _csrf: csrfTokenFor(TEST_SECRET, csrf, sessionOf(cookie)) }),
    });
  }

  /** Posts the upload form as a browser does: its token first (unless `token` is false), then the fields and the file. */
  async function upload(cookie: string, csv: string, fields: Record<string, string> = {}, token = true) {
    const csrf = crypto.randomBytes(32).toString('base64url');
    const boundary = 'workforce-test-boundary';
    const sent = token ? { _csrf: csrfTokenFor(TEST_SECRET, csrf, sessionOf(cookie)), ...fields } : fields;
    const parts = [
      ...Object.entries(sent).map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="return.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n`,
      `--${boundary}--\r\n`,
    ];
    return app.inject({
      method: 'POST',
      url: `/workforce/returns/upload?year=${year}`,
      headers: { cookie: `${CSRF_COOKIE}=${csrf}; ${cookie}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: parts.join(''),
    });
  }

  const returnVersions = async (organisation: number) =>
    database()
      .db.selectFrom('workforce_return_versions as v')
      .innerJoin('workforce_returns as r', 'r.id', 'v.return_id')
      .select(['v.version', 'v.correction_reason', 'v.source'])
      .where('r.organisation_id', '=', organisation)
      .orderBy('v.version')
      .execute();

  beforeAll(async () => {
    ({ app, services } = await buildTestApp(database()));
    oxford = await organisationId(database().db, 'E07000178');
    devon = await organisationId(database().db, 'E10000008');
  });

  it('takes a return from the workforce lead by form, and records a correction with its reason', async () => {
    const lead = await cookieFor((await buildWorkforceLead(database().db, oxford)).id);
    const counts = buildReturnCounts({ practitioner: 12, senior: 3 });
    const sent = await submit(lead, '/workforce/returns', { year: String(year), ...buildReturnForm(counts) });
    expect(sent.statusCode).toBe(303);
    expect((await app.inject({ url: String(sent.headers.location), headers: { cookie: lead } })).body).toContain('Return accepted');
    const withoutReason = await submit(lead, '/workforce/returns', { year: String(year), ...buildReturnForm(counts) });
    expect(withoutReason.statusCode).toBe(400);
    expect(withoutReason.body).toContain('say what this correction changes');
    const corrected = await submit(lead, '/workforce/returns', {
      year: String(year),
      correctionReason: 'Two contractors removed',
      ...buildReturnForm(buildReturnCounts({ practitioner: 10, senior: 3 })),
    });
    expect(corrected.statusCode).toBe(303);
    expect(await returnVersions(oxford)).toEqual([
      { version: 1, correction_reason: '', source: 'form' },
      { version: 2, correction_reason: 'Two contractors removed', source: 'form' },
    ]);
    const page = await app.inject({ url: `/workforce/returns?year=${year}`, headers: { cookie: lead } });
    expect(page.body).toContain('Two contractors removed');
  });

  it('refuses bad CSV returns with the row and column, and stores nothing', async () => {
    const lead = await cookieFor((await buildWorkforceLead(database().db, devon)).id);
    const good = writeReturnCsv(buildReturnCounts({ entry: 4, head: 11 }));
    const cases = [
      { csv: good.replace('entry,ethnicity,asian,4', 'entry,ethnicity,asian,3'), expected: 'column count' },
      { csv: good.replace('head,sex,female,11', 'head,sex,female,-2'), expected: 'column count: The count -2 is negative' },
      { csv: good.replace('head,sex,female,11', 'head,sex,female,1.5'), expected: 'column count: The count “1.5” is not a whole number' },
      {
        csv: good.replace('entry,age,16-24,4', 'entry,age,teenager,4'),
        expected: 'column category: “teenager” is not a category of age band',
      },
    ];
    for (const { csv, expected } of cases) {
      const response = await upload(lead, csv);
      expect(response.statusCode).toBe(400);
      expect(response.body).toMatch(/Row \d+, column/);
      expect(response.body.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))).toContain(expected);
    }
    expect(await returnVersions(devon)).toEqual([]);
    expect((await upload(lead, good, {}, false)).statusCode).toBe(403);
    expect((await upload(lead, good, { year: String(year) }, false)).statusCode).toBe(403);
    expect(await returnVersions(devon)).toEqual([]);
    const accepted = await upload(lead, good);
    expect(accepted.statusCode).toBe(303);
    expect(await returnVersions(devon)).toEqual([{ version: 1, correction_reason: '', source: 'csv' }]);
  });

  it('shows a raw return to nobody but its own workforce lead', async () => {
    await buildWorkforceLead(database().db, oxford);
    for (const cookie of [
      await personCookie(oxford, 'organisation-admin'),
      await personCookie(oxford, 'member'),
      await personCookie(devon, 'member'),
      await personCookie(null, 'platform-admin'),
    ]) {
      const page = await app.inject({ url: `/workforce/returns?year=${year}`, headers: { cookie } });
      expect(page.statusCode).toBe(403);
      const csv = await app.inject({ url: `/workforce/returns/own.csv?year=${year}`, headers: { cookie } });
      expect(csv.statusCode).toBe(403);
    }
  });

  it('confirms naming and un-naming a workforce lead with a banner', async () => {
    const adminCookie = await personCookie(devon, 'organisation-admin');
    const person = await buildUser(database().db, { organisationId: devon, role: 'member', name: 'Pat Lead' });
    const named = await submit(adminCookie, '/workforce/leads', { userId: String(person.id), lead: 'true' });
    expect(named.statusCode).toBe(303);
    expect(successBanner((await followRedirect(app, named, adminCookie)).body)).toBe('Pat Lead is now a workforce lead');
    const unnamed = await submit(adminCookie, '/workforce/leads', { userId: String(person.id), lead: 'false' });
    expect(successBanner((await followRedirect(app, unnamed, adminCookie)).body)).toBe('Pat Lead is no longer a workforce lead');
  });

  it('publishes controlled tables whose API has the agreed shape, with a small council showing nothing', async () => {
    const councils = await services.organisationsService.listCurrentPrincipalCouncils('England');
    const publishYear = year - 1;
    // A region's councils, one with a team of three.
    const northEast = councils.filter((council) => council.region === 'North East');
    const random = seededRandom(7);
    for (const [index, council] of northEast.entries()) {
      const returnId = await services.workforceRepository.insertReturn({ organisation_id: council.id, year: publishYear, synthetic: true });
      await services.workforceRepository.insertReturnVersion({
        return_id: returnId,
        version: 1,
        counts: index === 0 ? buildReturnCounts({ senior: 3 }) : syntheticReturn(random, 400_000),
        source: 'synthetic',
        correction_reason: '',
        submitted_by: null,
      });
    }
    const admin = await personCookie(null, 'platform-admin');
    const published = await submit(admin, '/workforce/publish', { year: String(publishYear) });
    expect(published.statusCode).toBe(200);
    expect(published.body).toContain('No hidden figure can be worked out');
    const refused = await submit(await personCookie(oxford, 'organisation-admin'), '/workforce/publish', { year: String(publishYear) });
    expect(refused.statusCode).toBe(403);

    const response = await app.inject({ url: `/api/v1/workforce/tables/ethnicity?year=${publishYear}&level=council` });
    expect(response.statusCode).toBe(200);
    const table = response.json<TableJson>();
    expect(Object.keys(table)).toEqual(['dimension', 'year', 'level', 'categories', 'rows', 'total']);
    expect(table.categories).toContain('prefer-not-to-say');
    const small = table.rows.find((row) => row.area.code === northEast[0]?.gssCode);
    expect(Object.values(small?.cells ?? {}).every((cell) => cell.suppressed)).toBe(true);
    expect(small?.total).toEqual({ value: null, suppressed: true });
    for (const row of table.rows)
      for (const cell of [...Object.values(row.cells), row.total])
        if (cell.value !== null) expect(cell.value % 5 === 0 && cell.value >= 10).toBe(true);
    const region = (await app.inject({ url: `/api/v1/workforce/tables/ethnicity?year=${publishYear}&level=region` })).json<TableJson>();
    expect(region.rows).toHaveLength(1);
    const stored = await services.workforceRepository.listCurrentReturns(publishYear);
    const headcount = stored.reduce((sum, row) => sum + Object.values(row.counts.headcount).reduce((a, b) => a + b, 0), 0);
    // The small council's three people still count in its region's total, rounded from unrounded data.
    expect(region.rows[0]?.total).toEqual({ value: Math.round(headcount / 5) * 5, suppressed: false });

    const page = await app.inject({ url: `/workforce/tables?year=${publishYear}&level=council&dimension=ethnicity` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('What is hidden, and why');
    expect(page.body).toContain('[c]');
    const csv = await app.inject({ url: `/api/v1/workforce/tables/sex?year=${publishYear}&level=region&format=csv` });
    expect(csv.headers['content-type']).toContain('text/csv');

    const target = (await app.inject({ url: '/api/v1/workforce/target' })).json<{ baselineYear: number }>();
    expect(Object.keys(target)).toEqual(['baselineYear', 'baseline', 'current', 'target', 'declarationRate']);
    expect(target.baselineYear).toBe(publishYear);
  });

  it('lists open opportunities, enforces closing dates, and publishes an Atom feed', async () => {
    const member = await personCookie(oxford, 'member');
    const late = await submit(member, '/workforce/opportunities', buildOpportunityInput(TEST_TODAY, { closingDate: '2020-01-01' }));
    expect(late.statusCode).toBe(400);
    expect(late.body).toContain('The closing date must be today or later');
    const posted = await submit(member, '/workforce/opportunities', buildOpportunityInput(TEST_TODAY, { role: 'Cloud apprentice Zeta' }));
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toMatch(/^\/workforce\/opportunities\/\d+$/);
    expect(successBanner((await followRedirect(app, posted, member)).body)).toBe('Your opportunity is posted');
    const supplier = await submit(await personCookie(null, 'supplier'), '/workforce/opportunities', buildOpportunityInput(TEST_TODAY));
    expect(supplier.statusCode).toBe(403);
    await services.workforceRepository.insertOpportunity({
      organisation_id: oxford,
      organisation_name: 'Oxford',
      kind: 'secondment',
      role: 'Closed secondment Omega',
      summary: '',
      place: 'Oxford',
      remote: 'remote',
      length_months: 3,
      closing_date: '2026-05-01',
      how_to_apply: 'Secret application route',
      created_by: null,
    });
    const list = (await app.inject({ url: '/api/v1/workforce/opportunities?kind=apprenticeship' })).json<{ items: { role: string }[] }>();
    expect(list.items.map((item) => item.role)).toContain('Cloud apprentice Zeta');
    const all = (await app.inject({ url: '/api/v1/workforce/opportunities' })).json<{ items: { role: string }[] }>();
    expect(all.items.map((item) => item.role)).not.toContain('Closed secondment Omega');
    const feed = await app.inject({ url: '/workforce/opportunities/feed.atom' });
    expect(feed.headers['content-type']).toContain('application/atom+xml');
    expect(feed.body).toContain('Cloud apprentice Zeta');
    const closedId = (
      await database()
        .db.selectFrom('workforce_opportunities')
        .select('id')
        .where('role', '=', 'Closed secondment Omega')
        .executeTakeFirstOrThrow()
    ).id;
    const closed = await app.inject({ url: `/workforce/opportunities/${closedId}` });
    expect(closed.body).toContain('Closed');
    expect(closed.body).not.toContain('Secret application route');
  });

  it('signs people up, matches a round stably, explains it, sends check-ins, and shows pairs to admins only', async () => {
    const db = database().db;
    await db.updateTable('mentoring_rounds').set({ status: 'matched' }).where('status', '=', 'open').execute();
    const platformAdmin = await personCookie(null, 'platform-admin');
    const opened = await submit(platformAdmin, '/mentoring/rounds', { name: 'Test round' });
    expect(successBanner((await followRedirect(app, opened, platformAdmin)).body)).toBe('The round “Test round” is open');
    const roundId = (await services.mentoringService.getOpenRound()).round?.id ?? 0;
    const mentorA = await buildParticipant(db, roundId, { side: 'mentor', leadsIn: 'service', capacity: 1 });
    const mentorB = await buildParticipant(db, roundId, { side: 'mentor', leadsIn: 'digital', capacity: 1 });
    const menteeUser = await buildUser(db, { organisationId: oxford, role: 'member', name: 'Mentee Person' });
    const mentee = await cookieFor(menteeUser.id);
    const signUp = await submit(mentee, '/mentoring/sign-up', {
      side: 'mentee',
      leadsIn: 'digital',
      goals: 'Lead change',
      choice1: String(mentorB),
      choice2: String(mentorA),
      bans: [String(mentorA)],
    });
    expect(signUp.statusCode).toBe(400);
    expect(signUp.body).toContain('You chose and ruled out the same person');
    expect((await submit(mentee, '/mentoring/sign-up', { side: 'mentee', leadsIn: 'digital', choice1: String(mentorB) })).statusCode).toBe(
      200,
    );
    await buildParticipant(db, roundId, { side: 'mentee', leadsIn: 'digital', choices: [mentorA] });
    await buildParticipant(db, roundId, { side: 'mentee', leadsIn: 'digital', choices: [mentorA] });

    expect((await submit(mentee, `/mentoring/rounds/${roundId}/match`, {})).statusCode).toBe(403);
    const admin = await personCookie(null, 'platform-admin');
    expect((await submit(admin, `/mentoring/rounds/${roundId}/match`, {})).statusCode).toBe(200);

    const pairsUrl = `/api/v1/mentoring/rounds/${roundId}/pairs`;
    const bearer = async (userId: number) => ({ authorization: `Bearer ${await buildApiToken(db, userId, ['read'])}` });
    expect((await app.inject({ url: pairsUrl })).statusCode).toBe(401);
    expect((await app.inject({ url: pairsUrl, headers: await bearer(menteeUser.id) })).statusCode).toBe(403);
    const adminUser = await buildUser(db, { organisationId: null, role: 'platform-admin' });
    const pairs = (await app.inject({ url: pairsUrl, headers: await bearer(adminUser.id) })).json<{
      pairs: unknown[];
      unmatched: unknown[];
      preferences: { mentors: { capacity: number }[] };
    }>();
    expect(pairs.pairs).toHaveLength(2);
    expect(pairs.unmatched).toHaveLength(1);
    expect(pairs.preferences.mentors.every((mentor) => mentor.capacity === 1)).toBe(true);
    const waitlisted = await db
      .selectFrom('mentoring_participants')
      .select('waitlisted_from')
      .where('waitlisted_from', '=', roundId)
      .execute();
    expect(waitlisted).toHaveLength(1);

    const mine = await services.mentoringService.getMyMentoring({
      userId: menteeUser.id,
      email: menteeUser.email,
      name: null,
      organisationId: oxford,
      organisationName: null,
      role: 'member',
      via: 'session',
      credentialId: 0,
      scopes: ['read', 'write'],
    });
    const pairing = mine.pairings[0];
    expect(pairing?.explanation).toContain('first choice');
    const checkIn = await submit(mentee, `/mentoring/pairings/${pairing?.id}/check-ins`, {
      kind: 'check-in',
      note: 'Met twice, going well',
    });
    expect(checkIn.statusCode).toBe(200);
    expect(checkIn.body).toContain('Check-in saved');

    await db
      .updateTable('mentoring_pairings')
      .set({ started_at: new Date(TEST_TODAY.getTime() - 40 * 86_400_000) } as never)
      .where('id', '=', pairing?.id as number)
      .execute();
    expect(await services.mentoringService.sendCheckInReminders()).toBeGreaterThanOrEqual(1);
    expect(await services.mentoringService.sendCheckInReminders()).toBe(0);
    const mail = await db.selectFrom('mail_outbox').select('subject').where('recipient', '=', menteeUser.email).execute();
    expect(mail.map((message) => message.subject)).toContain('Mentoring: your one-month check-in');

    const ended = await submit(mentee, `/mentoring/pairings/${pairing?.id}/end`, { reason: 'Goals met' });
    expect(ended.body).toContain('Pairing ended');
    const feedback = await submit(mentee, `/mentoring/pairings/${pairing?.id}/check-ins`, { kind: 'feedback', rating: '5', note: 'Great' });
    expect(feedback.body).toContain('Feedback saved');
  });
});
