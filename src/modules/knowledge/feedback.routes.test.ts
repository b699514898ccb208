import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CSRF_COOKIE, csrfTokenFor } from '../../platform/http/csrf.js';
import { formBody } from '../../../test/support/authorisation.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { buildUser, organisationId, startSession } from '../../../test/support/factories.js';
import { buildTestApp, TEST_SECRET } from '../../../test/support/test-app.js';

describeEachEngine('feedback about the service', ({ database }) => {
  let app: FastifyInstance;
  let adminCookie: string;
  let memberCookie: string;

  const send = (body: Record<string, string>, options: { token?: boolean } = {}) => {
    const csrf = crypto.randomBytes(32).toString('base64url');
    return app.inject({
      method: 'POST',
      url: '/feedback',
      headers: { cookie: `${CSRF_COOKIE}=${csrf}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody({ ...body, ...(options.token === false ? {} : { _csrf: csrfTokenFor(TEST_SECRET, csrf, undefined) }) }),
    });
  };

  beforeAll(async () => {
    ({ app } = await buildTestApp(database()));
    const db = database().db;
    const oxford = await organisationId(db, 'E07000178');
    adminCookie = `commons_session=${await startSession(db, (await buildUser(db, { organisationId: oxford, role: 'platform-admin' })).id)}`;
    memberCookie = `commons_session=${await startSession(db, (await buildUser(db, { organisationId: oxford })).id)}`;
  });
  afterAll(async () => {
    await app.close();
  });

  it('keeps feedback from anyone, confirms it, and shows it only to platform admins', async () => {
    const form = await app.inject('/feedback');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="_csrf"');

    const refused = await send({ body: 'No token' }, { token: false });
    expect(refused.statusCode).toBe(403);

    const empty = await send({ body: '  ', replyEmail: 'not an address' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Tell us what you think');
    expect(empty.body).toContain('Enter an email address in the correct format');
    expect(empty.body).toContain('value="not an address"');

    const note = `The spend comparison saved us a week ${crypto.randomUUID()}`;
    const sent = await send({ body: note, doing: 'Comparing spend', replyEmail: 'sam@example.gov.uk' });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe('/feedback/sent');
    const confirmation = await app.inject('/feedback/sent');
    expect(confirmation.body).toContain('Feedback sent');

    const forAdmin = await app.inject({ url: '/manage/feedback', headers: { cookie: adminCookie } });
    expect(forAdmin.statusCode).toBe(200);
    expect(forAdmin.body).toContain(note);
    expect(forAdmin.body).toContain('sam@example.gov.uk');
    const forMember = await app.inject({ url: '/manage/feedback', headers: { cookie: memberCookie } });
    expect(forMember.statusCode).toBe(403);
    expect(forMember.body).not.toContain(note);
    const forPublic = await app.inject('/manage/feedback');
    expect(forPublic.body).not.toContain(note);
  });
});
