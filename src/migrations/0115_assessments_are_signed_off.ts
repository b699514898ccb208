import { type Kysely, sql } from 'kysely';

/**
 * A self-assessment counts on the adoption dashboard only once the organisation signs it off: one of its admins, or
 * the person they named as the assessment's owner. `owner_user_id` is that named owner; `signed_off_by` and
 * `signed_off_at` record the sign-off (the decision that counts is written at the same moment).
 *
 * Assessments finished before sign-off existed already have their decisions recorded and counted, so they are marked
 * signed off on the date of their outcome, by nobody: the pages then say what the figures already do.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table standard_assessments
      add column owner_user_id integer references users (id),
      add column signed_off_by integer references users (id),
      add column signed_off_at timestamptz
  `.execute(db);
  await sql`
    update standard_assessments
      set signed_off_at = coalesce(outcome_on::timestamptz, created_at)
      where stage <> 'self-assessment'
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table standard_assessments drop column signed_off_at, drop column signed_off_by, drop column owner_user_id
  `.execute(db);
}
