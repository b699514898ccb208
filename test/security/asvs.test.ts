/**
 * The security regression suite, grouped by the chapter of OWASP ASVS 5.0 each test covers, so a chapter with few
 * tests is a visible gap. Each test names the requirement (or section) it checks. Tests that live beside the code
 * they cover are listed at the end of each chapter's describe block, in a comment.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, Role } from '../../src/platform/actor.js';
import { loadConfig } from '../../src/platform/config.js';
import { CSRF_COOKIE, csrfTokenFor } from '../../src/platform/http/csrf.js';
import { createLogger } from '../../src/platform/logging.js';
import { createViewEnvironment } from '../../src/platform/views/views.js';
import { buildChallengesFeed } from '../../src/modules/challenges/challenges.feed.js';
import type { ChallengeSummary } from '../../src/modules/challenges/challenges.service.js';
import { runAdminCommand } from '../../src/modules/identity/index.js';
import type { Services } from '../../src/app/services.js';
import { modulesFolder, projectRoot } from '../../src/app/paths.js';
import { formBody } from '../support/authorisation.js';
import { describeEachEngine } from '../support/engines.js';
import {
  buildApiToken,
  buildUser,
  lastAuditEventId,
  auditEventsAfter,
  organisationId,
  startSession,
  unique,
} from '../support/factories.js';
import { buildTestApp, TEST_SECRET } from '../support/test-app.js';

/** Characters XML 1.0 forbids (its Char production), to look for in anything the platform serves as XML. */
const XML_FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

interface Browser {
  cookie: string;
  csrf: string;
}

/** A browser with a CSRF cookie and, for a person, a session: what it sends with each form. */
async function browserFor(db: Parameters<typeof startSession>[0], userId: number | null): Promise<Browser> {
  const csrfCookie = crypto.randomBytes(32).toString('base64url');
  const session = userId === null ? undefined : await startSession(db, userId);
  return {
    cookie: [`${CSRF_COOKIE}=${csrfCookie}`, ...(session ? [`commons_session=${session}`] : [])].join('; '),
    csrf: csrfTokenFor(TEST_SECRET, csrfCookie, session),
  };
}

function postForm(app: FastifyInstance, browser: Browser, url: string, body: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url,
    headers: { cookie: browser.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: formBody({ ...body, _csrf: browser.csrf }),
  });
}

function actorOf(user: { id: number; email: string }, role: Role, organisation: number | null): Actor {
  return {
    userId: user.id,
    email: user.email,
    name: null,
    organisationId: organisation,
    organisationName: null,
    role,
    via: 'session',
    credentialId: 0,
    scopes: ['read', 'write'],
  };
}

const publiccodeYaml = (name: string) =>
  [
    'publiccodeYmlVersion: "0.4"',
    `name: ${name}`,
    `url: https://example.org/security/${unique()}`,
    'developmentStatus: stable',
    'softwareType: standalone/web',
    'legal:',
    '  license: MIT',
    'maintenance:',
    '  type: none',
    'localisation:',
    '  localisationReady: false',
    '  availableLanguages: [en]',
    'platforms: [web]',
    'description:',
    '  en:',
    '    shortDescription: A component imported by the security suite.',
    '    longDescription: A component imported by the security regression suite, long enough to be a description of one.',
    '    features: [Testing]',
  ].join('\n');

describe('V1 Encoding and Sanitization', () => {
  it('V1.2.1: the Atom feed drops every character XML 1.0 forbids from challenge text (finding 7)', () => {
    const challenge = {
      id: 1,
      title: 'Bins\u0001 \u000bmissed\u001f \ufffe again & <again>',
      problem: 'Collections\u0000 are late',
      serviceArea: 'waste',
      serviceAreaLabel: 'Waste',
      stageLabel: 'Open',
      owner: { name: 'Oxford\u0008 City Council', code: 'E07000178' },
      sharedBy: 1,
      createdAt: '2026-05-01T00:00:00Z',
      updatedAt: '2026-05-02T00:00:00Z',
      url: '/challenges/1',
    } as unknown as ChallengeSummary;
    const feed = buildChallengesFeed({
      baseUrl: 'https://commons.example',
      title: 'Challenges',
      selfPath: '/challenges/feed.atom',
      challenges: [challenge],
      now: new Date('2026-06-01T00:00:00Z'),
    });
    expect(feed).not.toMatch(XML_FORBIDDEN);
    expect(feed).toContain('<title>Bins missed  again &amp; &lt;again&gt;</title>');
  });

  it('V1.2.2: views link only to http(s) addresses; javascript:, data: and relative values stay text (finding 13)', () => {
    const views = createViewEnvironment({ moduleFolders: [modulesFolder], watch: false });
    const render = (value: string) => views.renderString('{{ value | externalHref }}', { value });
    expect(render('https://www.contractsfinder.service.gov.uk/notice/1')).toBe('https://www.contractsfinder.service.gov.uk/notice/1');
    for (const value of ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'data:text/html,x', '//evil.example', 'vbscript:x']) {
      expect(render(value), value).toBe('');
    }
  });
  // Also: src/platform/xml.test.ts, src/platform/http/safe-links.test.ts.
});

describe('V14 Data Protection: tokens never in URLs', () => {
  const templates = fs
    .readdirSync(path.join(projectRoot, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.njk'))
    .map((file) => ({ file, text: fs.readFileSync(path.join(projectRoot, 'src', file), 'utf8') }));

  it('V14.2.1: no form sends its CSRF token in the address, where history and logs keep it (finding 9 of the journeys review)', () => {
    expect(templates.length).toBeGreaterThan(50);
    const inAction = templates.filter(({ text }) => /<form[^>]*action="[^"]*_csrf/.test(text)).map(({ file }) => file);
    expect(inAction).toEqual([]);
  });

  it('V3.5.1: every multipart form sends its token as its first field, so it is checked before a byte of a file is read', () => {
    const forms = templates.flatMap(({ file, text }) =>
      [...text.matchAll(/<form[^>]*enctype="multipart\/form-data"[^>]*>\s*(\S[^\n]*)/g)].map((match) => ({ file, first: match[1] ?? '' })),
    );
    expect(forms.length).toBeGreaterThanOrEqual(8);
    expect(forms.filter(({ first }) => first !== '<input type="hidden" name="_csrf" value="{{ csrfToken() }}">')).toEqual([]);
  });
});

describe('V16 Security Logging and Error Handling', () => {
  it('V16.2: request logs never carry sign-in tokens or other secrets in query strings (finding 16)', async () => {
    let written = '';
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          written += chunk.toString();
          done();
        },
      }),
    );
    const { default: Fastify } = await import('fastify');
    const app = Fastify({ loggerInstance: logger });
    app.get('/sign-in/link', async () => 'ok');
    await app.inject('/sign-in/link?token=s3cr3t-sign-in-token&next=%2Faccount');
    await app.close();
    expect(written).toContain('/sign-in/link?token=[redacted]&next=%2Faccount');
    expect(written).not.toContain('s3cr3t-sign-in-token');
  });
});

describeEachEngine('the security regression suite (OWASP ASVS 5.0)', ({ database }) => {
  let app: FastifyInstance;
  let services: Services;
  let home: number;
  let admin: { id: number; email: string };

  beforeAll(async () => {
    ({ app, services } = await buildTestApp(database()));
    home = await organisationId(database().db, 'E07000178');
    admin = await buildUser(database().db, { organisationId: home, role: 'organisation-admin' });
  });
  afterAll(async () => {
    await app.close();
  });

  describe('V2 Validation and Business Logic', () => {
    it('V2.2.1: a NUL character in a query or form field is a 400, never a 500 (finding 9)', async () => {
      for (const url of ['/organisations?q=ox%00ford', '/challenges?q=%00', '/components?q=a%00b', '/api/v1/organisations?q=%00']) {
        expect((await app.inject(url)).statusCode, url).toBe(400);
      }
      const browser = await browserFor(database().db, null);
      expect((await postForm(app, browser, '/sign-in', { email: 'someone\u0000@example.test' })).statusCode).toBe(400);
    });

    it('V2.2.1: ids are canonical positive integers below 2^31; anything else is 404, never a 500 or another record (finding 9)', async () => {
      for (const id of ['1.0', '1e3', '0x1F', '01', '-1', '2147483648', '99999999999999999999']) {
        expect((await app.inject(`/contracts/${id}`)).statusCode, `/contracts/${id}`).toBe(404);
        expect((await app.inject(`/api/v1/contracts/${id}`)).statusCode, `/api/v1/contracts/${id}`).toBe(404);
        expect((await app.inject(`/challenges/${id}`)).statusCode, `/challenges/${id}`).toBe(404);
      }
    });
  });

  describe('V3 Web Frontend Security', () => {
    it('V3.3.4: a cookie the server cannot read is ignored, so every page still answers (finding 10)', async () => {
      for (const url of ['/', '/sign-in', '/organisations']) {
        const response = await app.inject({ url, headers: { cookie: 'commons_session=%; commons_csrf=%E0%A4%A' } });
        expect(response.statusCode, url).toBe(200);
      }
    });

    it('V3.5.1: a form token works only with the session it was made for (finding 18)', async () => {
      const member = await buildUser(database().db, { organisationId: home });
      const mine = await browserFor(database().db, member.id);
      const otherSession = await startSession(database().db, member.id);
      const stolen = { cookie: mine.cookie.replace(/commons_session=[^;]+/, `commons_session=${otherSession}`), csrf: mine.csrf };
      expect((await postForm(app, stolen, '/account/name', { name: 'Changed' })).statusCode).toBe(403);
      expect((await postForm(app, mine, '/account/name', { name: 'Changed' })).statusCode).toBe(303);
    });

    it('V3.5.1 and V7.2.4: signing in replaces the CSRF cookie, so a value planted before sign-in is useless after (finding 18)', async () => {
      const planted = crypto.randomBytes(32).toString('base64url');
      const email = `csrf-${unique()}@example.test`;
      const token = crypto.randomBytes(32).toString('base64url');
      await database()
        .db.insertInto('sign_in_links')
        .values({
          token_hash: crypto.createHash('sha256').update(token).digest('hex'),
          email,
          requested_ip: '127.0.0.1',
          expires_at: new Date(Date.now() + 600_000),
        })
        .execute();
      const response = await postForm(
        app,
        { cookie: `${CSRF_COOKIE}=${planted}`, csrf: csrfTokenFor(TEST_SECRET, planted) },
        '/sign-in/link',
        {
          token,
        },
      );
      expect(response.statusCode).toBe(303);
      const cookies = [response.headers['set-cookie'] ?? []].flat();
      const renewed = cookies.find((cookie) => cookie.startsWith(`${CSRF_COOKIE}=`));
      expect(renewed).toMatch(/^commons_csrf=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
      expect(renewed).not.toContain(planted);
    });

    it('V3.7.2: after sign-in, `next` only ever leads to a page of this site (finding 5)', async () => {
      const member = await buildUser(database().db, { organisationId: home });
      const browser = await browserFor(database().db, member.id);
      for (const next of ['/.//evil.example/x', '/..//evil.example/x', '/%2e//evil.example/x', '//evil.example', 'https://evil.example']) {
        const response = await app.inject({ url: `/sign-in?next=${encodeURIComponent(next)}`, headers: { cookie: browser.cookie } });
        expect(response.statusCode).toBe(303);
        expect(response.headers.location, next).toBe('/');
      }
      const token = crypto.randomBytes(32).toString('base64url');
      await database()
        .db.insertInto('sign_in_links')
        .values({
          token_hash: crypto.createHash('sha256').update(token).digest('hex'),
          email: member.email,
          requested_ip: '127.0.0.1',
          expires_at: new Date(Date.now() + 600_000),
        })
        .execute();
      const anonymous = await browserFor(database().db, null);
      // A first sign-in shows what to do next, passing `next` on only once it is made safe.
      const first = await postForm(app, anonymous, '/sign-in/link', { token, next: '/%2e//evil.example/x' });
      expect(first.headers.location).toBe('/account/welcome');
      const welcome = await app.inject({ url: '/account/welcome?next=%2F%2Fevil.example', headers: { cookie: browser.cookie } });
      expect(welcome.statusCode).toBe(200);
      expect(welcome.body).not.toContain('evil.example');
      // Later sign-ins go straight to `next`, made safe.
      const again = crypto.randomBytes(32).toString('base64url');
      await database()
        .db.insertInto('sign_in_links')
        .values({
          token_hash: crypto.createHash('sha256').update(again).digest('hex'),
          email: member.email,
          requested_ip: '127.0.0.1',
          expires_at: new Date(Date.now() + 600_000),
        })
        .execute();
      const link = await postForm(app, await browserFor(database().db, null), '/sign-in/link', {
        token: again,
        next: '/%2e//evil.example/x',
      });
      expect(link.headers.location).toBe('/');
    });
    // Also: src/platform/http/redirects.test.ts, src/platform/http/cookies.test.ts.
  });

  describe('V4 API and Web Service', () => {
    it('V4.1.3: by default nobody can choose their own address with X-Forwarded-For (TRUST_PROXY off) (finding 6)', async () => {
      expect(loadConfig({}).trustProxy).toBe(false);
      expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
      expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.0.1' }).trustProxy).toEqual(['10.0.0.0/8', '192.168.0.1']);
      const email = `forwarded-${unique()}@example.test`;
      const browser = await browserFor(database().db, null);
      const response = await app.inject({
        method: 'POST',
        url: '/sign-in',
        remoteAddress: '10.9.8.7',
        headers: { cookie: browser.cookie, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '203.0.113.9' },
        payload: formBody({ email, _csrf: browser.csrf }),
      });
      expect(response.statusCode).toBe(303);
      const link = await database()
        .db.selectFrom('sign_in_links')
        .select('requested_ip')
        .where('email', '=', email)
        .executeTakeFirstOrThrow();
      expect(link.requested_ip).toBe('10.9.8.7');
    });
  });

  describe('V5 File Handling', () => {
    it('V5.4.2: a download named after any Unicode text has a valid Content-Disposition with an RFC 6266 filename* (finding 11)', async () => {
      // "ſ" upper-cases to "S", so it reaches a council whose slug has an "s" and used to break the header.
      const council = await database()
        .db.selectFrom('organisations')
        .select('slug')
        .where('slug', 'like', '%s%')
        .where('kind', '!=', 'supplier')
        .orderBy('id')
        .executeTakeFirstOrThrow();
      const folded = council.slug.replaceAll('s', 'ſ');
      const response = await app.inject(`/api/v1/spend/organisations/${encodeURIComponent(folded)}/suppliers?format=csv`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-disposition']).toBe(
        `attachment; filename="${council.slug.replaceAll('s', '_')}-suppliers.csv"; filename*=UTF-8''${encodeURIComponent(folded)}-suppliers.csv`,
      );
    });
    // Also: src/platform/http/content-disposition.test.ts; data files owner-only in src/platform/database/data-directory-lock.test.ts.
  });

  describe('V6 Authentication', () => {
    it('V6.3.1: with the mail server down, a sign-in keeps nothing, says so, and does not count against the limit (finding 14)', async () => {
      // A mail server that refuses connections: a local port that was free a moment ago.
      const closed = net.createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as net.AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      const production = await buildTestApp(database(), undefined, {
        production: true,
        mail: { transport: 'smtp', host: '127.0.0.1', port, from: 'Local Digital Commons <no-reply@localhost>' },
      });
      try {
        const email = `mail-down-${unique()}@example.test`;
        const browser = await browserFor(database().db, null);
        const before = await lastAuditEventId(database().db);
        for (let attempt = 0; attempt < 11; attempt += 1) {
          const response = await postForm(production.app, browser, '/sign-in', { email });
          expect(response.statusCode, `attempt ${attempt + 1}`).toBe(503);
          expect(response.body).toContain('No link was sent or kept');
        }
        const links = await database().db.selectFrom('sign_in_links').select('id').where('email', '=', email).execute();
        expect(links).toEqual([]);
        const actions = (await auditEventsAfter(database().db, before)).map((event) => event.action);
        expect(actions.filter((action) => action === 'sign-in-link.send-failed')).toHaveLength(11);
      } finally {
        await production.app.close();
      }
    }, 60_000);
  });

  describe('V7 Session Management', () => {
    it('V7.4.3: "sign out everywhere" says API tokens keep working unless asked, and revokes them when asked (finding 18)', async () => {
      const member = await buildUser(database().db, { organisationId: home });
      const token = await buildApiToken(database().db, member.id);
      const account = await app.inject({ url: '/account', headers: { cookie: (await browserFor(database().db, member.id)).cookie } });
      expect(account.body).toContain('Your API tokens keep working unless you tick the box');
      const keep = await postForm(app, await browserFor(database().db, member.id), '/account/sign-out-everywhere');
      expect(keep.statusCode).toBe(303);
      expect((await app.inject({ url: '/api/v1/organisations', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
      await postForm(app, await browserFor(database().db, member.id), '/account/sign-out-everywhere', { revokeTokens: 'yes' });
      expect((await app.inject({ url: '/api/v1/organisations', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
    });
  });

  describe('V8 Authorization', () => {
    it('V8.2.1: someone with no organisation cannot publish through publiccode.yml import, by form or API (finding 1)', async () => {
      const unaffiliated = await buildUser(database().db, { organisationId: null });
      const name = `Security import ${unique()}`;
      const form = await postForm(app, await browserFor(database().db, unaffiliated.id), '/components/import', {
        yaml: publiccodeYaml(name),
      });
      expect(form.statusCode).toBe(403);
      const token = await buildApiToken(database().db, unaffiliated.id);
      const api = await app.inject({
        method: 'POST',
        url: '/api/v1/components/import',
        headers: { authorization: `Bearer ${token}` },
        payload: { fileName: 'publiccode.yml', yaml: publiccodeYaml(name) },
      });
      expect(api.statusCode).toBe(403);
      expect(await database().db.selectFrom('components').select('id').where('name', '=', name).execute()).toEqual([]);
    });

    it('V8.3.1: an organisation admin cannot demote or remove a person whose role a platform admin gave (finding 3)', async () => {
      const target = await buildUser(database().db, { organisationId: home, role: 'organisation-admin' });
      await database().db.updateTable('users').set({ role_authority: 'platform' }).where('id', '=', target.id).execute();
      const browser = await browserFor(database().db, admin.id);
      expect((await postForm(app, browser, `/manage/members/${target.id}/role`, { role: 'member' })).statusCode).toBe(403);
      expect((await postForm(app, browser, `/manage/members/${target.id}/remove`)).statusCode).toBe(403);
      const after = await database()
        .db.selectFrom('users')
        .select(['role', 'organisation_id'])
        .where('id', '=', target.id)
        .executeTakeFirstOrThrow();
      expect(after).toEqual({ role: 'organisation-admin', organisation_id: home });
      const page = await app.inject({ url: '/manage/organisations/E07000178/members', headers: { cookie: browser.cookie } });
      expect(page.body).not.toContain(`action="/manage/members/${target.id}/role"`);
    });

    it('V8.3.1: the last platform admin can never be demoted or removed, even by a platform admin acting at the same moment (finding 3)', async () => {
      const db = database().db;
      const first = await buildUser(db, { organisationId: home, role: 'platform-admin' });
      const second = await buildUser(db, { organisationId: home, role: 'platform-admin' });
      // Every other platform admin of this test database stands down, so these two are the last.
      await db
        .updateTable('users')
        .set({ status: 'disabled' })
        .where('role', '=', 'platform-admin')
        .where('id', 'not in', [first.id, second.id])
        .execute();
      await services.identityService.changeRole(actorOf(first, 'platform-admin', home), second.id, 'member');
      // The second, demoted a moment ago, still acts with the role their page was loaded with.
      await expect(services.identityService.changeRole(actorOf(second, 'platform-admin', home), first.id, 'member')).rejects.toThrow(
        /last platform admin/,
      );
      await expect(services.identityService.removeMember(actorOf(second, 'platform-admin', home), first.id)).rejects.toThrow(
        /last platform admin/,
      );
      const still = await db.selectFrom('users').select('role').where('id', '=', first.id).executeTakeFirstOrThrow();
      expect(still.role).toBe('platform-admin');
    });

    it('V8.3.1: `commons admin grant EMAIL` makes a platform admin from the server, audited as the system (finding 3)', async () => {
      const email = `rescue-${unique()}@example.test`;
      const out: string[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          out.push(chunk.toString());
          done();
        },
      });
      const before = await lastAuditEventId(database().db);
      expect(await runAdminCommand(['grant', email], { identityService: services.identityService, stdout: sink, stderr: sink })).toBe(0);
      expect(out.join('')).toBe(`${email} is now a platform admin.\n`);
      const user = await database().db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
      expect(user).toMatchObject({ role: 'platform-admin', status: 'active', role_authority: 'platform' });
      const events = await auditEventsAfter(database().db, before);
      expect(events.map((event) => [event.action, event.channel])).toEqual([['user.grant-platform-admin', 'system']]);
    });

    it('V8.2.2: members of a supplier cannot upload spend files or assess themselves, even with a member role (finding 8)', async () => {
      const supplier = await database()
        .db.insertInto('organisations')
        .values({
          kind: 'supplier',
          slug: `sec-supplier-${unique()}`,
          name: 'Sec Supplier',
          official_name: 'Sec Supplier',
          search_names: 'sec supplier',
        })
        .returning(['id', 'slug'])
        .executeTakeFirstOrThrow();
      const member = await buildUser(database().db, { organisationId: supplier.id, role: 'member' });
      const browser = await browserFor(database().db, member.id);
      expect((await postForm(app, browser, `/spend/organisations/${supplier.slug}/imports`)).statusCode).toBe(403);
      const platformAdmin = await buildUser(database().db, { organisationId: home, role: 'platform-admin' });
      expect(
        (await postForm(app, await browserFor(database().db, platformAdmin.id), `/spend/organisations/${supplier.slug}/imports`))
          .statusCode,
      ).toBe(403);
    });

    it('V8.3.1: an invitation does not move someone waiting on a request elsewhere until they accept it, in one audited step (finding 12)', async () => {
      const db = database().db;
      const person = await buildUser(db, { organisationId: null });
      const other = await organisationId(db, 'E10000008');
      await db.insertInto('join_requests').values({ user_id: person.id, organisation_id: other, message: null }).execute();
      expect(
        (
          await postForm(app, await browserFor(db, admin.id), '/manage/organisations/E07000178/invitations', {
            email: person.email,
            role: 'member',
          })
        ).statusCode,
      ).toBe(303);
      expect(
        (await db.selectFrom('users').select('organisation_id').where('id', '=', person.id).executeTakeFirstOrThrow()).organisation_id,
      ).toBeNull();
      const invitation = await db.selectFrom('invitations').select('id').where('email', '=', person.email).executeTakeFirstOrThrow();
      const browser = await browserFor(db, person.id);
      const account = await app.inject({ url: '/account', headers: { cookie: browser.cookie } });
      expect(account.body).toContain(`action="/account/invitations/${invitation.id}"`);
      const before = await lastAuditEventId(db);
      expect((await postForm(app, browser, `/account/invitations/${invitation.id}`, { decision: 'accept' })).statusCode).toBe(303);
      const after = await db
        .selectFrom('users')
        .select(['organisation_id', 'status'])
        .where('id', '=', person.id)
        .executeTakeFirstOrThrow();
      expect(after).toEqual({ organisation_id: home, status: 'active' });
      const request = await db.selectFrom('join_requests').select('status').where('user_id', '=', person.id).executeTakeFirstOrThrow();
      expect(request.status).toBe('withdrawn');
      expect((await auditEventsAfter(db, before)).map((event) => event.action)).toEqual(['invitation.accept']);
    });
    // Also: test/authorisation-matrix.test.ts (every state-changing route for every persona, including the catalogue
    // import paths, role changes of protected people, and 404 rather than 403 for other organisations' import ids).
  });

  describe('V14 Data Protection', () => {
    it('V14.3: pages for a signed-in person are never stored by browser or proxy caches (finding 18)', async () => {
      const member = await buildUser(database().db, { organisationId: home });
      const browser = await browserFor(database().db, member.id);
      for (const url of ['/', '/challenges', '/organisations', '/components/new']) {
        const response = await app.inject({ url, headers: { cookie: browser.cookie } });
        expect(response.headers['cache-control'], url).toBe('no-store');
      }
    });
  });
  // V15 Secure Coding and Architecture, V15.4 Safe Concurrency: src/platform/database/data-directory-lock.test.ts
  // (finding 15: a stale lock goes to exactly one of several processes started at the same instant).
});
