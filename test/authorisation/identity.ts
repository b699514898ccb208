import crypto from 'node:crypto';
import type { Role } from '../../src/platform/actor.js';
import { type AuthorisationCase, type MatrixWorld, onlyAllowed, PERSONAS } from '../support/authorisation.js';
import { buildApiToken, buildUser, organisationId, unique } from '../support/factories.js';
import { hashSecret } from '../../src/modules/identity/index.js';

const everyone = Object.fromEntries(PERSONAS.map((persona) => [persona, 'allowed'])) as AuthorisationCase['expect'];
const signedIn = onlyAllowed(
  'unaffiliated',
  'otherOrganisationMember',
  'member',
  'organisationAdmin',
  'assessor',
  'supplier',
  'platformAdmin',
);
const homeAdmins = onlyAllowed('organisationAdmin', 'platformAdmin');

/** A person at the home council whose role was given as described, for the role-change and removal cases. */
async function buildHomeMember(world: MatrixWorld, role: Role, authority: 'organisation' | 'platform'): Promise<number> {
  const person = await buildUser(world.db, { organisationId: world.home.id, role });
  await world.db
    .updateTable('users')
    .set({ role_authority: authority, role_granted_by: authority === 'platform' ? world.people.platformAdmin.id : null })
    .where('id', '=', person.id)
    .execute();
  return person.id;
}

/** A person with no organisation asking to join this one; returns the request's id. */
async function buildJoinRequest(world: MatrixWorld, organisation: number): Promise<number> {
  const applicant = await buildUser(world.db, { organisationId: null });
  const request = await world.db
    .insertInto('join_requests')
    .values({ user_id: applicant.id, organisation_id: organisation, message: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return request.id;
}

/** Roles a platform admin gave: an organisation admin may neither change them nor remove the person (finding 3). */
const PROTECTED_TARGETS = [
  { scenario: 'an organisation admin whose role a platform admin gave', role: 'organisation-admin', authority: 'platform' },
  { scenario: 'an assessor', role: 'assessor', authority: 'platform' },
  { scenario: 'a platform admin', role: 'platform-admin', authority: 'platform' },
  // Even recorded as given by the organisation (as factories and old rows may be), these roles stay protected.
  { scenario: 'a platform admin recorded as given by the organisation', role: 'platform-admin', authority: 'organisation' },
] as const;

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
    // Only the person with no organisation may ask; everyone else already belongs to one; the public must sign in.
    expect: {
      ...Object.fromEntries(PERSONAS.map((persona) => [persona, 409])),
      anonymous: 'refused',
      unaffiliated: 'allowed',
    } as AuthorisationCase['expect'],
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
  ...(['member', 'organisation-admin'] as const).map((role): AuthorisationCase => ({
    route: 'POST /manage/join-requests/:id/approve',
    scenario: `approving with the role ${role} named`,
    kind: 'form',
    expect: homeAdmins,
    prepare: async (world) => ({ url: `/manage/join-requests/${await buildJoinRequest(world, world.home.id)}/approve`, body: { role } }),
  })),
  {
    route: 'POST /manage/join-requests/:id/approve',
    scenario: 'appointing the first admin of a council that has none',
    kind: 'form',
    expect: onlyAllowed('platformAdmin'),
    prepare: async (world) => ({
      url: `/manage/join-requests/${await buildJoinRequest(world, await organisationId(world.db, 'E06000001'))}/approve`,
      body: { role: 'organisation-admin' },
    }),
  },
  {
    route: 'POST /manage/join-requests/:id/approve',
    scenario: 'naming a role the approval cannot give',
    kind: 'form',
    // Only member and organisation admin may be given by approving: anything else is refused as a bad form, for everyone.
    expect: Object.fromEntries(PERSONAS.map((persona) => [persona, 400])) as AuthorisationCase['expect'],
    prepare: async (world) => ({
      url: `/manage/join-requests/${await buildJoinRequest(world, world.home.id)}/approve`,
      body: { role: 'platform-admin' },
    }),
  },
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
  ...PROTECTED_TARGETS.flatMap(({ scenario, role, authority }): AuthorisationCase[] => [
    {
      route: 'POST /manage/members/:id/role',
      scenario,
      kind: 'form',
      expect: onlyAllowed('platformAdmin'),
      prepare: async (world) => ({
        url: `/manage/members/${await buildHomeMember(world, role, authority)}/role`,
        body: { role: 'member' },
      }),
    },
    {
      route: 'POST /manage/members/:id/remove',
      scenario,
      kind: 'form',
      expect: onlyAllowed('platformAdmin'),
      prepare: async (world) => ({ url: `/manage/members/${await buildHomeMember(world, role, authority)}/remove` }),
    },
  ]),
  {
    route: 'POST /account/invitations/:id',
    scenario: 'declining an invitation addressed to the person',
    kind: 'form',
    expect: signedIn,
    prepare: async (world, persona) => {
      const email = persona === 'anonymous' ? `nobody-${unique()}@example.test` : world.people[persona].email;
      const invitation = await world.db
        .insertInto('invitations')
        .values({ organisation_id: world.other.id, email, role: 'member', invited_by: world.people.platformAdmin.id })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { url: `/account/invitations/${invitation.id}`, body: { decision: 'decline' } };
    },
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
