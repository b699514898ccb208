import { sql } from 'kysely';
import { type AuthorisationCase, type MatrixWorld, onlyAllowed } from '../support/authorisation.js';
import { organisationId, unique } from '../support/factories.js';

const councilPeople = onlyAllowed('otherOrganisationMember', 'member', 'organisationAdmin');
const ownersAndPlatformAdmins = onlyAllowed('member', 'organisationAdmin', 'platformAdmin');

/** A public challenge owned by the matrix's home council, inserted directly (factories build the world a case starts from). */
async function buildChallenge(world: MatrixWorld, sharers: number[] = []): Promise<number> {
  const row = await world.db
    .insertInto('challenges')
    .values({
      title: `Matrix challenge ${unique()}`,
      problem: 'A problem the authorisation matrix uses to check who may do what.',
      affects: '',
      service_area: 'housing',
      workaround: '',
      good_looks_like: '',
      constraints: '',
      budget_band: 'unknown',
      timescale: '',
      contract_end_date: null,
      stage: 'identified',
      visibility: 'public',
      owner_organisation_id: world.home.id,
      created_by: null,
      contact_name: '',
      contact_email: '',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const organisation of [world.home.id, ...sharers]) {
    await world.db
      .insertInto('challenge_sharers')
      .values({
        challenge_id: row.id,
        organisation_id: organisation,
        scale: 100,
        scale_unit: 'residents',
        budget_band: 'unknown',
        timing: '',
        comment: '',
        joined_by: null,
      })
      .execute();
  }
  return row.id;
}

const challengeBody = {
  title: 'Booking temporary accommodation',
  problem: 'Officers phone round every evening to find emergency accommodation.',
  serviceArea: 'housing',
  budgetBand: 'unknown',
  visibility: 'public',
};

/** Who may use each state-changing route of the challenge pipeline. */
export const challengesAuthorisationCases: AuthorisationCase[] = [
  {
    route: 'POST /challenges',
    kind: 'form',
    expect: councilPeople,
    prepare: async () => ({ url: '/challenges', body: { ...challengeBody, intent: 'post' } }),
  },
  {
    route: 'POST /api/v1/challenges',
    kind: 'api',
    expect: councilPeople,
    prepare: async () => ({ url: '/api/v1/challenges', body: challengeBody }),
  },
  {
    route: 'POST /challenges/:id/edit',
    kind: 'form',
    expect: ownersAndPlatformAdmins,
    prepare: async (world) => ({
      url: `/challenges/${await buildChallenge(world)}/edit`,
      body: { ...challengeBody, title: 'A clearer title' },
    }),
  },
  {
    route: 'POST /challenges/:id/stage',
    kind: 'form',
    expect: ownersAndPlatformAdmins,
    prepare: async (world) => ({
      url: `/challenges/${await buildChallenge(world)}/stage`,
      body: { stage: 'exploring', note: 'Discovery started' },
    }),
  },
  {
    route: 'POST /challenges/:id/confirm',
    kind: 'form',
    expect: ownersAndPlatformAdmins,
    prepare: async (world) => ({ url: `/challenges/${await buildChallenge(world)}/confirm` }),
  },
  {
    route: 'POST /challenges/:id/join',
    kind: 'form',
    // The home council posted it, so its people already share it: a conflict, not a refusal.
    expect: { ...onlyAllowed('otherOrganisationMember'), member: 409, organisationAdmin: 409 },
    prepare: async (world) => ({
      url: `/challenges/${await buildChallenge(world)}/join`,
      body: { scale: '250', scaleUnit: 'households', budgetBand: '25k-100k', timing: 'Next year', comment: 'Same here' },
    }),
  },
  {
    route: 'POST /challenges/:id/leave',
    kind: 'form',
    // The other council shares it and may leave; the council that posted it closes it instead.
    expect: { ...onlyAllowed('otherOrganisationMember'), member: 409, organisationAdmin: 409 },
    prepare: async (world) => ({ url: `/challenges/${await buildChallenge(world, [world.other.id])}/leave` }),
  },
  {
    route: 'POST /challenges/:id/responses',
    kind: 'form',
    expect: onlyAllowed('supplier'),
    prepare: async (world) => ({
      url: `/challenges/${await buildChallenge(world)}/responses`,
      body: { offer: 'A booking platform used by other councils.', evidence: '', priceModel: 'Annual licence' },
    }),
  },
  {
    route: 'POST /challenges/:id/responses/:responseId/moderate',
    kind: 'form',
    expect: ownersAndPlatformAdmins,
    prepare: async (world) => {
      const challengeId = await buildChallenge(world);
      const response = await world.db
        .insertInto('challenge_responses')
        .values({
          challenge_id: challengeId,
          supplier_organisation_id: world.people.supplier.organisationId ?? 0,
          author_id: world.people.supplier.id,
          offer: 'An offer to moderate',
          evidence: '',
          price_model: '',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { url: `/challenges/${challengeId}/responses/${response.id}/moderate`, body: { decision: 'publish', note: '' } };
    },
  },
  {
    route: 'POST /challenges/:id/components',
    kind: 'form',
    expect: ownersAndPlatformAdmins,
    prepare: async (world) => {
      // A component in the catalogue (its own module's table; only the columns it requires).
      const slug = `matrix-component-${unique()}`.toLowerCase();
      await sql`insert into components (slug, name, kind, summary) values (${slug}, ${'Matrix component'}, ${'software'}, ${'For the matrix'})`.execute(
        world.db,
      );
      return {
        url: `/challenges/${await buildChallenge(world)}/components`,
        body: { componentSlug: slug, relation: 'might-solve', note: '' },
      };
    },
  },
  {
    route: 'POST /challenges/:id/merge',
    kind: 'form',
    expect: onlyAllowed('platformAdmin'),
    prepare: async (world) => ({ url: `/challenges/${await buildChallenge(world)}/merge`, body: { into: await buildChallenge(world) } }),
  },
  {
    route: 'POST /challenges/:id/collaboration',
    kind: 'form',
    // Councils sharing the challenge (home and other) and platform admins may propose; the public, suppliers and assessors may not.
    expect: onlyAllowed('otherOrganisationMember', 'member', 'organisationAdmin', 'platformAdmin'),
    prepare: async (world) => {
      const third = await organisationId(world.db, 'E08000035');
      const challengeId = await buildChallenge(world, [world.other.id, third]);
      return {
        url: `/challenges/${challengeId}/collaboration`,
        body: { lead: world.home.id, partners: [String(world.other.id), String(third)], approach: 'buy-together', summary: 'Buy it once' },
      };
    },
  },
];
