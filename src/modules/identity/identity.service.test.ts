import { beforeAll, expect, it } from 'vitest';
import { moduleDatabase } from '../../app/database-schema.js';
import { createServices } from '../../app/services.js';
import type { Actor } from '../../platform/actor.js';
import { listOutbox, type MailTables } from '../../platform/mail.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { auditEventsAfter, buildUser, lastAuditEventId, organisationId, unique } from '../../../test/support/factories.js';
import type { IdentityService } from './identity.service.js';

describeEachEngine('identity and access', ({ database }) => {
  let now = new Date('2026-06-01T09:00:00Z');
  const clock = () => new Date(now);
  let identity: IdentityService;
  let oxfordId: number;

  const db = () => database().db;
  const lastLinkToken = async (email: string) => {
    const message = (await listOutbox(moduleDatabase<MailTables>(db()), 50)).find((candidate) => candidate.recipient === email);
    const token = /token=([\w-]+)/.exec(message?.body ?? '')?.[1];
    if (!token) throw new Error(`no sign-in link was sent to ${email}`);
    return token;
  };
  const signIn = async (email: string) => {
    await identity.requestSignInLink({ email, ip: '10.0.0.1' });
    return identity.completeSignIn({ token: await lastLinkToken(email), userAgent: 'test', ip: '10.0.0.1' });
  };
  const actorFor = async (email: string): Promise<Actor> => {
    const { sessionToken } = await signIn(email);
    const actor = await identity.resolveSession(sessionToken);
    if (!actor) throw new Error('session did not resolve');
    return actor;
  };

  beforeAll(async () => {
    identity = createServices({ db: db(), clock }).identityService;
    oxfordId = await organisationId(db(), 'E07000178');
    await db().insertInto('organisation_email_domains').values({ organisation_id: oxfordId, domain: 'oxford.gov.uk' }).execute();
  });

  it('sends a link whether or not the address is known, with the same outcome', async () => {
    const known = await buildUser(db(), { organisationId: oxfordId, email: `known-${unique()}@oxford.gov.uk` });
    const stranger = `stranger-${unique()}@example.test`;
    await expect(identity.requestSignInLink({ email: known.email, ip: '10.0.0.2' })).resolves.toBeUndefined();
    await expect(identity.requestSignInLink({ email: stranger, ip: '10.0.0.2' })).resolves.toBeUndefined();
    expect(await lastLinkToken(known.email)).toMatch(/^[\w-]{43}$/);
    expect(await lastLinkToken(stranger)).toMatch(/^[\w-]{43}$/);
  });

  it('refuses a malformed address with the field named', async () => {
    await expect(identity.requestSignInLink({ email: 'not-an-address', ip: '10.0.0.3' })).rejects.toMatchObject({
      problems: [{ field: 'email' }],
    });
  });

  it('lets someone with a council domain join that council as a member on first sign-in, with one audit event', async () => {
    const email = `new-${unique()}@oxford.gov.uk`;
    await identity.requestSignInLink({ email, ip: '10.0.0.4' });
    const before = await lastAuditEventId(db());
    const result = await identity.completeSignIn({ token: await lastLinkToken(email), userAgent: 'test', ip: '10.0.0.4' });
    expect(result.user).toMatchObject({ email, organisation_id: oxfordId, role: 'member', status: 'active' });
    expect(result.needsOrganisation).toBe(false);
    const events = await auditEventsAfter(db(), before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'user.create',
      before: null,
      after: { email, organisationId: oxfordId, role: 'member', status: 'active' },
    });
  });

  it('makes someone with an unknown domain ask to join, and an admin approve them', async () => {
    const email = `outsider-${unique()}@example.test`;
    const { user, needsOrganisation } = await signIn(email);
    expect(needsOrganisation).toBe(true);
    expect(user.status).toBe('pending');
    const outsider = await actorFor(email);
    await identity.requestToJoin(outsider, { organisationCode: 'E07000178', message: 'I work in revenues' });
    await expect(identity.requestToJoin(outsider, { organisationCode: 'E07000178', message: '' })).rejects.toThrow('already asked');

    const admin = await buildUser(db(), { organisationId: oxfordId, role: 'organisation-admin', email: `admin-${unique()}@oxford.gov.uk` });
    const adminActor = await actorFor(admin.email);
    const devonAdmin = await buildUser(db(), {
      organisationId: await organisationId(db(), 'E10000008'),
      role: 'organisation-admin',
      email: `admin-${unique()}@devon.gov.uk`,
    });
    const request = (await identity.getMembership(adminActor, oxfordId)).requests.find((candidate) => candidate.email === email);
    expect(request).toBeDefined();
    await expect(identity.decideJoinRequest(await actorFor(devonAdmin.email), request!.id, true)).rejects.toThrow(
      'Only an admin of this organisation',
    );

    const before = await lastAuditEventId(db());
    await identity.decideJoinRequest(adminActor, request!.id, true);
    const events = await auditEventsAfter(db(), before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'join-request.approve',
      organisation_id: oxfordId,
      before: { status: 'pending' },
      after: { status: 'approved', userId: user.id },
    });
    expect((await identity.resolveSession((await signIn(email)).sessionToken))?.organisationId).toBe(oxfordId);
  });

  it('uses a link once, and not after 15 minutes', async () => {
    const email = `once-${unique()}@oxford.gov.uk`;
    await identity.requestSignInLink({ email, ip: '10.0.0.5' });
    const token = await lastLinkToken(email);
    await identity.completeSignIn({ token, userAgent: null, ip: null });
    await expect(identity.completeSignIn({ token, userAgent: null, ip: null })).rejects.toThrow('expired or has already been used');

    await identity.requestSignInLink({ email, ip: '10.0.0.5' });
    const late = await lastLinkToken(email);
    now = new Date(now.getTime() + 15 * 60_000 + 1);
    await expect(identity.completeSignIn({ token: late, userAgent: null, ip: null })).rejects.toThrow('expired or has already been used');
  });

  it('refuses the 11th link for one address within 15 minutes with a clear message, and allows it again later', async () => {
    const email = `busy-${unique()}@oxford.gov.uk`;
    for (let attempt = 1; attempt <= 10; attempt += 1) await identity.requestSignInLink({ email, ip: `10.1.0.${attempt}` });
    await expect(identity.requestSignInLink({ email, ip: '10.1.0.11' })).rejects.toThrow(
      'Too many sign-in links have been asked for this email address. Wait 15 minutes, then try again.',
    );
    now = new Date(now.getTime() + 15 * 60_000 + 1);
    await expect(identity.requestSignInLink({ email, ip: '10.1.0.12' })).resolves.toBeUndefined();
  });

  it('limits links asked for from one IP address', async () => {
    for (let attempt = 0; attempt < 50; attempt += 1)
      await identity.requestSignInLink({ email: `ip-${unique()}@example.test`, ip: '10.9.9.9' });
    await expect(identity.requestSignInLink({ email: `ip-${unique()}@example.test`, ip: '10.9.9.9' })).rejects.toThrow('from your network');
  });

  it('ends a session when idle too long, at its absolute limit, and on sign-out', async () => {
    const email = `session-${unique()}@oxford.gov.uk`;
    const idle = await signIn(email);
    now = new Date(now.getTime() + 8 * 60 * 60_000 + 1000);
    expect(await identity.resolveSession(idle.sessionToken)).toBeNull();

    const active = await signIn(email);
    const signedInAt = now.getTime();
    // Used every seven hours, it never idles out, until seven days after sign-in.
    while (now.getTime() + 7 * 60 * 60_000 < signedInAt + 7 * 24 * 60 * 60_000) {
      now = new Date(now.getTime() + 7 * 60 * 60_000);
      expect(await identity.resolveSession(active.sessionToken)).not.toBeNull();
    }
    now = new Date(signedInAt + 7 * 24 * 60 * 60_000 + 60_000);
    expect(await identity.resolveSession(active.sessionToken)).toBeNull();

    const first = await signIn(email);
    const second = await signIn(email);
    const actor = (await identity.resolveSession(first.sessionToken))!;
    await identity.signOut(actor);
    expect(await identity.resolveSession(first.sessionToken)).toBeNull();
    expect(await identity.resolveSession(second.sessionToken)).not.toBeNull();
    await identity.signOutEverywhere((await identity.resolveSession(second.sessionToken))!);
    expect(await identity.resolveSession(second.sessionToken)).toBeNull();
  });

  it('creates scoped API tokens shown once, resolves and revokes them, with audit events', async () => {
    const actor = await actorFor(`tokens-${unique()}@oxford.gov.uk`);
    const before = await lastAuditEventId(db());
    const { id, token } = await identity.createApiToken(actor, { name: 'nightly export', scopes: ['read'] });
    expect(token).toMatch(/^ldc_[\w-]{43}$/);
    const tokenActor = await identity.resolveApiToken(token);
    expect(tokenActor).toMatchObject({ userId: actor.userId, via: 'token', scopes: ['read'] });
    await expect(identity.createApiToken(tokenActor!, { name: 'x', scopes: ['write'] })).rejects.toThrow('account page');
    await identity.revokeApiToken(actor, id);
    expect(await identity.resolveApiToken(token)).toBeNull();
    await expect(identity.revokeApiToken(actor, id)).rejects.toThrow('no such active token');
    const events = await auditEventsAfter(db(), before);
    expect(events.map((event) => [event.action, event.before, event.after])).toEqual([
      ['api-token.create', null, { name: 'nightly export', scopes: ['read'] }],
      ['api-token.revoke', { name: 'nightly export', revoked: false }, { name: 'nightly export', revoked: true }],
    ]);
  });

  it('stores no link, session or token in plain text', async () => {
    const email = `secrets-${unique()}@oxford.gov.uk`;
    await identity.requestSignInLink({ email, ip: '10.0.0.8' });
    const linkToken = await lastLinkToken(email);
    const { sessionToken } = await identity.completeSignIn({ token: linkToken, userAgent: null, ip: null });
    const actor = (await identity.resolveSession(sessionToken))!;
    const { token: apiToken } = await identity.createApiToken(actor, { name: 'check', scopes: ['read', 'write'] });
    const tables = await Promise.all([
      db().selectFrom('sign_in_links').selectAll().execute(),
      db().selectFrom('sessions').selectAll().execute(),
      db().selectFrom('api_tokens').selectAll().execute(),
    ]);
    const stored = JSON.stringify(tables);
    for (const secret of [linkToken, sessionToken, apiToken, apiToken.slice(4)]) expect(stored).not.toContain(secret);
    expect(stored).toContain('"token_hash":"');
  });

  it('lets an organisation admin change roles and remove members, but not their own', async () => {
    const admin = await actorFor(`boss-${unique()}@oxford.gov.uk`);
    await db().updateTable('users').set({ role: 'organisation-admin' }).where('id', '=', admin.userId).execute();
    const boss = (await identity.resolveSession((await signIn(admin.email)).sessionToken))!;
    const member = await buildUser(db(), { organisationId: oxfordId });
    const before = await lastAuditEventId(db());
    await identity.changeRole(boss, member.id, 'organisation-admin');
    await expect(identity.changeRole(boss, member.id, 'platform-admin')).rejects.toThrow('cannot make someone platform-admin');
    await expect(identity.changeRole(boss, boss.userId, 'member')).rejects.toThrow('your own role');
    await identity.removeMember(boss, member.id);
    const events = await auditEventsAfter(db(), before);
    expect(events.map((event) => event.action)).toEqual(['user.change-role', 'user.remove-from-organisation']);
    expect(events[0]).toMatchObject({ before: { role: 'member' }, after: { role: 'organisation-admin' } });
    expect(events[1]).toMatchObject({ before: { organisationId: oxfordId }, after: { organisationId: null, status: 'pending' } });
  });

  it('keeps the audit trail append-only in the database itself', async () => {
    await expect(db().updateTable('audit_events').set({ action: 'tampered' }).execute()).rejects.toThrow(/append-only/);
    await expect(db().deleteFrom('audit_events').execute()).rejects.toThrow(/append-only/);
  });
});
