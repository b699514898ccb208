import type { Actor, Role } from '../../platform/actor.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../app/database-schema.js';
import { buildUser, startSession, unique } from '../../../test/support/factories.js';

/** A complete, valid case study body (form field names); a test overrides only what matters to it. */
export function buildCaseStudyInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: `Online housing repairs ${unique()}`,
    summary: 'Tenants report repairs online and book a slot, so fewer calls reach the contact centre.',
    problem: 'Repair requests came by phone and were re-keyed by hand, with long waits at peak times.',
    whatWeDid: 'Built an online repair form with the contractor’s booking system behind it.',
    serviceArea: 'housing',
    costOneOffBand: '10k-50k',
    costYearlyBand: 'under-10k',
    costOneOffPounds: '',
    costYearlyPounds: '',
    lessons: 'Test with tenants early.',
    doDifferently: 'Involve the repairs contractor from the first week.',
    claimedLevel: '2',
    claimJustification: 'We counted calls before and after.',
    contactName: 'Sam Example',
    contactEmail: 'sam@example.test',
    contactConsent: 'yes',
    sources: '',
    outcome1Metric: 'Repair calls a month',
    outcome1Baseline: '4,000',
    outcome1Result: '2,600',
    outcome1Period: 'April 2024 to March 2025',
    outcome1Method: 'before-after',
    ...overrides,
  };
}

/** A person of a role in an organisation, as an actor, with a session cookie for page tests. */
export async function buildKnowledgePerson(
  db: Kysely<Database>,
  organisationId: number | null,
  role: Role,
  now = new Date(),
): Promise<Actor & { cookie: string }> {
  const user = await buildUser(db, { organisationId, role, name: `Knowledge ${role}` });
  const session = await startSession(db, user.id, now);
  return {
    userId: user.id,
    email: user.email,
    name: `Knowledge ${role}`,
    organisationId,
    organisationName: null,
    role,
    via: 'session',
    credentialId: 0,
    scopes: ['read', 'write'],
    cookie: `commons_session=${session}`,
  };
}
