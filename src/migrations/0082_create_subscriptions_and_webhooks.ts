import { type Kysely, sql } from 'kysely';

/**
 * Subscriptions: the topics a person follows and their digest (daily or weekly) with the last change it carried,
 * so a digest holds exactly the changes since the one before. Organisation webhooks with a delivery log.
 * Outbox messages keep their mail headers (List-Unsubscribe and friends).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table knowledge_digests (
      id integer generated always as identity primary key,
      user_id integer not null references users (id),
      frequency text not null check (frequency in ('daily', 'weekly')),
      unsubscribe_token text not null unique,
      last_change_id integer not null default 0,
      last_sent_at timestamptz,
      created_at timestamptz not null default now(),
      unique (user_id, frequency)
    )
  `.execute(db);
  await sql`
    create table knowledge_subscriptions (
      id integer generated always as identity primary key,
      digest_id integer not null references knowledge_digests (id) on delete cascade,
      topic text not null,
      created_at timestamptz not null default now(),
      unique (digest_id, topic)
    )
  `.execute(db);

  await sql`
    create table knowledge_webhooks (
      id integer generated always as identity primary key,
      organisation_id integer not null references organisations (id),
      url text not null,
      secret text not null,
      event_types text[] not null,
      active boolean not null default true,
      consecutive_failures integer not null default 0,
      disabled_at timestamptz,
      created_by integer references users (id),
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`
    create table knowledge_webhook_deliveries (
      id integer generated always as identity primary key,
      webhook_id integer not null references knowledge_webhooks (id),
      delivery_id text not null unique,
      event_type text not null,
      payload text not null,
      status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
      attempts integer not null default 0,
      next_attempt_at timestamptz,
      last_status_code integer,
      last_error text not null default '',
      created_at timestamptz not null default now(),
      delivered_at timestamptz
    )
  `.execute(db);
  await sql`create index knowledge_webhook_deliveries_due_idx on knowledge_webhook_deliveries (status, next_attempt_at)`.execute(db);

  await sql`alter table mail_outbox add column headers text not null default '{}'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table mail_outbox drop column headers`.execute(db);
  for (const table of ['knowledge_webhook_deliveries', 'knowledge_webhooks', 'knowledge_subscriptions', 'knowledge_digests']) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
}
