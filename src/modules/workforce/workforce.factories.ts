import type { Kysely } from 'kysely';
import type { Database } from '../../app/database-schema.js';
import type { Role } from '../../platform/actor.js';
import { countField, HEADCOUNT } from './return-reader.js';
import { DIMENSIONS, emptyCounts, GRADE_BANDS, type GradeBand, type ReturnCounts } from './workforce.categories.js';

/** Test builders for the workforce module's records: a test states only what matters to it. */

/** A consistent return: each grade band's headcount, everyone in the first category of each dimension unless told. */
export function buildReturnCounts(headcounts: Partial<Record<GradeBand, number>> = { practitioner: 12 }): ReturnCounts {
  const counts = emptyCounts();
  for (const grade of GRADE_BANDS) {
    const headcount = headcounts[grade] ?? 0;
    counts.headcount[grade] = headcount;
    for (const dimension of DIMENSIONS)
      (counts.dimensions[dimension.code]?.[grade] as Record<string, number>)[dimension.categories[0]?.code as string] = headcount;
  }
  return counts;
}

/** The return form's fields for some counts. */
export function buildReturnForm(counts: ReturnCounts): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const grade of GRADE_BANDS) {
    fields[countField(HEADCOUNT, grade)] = String(counts.headcount[grade]);
    for (const dimension of DIMENSIONS)
      for (const category of dimension.categories)
        fields[countField(dimension.code, grade, category.code)] = String(counts.dimensions[dimension.code]?.[grade]?.[category.code] ?? 0);
  }
  return fields;
}

/** A person who is their organisation's workforce lead. */
export async function buildWorkforceLead(db: Kysely<Database>, organisationId: number, role: Role = 'member') {
  const user = await db
    .insertInto('users')
    .values({
      email: `lead-${Math.random().toString(36).slice(2, 12)}@example.test`,
      name: 'Workforce Lead',
      organisation_id: organisationId,
      role,
      status: 'active',
    })
    .returning(['id', 'email'])
    .executeTakeFirstOrThrow();
  await db.insertInto('workforce_leads').values({ organisation_id: organisationId, user_id: user.id, designated_by: null }).execute();
  return user;
}

/** An opportunity's form input, open for a month from the given day. */
export function buildOpportunityInput(today: Date, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    kind: 'apprenticeship',
    role: 'Data analyst apprentice',
    summary: 'Learn analysis on real service data.',
    place: 'Oxford',
    remote: 'hybrid',
    lengthMonths: '18',
    closingDate: new Date(today.getTime() + 30 * 86_400_000).toISOString().slice(0, 10),
    howToApply: 'Email jobs@example.test',
    ...overrides,
  };
}

/** A mentoring participant inserted straight into a round (no user). */
export async function buildParticipant(
  db: Kysely<Database>,
  roundId: number,
  values: {
    side: 'mentor' | 'mentee';
    leadsIn?: 'digital' | 'service';
    capacity?: number;
    choices?: number[];
    userId?: number | null;
    email?: string;
  },
): Promise<number> {
  const row = await db
    .insertInto('mentoring_participants')
    .values({
      round_id: roundId,
      user_id: values.userId ?? null,
      name: `${values.side} ${Math.random().toString(36).slice(2, 7)}`,
      email: values.email ?? `${values.side}-${Math.random().toString(36).slice(2, 10)}@example.test`,
      organisation_name: 'Test council',
      side: values.side,
      leads_in: values.leadsIn ?? 'digital',
      goals: '',
      preferences: '',
      capacity: values.side === 'mentor' ? (values.capacity ?? 1) : 0,
      choices: values.choices ?? [],
      bans: [],
      waitlisted_from: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
