import { type Kysely, sql } from 'kysely';

/**
 * Feedback about the service itself ("Tell us what you think"), kept for the institute that runs it. Anyone may
 * send it, signed in or not; only platform admins read it. A reply address is optional.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table service_feedback (
      id integer generated always as identity primary key,
      body text not null check (length(body) between 1 and 5000),
      doing text not null default '' check (length(doing) <= 1000),
      reply_email text check (reply_email is null or length(reply_email) <= 320),
      user_id integer references users (id),
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index service_feedback_created_idx on service_feedback (created_at desc, id desc)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table service_feedback`.execute(db);
}
