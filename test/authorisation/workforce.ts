import { type AuthorisationCase, type MatrixWorld, onlyAllowed, type Persona } from '../support/authorisation.js';
import { buildOpportunityInput, buildReturnCounts, buildReturnForm } from '../../src/modules/workforce/workforce.factories.js';

/** The home council's member is its workforce lead in these cases; nobody else is. */
async function makeMemberTheLead(world: MatrixWorld): Promise<void> {
  await world.db
    .insertInto('workforce_leads')
    .values({ organisation_id: world.home.id, user_id: world.people.member.id, designated_by: null })
    .onConflict((conflict) => conflict.columns(['organisation_id', 'user_id']).doNothing())
    .execute();
}

async function openRound(world: MatrixWorld): Promise<number> {
  const row = await world.db
    .insertInto('mentoring_rounds')
    .values({ name: 'Matrix round', status: 'open' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A pairing whose mentor is the home council's member (the mentee is nobody signed in). */
async function buildPairing(world: MatrixWorld): Promise<number> {
  const roundId = await openRound(world);
  const participant = async (side: 'mentor' | 'mentee', userId: number | null) =>
    (
      await world.db
        .insertInto('mentoring_participants')
        .values({
          round_id: roundId,
          user_id: userId,
          name: side,
          email: `${side}-${roundId}@example.test`,
          organisation_name: '',
          side,
          leads_in: side === 'mentor' ? 'service' : 'digital',
          goals: '',
          preferences: '',
          capacity: side === 'mentor' ? 1 : 0,
          choices: [],
          bans: [],
          waitlisted_from: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const mentor = await participant('mentor', world.people.member.id);
  const mentee = await participant('mentee', null);
  const row = await world.db
    .insertInto('mentoring_pairings')
    .values({ round_id: roundId, mentor_id: mentor, mentee_id: mentee, explanation: 'matrix', status: 'active', end_reason: '' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const memberOnlyStatus = (status: number): Record<Persona, number | 'refused'> => ({
  anonymous: 'refused',
  unaffiliated: 'refused',
  otherOrganisationMember: 'refused',
  member: status,
  organisationAdmin: 'refused',
  assessor: 'refused',
  supplier: 'refused',
  platformAdmin: 'refused',
});

/** Who may change what in the workforce module. */
export const workforceAuthorisationCases: AuthorisationCase[] = [
  {
    route: 'POST /workforce/returns',
    kind: 'form',
    prepare: async (world) => {
      await makeMemberTheLead(world);
      return { url: '/workforce/returns', body: { year: '2025', correctionReason: 'matrix', ...buildReturnForm(buildReturnCounts()) } };
    },
    expect: onlyAllowed('member'),
  },
  {
    route: 'POST /workforce/returns/upload',
    kind: 'form',
    prepare: async (world) => {
      await makeMemberTheLead(world);
      return { url: '/workforce/returns/upload?year=2025' };
    },
    // The lead gets past the lead check and is asked for a file (this case sends none); everyone else is refused first.
    expect: memberOnlyStatus(400),
  },
  {
    route: 'POST /workforce/leads',
    kind: 'form',
    prepare: async (world) => ({ url: '/workforce/leads', body: { userId: world.people.member.id, lead: 'true' } }),
    expect: onlyAllowed('organisationAdmin'),
  },
  {
    route: 'POST /workforce/publish',
    kind: 'form',
    prepare: async () => ({ url: '/workforce/publish', body: { year: '2019' } }),
    expect: onlyAllowed('platformAdmin'),
  },
  {
    route: 'POST /workforce/opportunities',
    kind: 'form',
    prepare: async () => ({ url: '/workforce/opportunities', body: buildOpportunityInput(new Date('2026-06-01T12:00:00Z')) }),
    expect: onlyAllowed('otherOrganisationMember', 'member', 'organisationAdmin', 'platformAdmin'),
  },
  {
    route: 'POST /mentoring/sign-up',
    kind: 'form',
    prepare: async (world) => {
      await openRound(world);
      return { url: '/mentoring/sign-up', body: { side: 'mentee', leadsIn: 'digital', goals: 'matrix' } };
    },
    expect: onlyAllowed('unaffiliated', 'otherOrganisationMember', 'member', 'organisationAdmin', 'assessor', 'supplier', 'platformAdmin'),
  },
  {
    route: 'POST /mentoring/rounds',
    kind: 'form',
    prepare: async (world) => {
      await world.db.updateTable('mentoring_rounds').set({ status: 'matched' }).where('status', '=', 'open').execute();
      return { url: '/mentoring/rounds', body: { name: 'Matrix round' } };
    },
    expect: onlyAllowed('platformAdmin'),
  },
  {
    route: 'POST /mentoring/rounds/:id/match',
    kind: 'form',
    prepare: async (world) => ({ url: `/mentoring/rounds/${await openRound(world)}/match`, body: {} }),
    expect: onlyAllowed('platformAdmin'),
  },
  {
    route: 'POST /mentoring/pairings/:id/check-ins',
    kind: 'form',
    prepare: async (world) => ({
      url: `/mentoring/pairings/${await buildPairing(world)}/check-ins`,
      body: { kind: 'check-in', note: 'matrix' },
    }),
    expect: onlyAllowed('member'),
  },
  {
    route: 'POST /mentoring/pairings/:id/end',
    kind: 'form',
    prepare: async (world) => ({ url: `/mentoring/pairings/${await buildPairing(world)}/end`, body: { reason: 'matrix' } }),
    expect: onlyAllowed('member'),
  },
];
