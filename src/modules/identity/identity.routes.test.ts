import crypto from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CSRF_COOKIE, csrfTokenFor } from '../../platform/http/csrf.js';
import { formBody } from '../../../test/support/authorisation.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { buildApiToken, buildUser, organisationId, startSession, unique } from '../../../test/support/factories.js';
import { buildTestApp, TEST_SECRET } from '../../../test/support/test-app.js';

describeEachEngine('identity pages and protections', ({ database }) => {
  let app: FastifyInstance;
  let adminSession: string;

  beforeAll(async () => {
    ({ app } = await buildTestApp(database()));
    const admin = await buildUser(database().db, {
      organisationId: await organisationId(database().db, 'E07000178'),
      role: 'platform-admin',
    });
    adminSession = await startSession(database().db, admin.id);
  });
  afterAll(async () => {
    await app.close();
  });

  const formRoutes = () => app.registeredRoutes.filter((route) => route.method === 'POST' && !route.url.startsWith('/api/'));

  it('refuses with 403 a POST to every form route without a valid CSRF token', async () => {
    expect(formRoutes().length).toBeGreaterThan(10);
    const csrfCookie = crypto.randomBytes(32).toString('base64url');
    for (const route of formRoutes()) {
      const url = route.url.replace(/:(\w+)/g, (_match, name: string) => (name === 'code' ? 'E07000178' : '1'));
      const cookie = `commons_session=${adminSession}; ${CSRF_COOKIE}=${csrfCookie}`;
      const headers = { cookie, 'content-type': 'application/x-www-form-urlencoded' };
      const missing = await app.inject({ method: 'POST', url, headers, payload: formBody({ email: 'a@b.example' }) });
      expect(missing.statusCode, `${route.url} without a token`).toBe(403);
      const forged = await app.inject({
        method: 'POST',
        url,
        headers,
        payload: formBody({ email: 'a@b.example', _csrf: csrfTokenFor('another-secret-another-secret-another-secret', csrfCookie) }),
      });
      expect(forged.statusCode, `${route.url} with a forged token`).toBe(403);
      const noCookie = await app.inject({
        method: 'POST',
        url,
        headers: { ...headers, cookie: `commons_session=${adminSession}` },
        payload: formBody({ _csrf: csrfTokenFor(TEST_SECRET, csrfCookie) }),
      });
      expect(noCookie.statusCode, `${route.url} with a token but no cookie`).toBe(403);
    }
  });

  it('sets the CSRF cookie HttpOnly and SameSite=Lax only on pages with a form', async () => {
    const signIn = await app.inject('/sign-in');
    expect(String(signIn.headers['set-cookie'])).toMatch(/^commons_csrf=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
    const list = await app.inject('/organisations');
    expect(list.headers['set-cookie']).toBeUndefined();
  });

  it('signs in through the pages: link by email, a button to use it, a session cookie', async () => {
    const signInPage = await app.inject('/sign-in');
    const cookie = String(signInPage.headers['set-cookie']).split(';')[0] ?? '';
    const token = /name="_csrf" value="([^"]+)"/.exec(signInPage.body)?.[1] ?? '';
    const email = `page-${unique()}@example.test`;
    const asked = await app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody({ email, _csrf: token }),
    });
    expect(asked.statusCode).toBe(303);
    expect(asked.headers.location).toBe('/sign-in/check-your-email');

    const outbox = await app.inject('/dev/outbox');
    const link = /href="(\/sign-in\/link\?token=[\w-]+)"/.exec(outbox.body)?.[1];
    expect(link).toBeDefined();
    const confirm = await app.inject({ url: link!, headers: { cookie } });
    expect(confirm.body).toContain('Continue');
    expect(confirm.headers['cache-control']).toBe('no-store');
    const linkToken = /name="token" value="([\w-]+)"/.exec(confirm.body)?.[1] ?? '';
    const used = await app.inject({
      method: 'POST',
      url: '/sign-in/link',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody({ token: linkToken, _csrf: token }),
    });
    expect(used.statusCode).toBe(303);
    // The first sign-in shows what to do next, joining an organisation first.
    expect(used.headers.location).toBe('/account/welcome');
    const setCookies = [used.headers['set-cookie'] ?? []].flat();
    expect(setCookies.find((value) => value.startsWith('commons_session='))).toMatch(
      /^commons_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=604800$/,
    );

    const again = await app.inject({
      method: 'POST',
      url: '/sign-in/link',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody({ token: linkToken, _csrf: token }),
    });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('This sign-in link has expired or has already been used');
  });

  /** Signs in by email link as a browser with this user agent would; gives the response to using the link. */
  const signInByLink = async (email: string, userAgent: string) => {
    const csrfCookie = crypto.randomBytes(32).toString('base64url');
    const headers = {
      cookie: `${CSRF_COOKIE}=${csrfCookie}`,
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': userAgent,
    };
    const _csrf = csrfTokenFor(TEST_SECRET, csrfCookie);
    expect((await app.inject({ method: 'POST', url: '/sign-in', headers, payload: formBody({ email, _csrf }) })).statusCode).toBe(303);
    // The newest message first: the link just sent to this address.
    const outbox = (await app.inject('/dev/outbox')).body;
    const link = new RegExp(`href="(/sign-in/link\\?token=[\\w-]+)">Open the sign-in link sent to ${email.replace(/[.+]/g, '\\$&')}<`).exec(
      outbox,
    )?.[1];
    const confirm = await app.inject({ url: link ?? '/sign-in/link', headers: { cookie: headers.cookie } });
    const token = /name="token" value="([\w-]+)"/.exec(confirm.body)?.[1] ?? '';
    return app.inject({ method: 'POST', url: '/sign-in/link', headers, payload: formBody({ token, _csrf }) });
  };
  const sessionOf = (response: LightMyRequestResponse) =>
    [response.headers['set-cookie'] ?? []]
      .flat()
      .map((value) => value.split(';')[0] ?? '')
      .find((value) => value.startsWith('commons_session=')) ?? '';

  it('shows what to do next after the first sign-in only, and names each signed-in browser readably', async () => {
    const person = await buildUser(database().db, {
      organisationId: await organisationId(database().db, 'E07000178'),
      email: `welcome-${unique()}@example.test`,
    });
    const chrome = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    const first = await signInByLink(person.email, chrome);
    expect(first.headers.location).toBe('/account/welcome');
    const welcome = await app.inject({ url: '/account/welcome', headers: { cookie: sessionOf(first) } });
    expect(welcome.statusCode).toBe(200);
    expect(welcome.body).toContain('What next');
    expect(welcome.body).toContain('href="/organisations/E07000178">See what Oxford does here</a>');
    expect(welcome.body).toContain('href="/components">Browse components</a>');
    expect(welcome.body).toContain('href="/challenges">Find challenges</a>');

    const firefox = 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
    const second = await signInByLink(person.email, firefox);
    expect(second.headers.location).toBe('/account');
    const account = await app.inject({ url: '/account', headers: { cookie: sessionOf(second) } });
    expect(account.body).toMatch(/<li>Chrome 131 on Windows, signed in [^<]+<\/li>/);
    expect(account.body).toMatch(/<li>Firefox 133 on Linux, signed in [^<]+ \(this browser\)<\/li>/);
    expect(account.body).not.toContain('Mozilla/5.0');
  });

  it('shows the error summary for a malformed address, and a clear message on the 11th request', async () => {
    const csrfCookie = crypto.randomBytes(32).toString('base64url');
    const headers = { cookie: `${CSRF_COOKIE}=${csrfCookie}`, 'content-type': 'application/x-www-form-urlencoded' };
    const _csrf = csrfTokenFor(TEST_SECRET, csrfCookie);
    const bad = await app.inject({ method: 'POST', url: '/sign-in', headers, payload: formBody({ email: 'nope', _csrf }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('govuk-error-summary');
    expect(bad.body).toContain('href="#email"');
    const email = `limit-${unique()}@example.test`;
    for (let attempt = 0; attempt < 10; attempt += 1) {
      expect(
        (
          await app.inject({
            method: 'POST',
            url: '/sign-in',
            headers,
            payload: formBody({ email, _csrf }),
            remoteAddress: `10.2.0.${attempt}`,
          })
        ).statusCode,
      ).toBe(303);
    }
    const refused = await app.inject({
      method: 'POST',
      url: '/sign-in',
      headers,
      payload: formBody({ email, _csrf }),
      remoteAddress: '10.2.0.99',
    });
    expect(refused.statusCode).toBe(429);
    expect(refused.body).toContain('Too many sign-in links have been asked for this email address. Wait 15 minutes, then try again.');
  });

  it('sends people who are not signed in to sign in, and brings them back', async () => {
    const response = await app.inject('/account');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/sign-in?next=%2Faccount');
  });

  it('answers the API with 401 for a bad token and serves reads with a good one', async () => {
    const bad = await app.inject({ url: '/api/v1/organisations?pageSize=1', headers: { authorization: 'Bearer nonsense' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.headers['www-authenticate']).toBe('Bearer');
    const user = await buildUser(database().db, { organisationId: null });
    const good = await app.inject({
      url: '/api/v1/organisations?pageSize=1',
      headers: { authorization: `Bearer ${await buildApiToken(database().db, user.id, ['read'])}` },
    });
    expect(good.statusCode).toBe(200);
  });

  it('shows a signed-in person their account, and never caches it for others', async () => {
    const response = await app.inject({ url: '/account', headers: { cookie: `commons_session=${adminSession}` } });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Platform admin');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toContain('href="/account"');
  });
});

describeEachEngine('identity in production', ({ database }) => {
  it('has no development outbox', async () => {
    const { app } = await buildTestApp(database(), undefined, { production: true });
    expect((await app.inject('/dev/outbox')).statusCode).toBe(404);
    expect(String((await app.inject('/')).headers['strict-transport-security'])).toContain('max-age=31536000');
    await app.close();
  });
});
