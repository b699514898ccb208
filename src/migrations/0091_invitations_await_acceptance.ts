import { type Kysely, sql } from 'kysely';

/**
 * An invitation to someone who already has an account waits for them to accept or decline it on their account page,
 * instead of moving them at once; `declined_at` records a refusal.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table invitations add column declined_at timestamptz`.execute(db);
}
