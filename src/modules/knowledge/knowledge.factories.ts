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

/** A case study inserted directly (factories build the world a test starts from), with one measured outcome. */
export async function insertCaseStudy(
  db: Kysely<Database>,
  values: { organisationId: number; status: 'draft' | 'submitted' | 'published'; claimedLevel?: number; confirmedLevel?: number | null },
): Promise<{ id: number; slug: string }> {
  const slug = `factory-case-study-${unique()}`.toLowerCase();
  const row = await db
    .insertInto('case_studies')
    .values({
      slug,
      title: `Factory case study ${slug}`,
      summary: 'A case study built by a test factory.',
      problem: 'A problem.',
      what_we_did: 'Something that worked.',
      organisation_id: values.organisationId,
      service_area: 'housing',
      council_type: null,
      region: null,
      population: null,
      cost_one_off_band: 'not-disclosed',
      cost_yearly_band: 'not-disclosed',
      cost_one_off_pounds: null,
      cost_yearly_pounds: null,
      lessons: '',
      do_differently: '',
      claimed_level: values.claimedLevel ?? 2,
      claim_justification: '',
      confirmed_level: values.status === 'published' ? (values.confirmedLevel ?? values.claimedLevel ?? 2) : null,
      status: values.status,
      published_at: values.status === 'published' ? new Date() : null,
      contact_name: '',
      contact_email: '',
      contact_consent: false,
      sources: '',
      created_by: null,
    })
    .returning(['id', 'slug'])
    .executeTakeFirstOrThrow();
  await db
    .insertInto('case_study_outcomes')
    .values({
      case_study_id: row.id,
      replication_id: null,
      position: 1,
      metric: 'Calls',
      baseline: '100',
      result: '80',
      period: '2025',
      method: 'before-after',
    })
    .execute();
  return row;
}
