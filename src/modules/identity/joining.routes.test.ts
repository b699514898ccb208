import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CSRF_COOKIE, csrfTokenFor } from '../../platform/http/csrf.js';
import { listOutbox, type MailTables } from '../../platform/mail.js';
import { moduleDatabase } from '../../app/database-schema.js';
import { formBody } from '../../../test/support/authorisation.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { buildUser, organisationId, startSession, unique } from '../../../test/support/factories.js';
import { followRedirect, successBanner } from '../../../test/support/flash.js';
import { buildTestApp, TEST_SECRET } from '../../../test/support/test-app.js';

/** A council the demo content gives no admin, so its requests go to the platform's admins. */
const HARTLEPOOL = 'E06000001';

describeEachEngine('joining an organisation always ends', ({ database }) => {
  let app: FastifyInstance;
  let institute: { id: number; email: string; cookie: string; session: string };

  const signedIn = async (user: { id: number; email: string }) => {
    const session = await startSession(database().db, user.id);
    return { ...user, session, cookie: `commons_session=${session}` };
  };

  /** Sends a form as a browser would, from a page (the Referer), with a valid CSRF token. */
  const submit = async (who: { cookie: string; session: string }, url: string, body: Record<string, string>, from?: string) => {
    const csrf = crypto.randomBytes(32).toString('base64url');
    return app.inject({
      method: 'POST',
      url,
      headers: {
        cookie: `${who.cookie}; ${CSRF_COOKIE}=${csrf}`,
        'content-type': 'application/x-www-form-urlencoded',
        ...(from ? { referer: `http://localhost:3000${from}` } : {}),
      },
      payload: formBody({ ...body, _csrf: csrfTokenFor(TEST_SECRET, csrf, who.session) }),
    });
  };

  const mailTo = async (email: string) =>
    (await listOutbox(moduleDatabase<MailTables>(database().db), 200)).filter((message) => message.recipient === email);

  beforeAll(async () => {
    ({ app } = await buildTestApp(database()));
    const admin = await buildUser(database().db, {
      organisationId: await organisationId(database().db, 'E07000178'),
      role: 'platform-admin',
      email: `institute-${unique()}@example.test`,
    });
    institute = await signedIn(admin);
  });
  afterAll(async () => {
    await app.close();
  });

  it('gives a person with no organisation a next step on their account page', async () => {
    const newcomer = await signedIn(await buildUser(database().db, { organisationId: null }));
    const account = await app.inject({ url: '/account', headers: { cookie: newcomer.cookie } });
    expect(account.body).toContain('What to do next');
    expect(account.body).toContain('href="/account/join"');
  });

  it('sends a request to a council with no admin to the platform’s admins, who appoint a first admin; each step is confirmed', async () => {
    const applicant = await signedIn(await buildUser(database().db, { organisationId: null, name: 'Robin Hart' }));
    const asked = await submit(applicant, '/account/join', { organisation: HARTLEPOOL, message: 'Digital team lead' });
    expect(asked.statusCode).toBe(303);
    expect(asked.headers.location).toBe('/account');
    const account = await followRedirect(app, asked, applicant.cookie);
    expect(successBanner(account.body)).toBe('You have asked to join Hartlepool');
    expect(account.body).toContain('has no admin here yet, so the platform’s admins have been emailed');

    const notice = (await mailTo(institute.email)).find((message) => message.subject.includes('asks to join Hartlepool'));
    expect(notice?.body).toContain('http://localhost:3000/manage/join-requests');
    expect(notice?.body).toContain('Digital team lead');

    const queue = await app.inject({ url: '/manage/join-requests', headers: { cookie: institute.cookie } });
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain('No admin yet');
    const requestId = new RegExp(
      `/manage/join-requests/(\\d+)/approve"><input type="hidden" name="_csrf" value="[^"]+"><input type="hidden" name="role" value="organisation-admin"><button[^>]*>Approve as first admin<span class="govuk-visually-hidden"> of Hartlepool: ${applicant.email}`,
    ).exec(queue.body)?.[1];
    expect(requestId).toBeDefined();

    const approved = await submit(
      institute,
      `/manage/join-requests/${requestId}/approve`,
      { role: 'organisation-admin' },
      '/manage/join-requests',
    );
    expect(approved.statusCode).toBe(303);
    expect(approved.headers.location).toBe('/manage/join-requests');
    const landed = await followRedirect(app, approved, institute.cookie);
    expect(successBanner(landed.body)).toBe('Robin Hart is now an admin of Hartlepool');
    expect((await mailTo(applicant.email)).map((message) => message.subject)).toContain(
      'You have joined Hartlepool on Local Digital Commons',
    );

    // Hartlepool now has an admin of its own: the next request goes to them, with a link to decide.
    const next = await signedIn(await buildUser(database().db, { organisationId: null, name: 'Sam Pool' }));
    const second = await submit(next, '/account/join', { organisation: HARTLEPOOL, message: '' });
    expect(successBanner((await followRedirect(app, second, next.cookie)).body)).toBe('You have asked to join Hartlepool');
    const toNewAdmin = (await mailTo(applicant.email)).find((message) => message.subject.includes('asks to join Hartlepool'));
    expect(toNewAdmin?.body).toContain(`/manage/organisations/${HARTLEPOOL}/members`);

    const members = await app.inject({ url: `/manage/organisations/${HARTLEPOOL}/members`, headers: { cookie: applicant.cookie } });
    const secondId = /\/manage\/join-requests\/(\d+)\/refuse/.exec(members.body)?.[1];
    const refused = await submit(applicant, `/manage/join-requests/${secondId}/refuse`, {}, `/manage/organisations/${HARTLEPOOL}/members`);
    expect(refused.headers.location).toBe(`/manage/organisations/${HARTLEPOOL}/members`);
    expect(successBanner((await followRedirect(app, refused, applicant.cookie)).body)).toBe(
      'You refused Sam Pool’s request to join Hartlepool',
    );
    expect((await mailTo(next.email)).map((message) => message.subject)).toContain('Your request to join Hartlepool was not approved');
  });

  it('shows the queue of every request only to the platform’s admins', async () => {
    const member = await signedIn(await buildUser(database().db, { organisationId: await organisationId(database().db, 'E07000178') }));
    expect((await app.inject({ url: '/manage/join-requests', headers: { cookie: member.cookie } })).statusCode).toBe(403);
  });
});
