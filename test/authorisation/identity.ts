import crypto from 'node:crypto';
import { type AuthorisationCase, onlyAllowed, PERSONAS } from '../support/authorisation.js';
import { buildApiToken, buildUser, unique } from '../support/factories.js';
import { hashSecret } from '../../src/modules/identity/identity.service.js';

const everyone = Object.fromEntries(PERSONAS.map((persona) => [persona, 'allowed'])) as AuthorisationCase['expect'];
const signedIn = onlyAllowed('otherOrganisationMember', 'member', 'organisationAdmin', 'assessor', 'supplier', 'platformAdmin');
const homeAdmins = onlyAllowed('organisationAdmin', 'platformAdmin');

/** Who may use each state-changing route of identity and access. */
export const identityAuthorisationCases: AuthorisationCase[] = [
  {
    route: 'POST /sign-in',
    kind: 'form',
    expect: everyone,
    prepare: async () => ({ url: '/sign-in', body: { email: `someone-${unique()}@example.test` } }),
  },
  {
    route: 'POST /sign-in/link',
    kind: 'form',
    expect: everyone,
    prepare: async ({ db }) => {
      const token = crypto.randomBytes(32).toString('base64url');
      await db
        .insertInto('sign_in_links')
        .values({
          token_hash: hashSecret(token),
          email: `someone-${unique()}@example.test`,
          requested_ip: '127.0.0.1',
          expires_at: new Date(Date.now() + 600_000),
        })
        .execute();
      return { url: '/sign-in/link', body: { token } };
    },
  },
  { route: 'POST /sign-out', kind: 'form', expect: signedIn, prepare: async () => ({ url: '/sign-out' }) },
  {
    route: 'POST /account/sign-out-everywhere',
    kind: 'form',
    expect: signedIn,
    prepare: async () => ({ url: '/account/sign-out-everywhere' }),
  },
  {
    route: 'POST /account/name',
    kind: 'form',
    expect: signedIn,
    prepare: async () => ({ url: '/account/name', body: { name: 'A New Name' } }),
  },
  {
    route: 'POST /account/tokens',
    kind: 'form',
    expect: signedIn,
    prepare: async () => ({ url: '/account/tokens', body: { name: 'nightly export', scopes: ['read'] } }),
  },
  {
    route: 'POST /account/tokens/:id/revoke',
    kind: 'form',
    expect: signedIn,
    // Each person revokes a token of their own (the public has none: it is refused before looking).
    prepare: async (world, persona) => {
      const owner = persona === 'anonymous' ? world.people.member : world.people[persona];
      await buildApiToken(world.db, owner.id);
      const token = await world.db
        .selectFrom('api_tokens')
        .select('id')
        .where('user_id', '=', owner.id)
        .where('revoked_at', 'is', null)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      return { url: `/account/tokens/${token.id}/revoke` };
    },
  },
  {
    route: 'POST /account/join',
    kind: 'form',
    // Everyone in the matrix already belongs to an organisation, so the request conflicts; the public must sign in.
    expect: { ...Object.fromEntries(PERSONAS.map((persona) => [persona, 409])), anonymous: 'refused' } as AuthorisationCase['expect'],
    prepare: async (world) => ({ url: '/account/join', body: { organisation: world.home.code, message: 'Please let me in' } }),
  },
  ...(['approve', 'refuse'] as const).map((decision): AuthorisationCase => ({
    route: `POST /manage/join-requests/:id/${decision}`,
    kind: 'form',
    expect: homeAdmins,
    prepare: async (world) => {
      const applicant = await buildUser(world.db, { organisationId: null });
      const request = await world.db
        .insertInto('join_requests')
        .values({ user_id: applicant.id, organisation_id: world.home.id, message: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { url: `/manage/join-requests/${request.id}/${decision}` };
    },
  })),
  {
    route: 'POST /manage/members/:id/role',
    kind: 'form',
    expect: homeAdmins,
    prepare: async (world) => ({
      url: `/manage/members/${(await buildUser(world.db, { organisationId: world.home.id })).id}/role`,
      body: { role: 'organisation-admin' },
    }),
  },
  {
    route: 'POST /manage/members/:id/remove',
    kind: 'form',
    expect: homeAdmins,
    prepare: async (world) => ({ url: `/manage/members/${(await buildUser(world.db, { organisationId: world.home.id })).id}/remove` }),
  },
  {
    route: 'POST /manage/organisations/:code/invitations',
    kind: 'form',
    expect: homeAdmins,
    prepare: async (world) => ({
      url: `/manage/organisations/${world.home.code}/invitations`,
      body: { email: `invitee-${unique()}@example.test`, role: 'member' },
    }),
  },
  {
    route: 'POST /manage/organisations/:code/domains',
    kind: 'form',
    expect: onlyAllowed('platformAdmin'),
    prepare: async (world) => ({
      url: `/manage/organisations/${world.home.code}/domains`,
      body: { domain: `d${crypto.randomBytes(4).toString('hex')}.example` },
    }),
  },
  {
    route: 'POST /manage/domains/:id/remove',
    kind: 'form',
    expect: onlyAllowed('platformAdmin'),
    prepare: async (world) => {
      const domain = await world.db
        .insertInto('organisation_email_domains')
        .values({ organisation_id: world.home.id, domain: `d${crypto.randomBytes(4).toString('hex')}.example` })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { url: `/manage/domains/${domain.id}/remove` };
    },
  },
];
