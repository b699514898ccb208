import { type Kysely, sql } from 'kysely';

/** People, their organisations' email domains, sign-in links, sessions, API tokens, invitations, mail outbox and the audit trail. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table organisation_email_domains (
      id integer generated always as identity primary key,
      organisation_id integer not null references organisations (id),
      domain text not null unique check (domain = lower(domain) and domain like '%.%'),
      verified_at timestamptz not null default now()
    )
  `.execute(db);

  await sql`
    create table users (
      id integer generated always as identity primary key,
      email text not null unique check (email = lower(email)),
      name text,
      organisation_id integer references organisations (id),
      role text not null default 'member' check (role in ('member', 'organisation-admin', 'assessor', 'supplier', 'platform-admin')),
      status text not null default 'active' check (status in ('active', 'pending', 'disabled')),
      created_at timestamptz not null default now(),
      last_signed_in_at timestamptz
    )
  `.execute(db);
  await sql`create index users_organisation_idx on users (organisation_id)`.execute(db);

  await sql`
    create table join_requests (
      id integer generated always as identity primary key,
      user_id integer not null references users (id),
      organisation_id integer not null references organisations (id),
      message text,
      status text not null default 'pending' check (status in ('pending', 'approved', 'refused', 'withdrawn')),
      created_at timestamptz not null default now(),
      decided_by integer references users (id),
      decided_at timestamptz
    )
  `.execute(db);
  await sql`create unique index join_requests_one_pending_idx on join_requests (user_id) where status = 'pending'`.execute(db);

  await sql`
    create table invitations (
      id integer generated always as identity primary key,
      organisation_id integer not null references organisations (id),
      email text not null check (email = lower(email)),
      role text not null check (role in ('member', 'organisation-admin')),
      invited_by integer not null references users (id),
      created_at timestamptz not null default now(),
      accepted_at timestamptz
    )
  `.execute(db);

  await sql`
    create table sign_in_links (
      id integer generated always as identity primary key,
      token_hash text not null unique,
      email text not null,
      requested_ip text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    )
  `.execute(db);
  await sql`create index sign_in_links_email_created_idx on sign_in_links (email, created_at)`.execute(db);
  await sql`create index sign_in_links_ip_created_idx on sign_in_links (requested_ip, created_at)`.execute(db);

  await sql`
    create table sessions (
      id integer generated always as identity primary key,
      token_hash text not null unique,
      user_id integer not null references users (id),
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null,
      user_agent text,
      ip text,
      ended_at timestamptz
    )
  `.execute(db);
  await sql`create index sessions_user_idx on sessions (user_id)`.execute(db);

  await sql`
    create table api_tokens (
      id integer generated always as identity primary key,
      user_id integer not null references users (id),
      name text not null,
      token_hash text not null unique,
      scopes text[] not null check (scopes <@ array['read', 'write']::text[] and cardinality(scopes) > 0),
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    )
  `.execute(db);

  await sql`
    create table mail_outbox (
      id integer generated always as identity primary key,
      recipient text not null,
      subject text not null,
      body text not null,
      created_at timestamptz not null default now()
    )
  `.execute(db);

  await sql`
    create table audit_events (
      id bigint generated always as identity primary key,
      occurred_at timestamptz not null default now(),
      actor_user_id integer,
      actor_organisation_id integer,
      channel text not null check (channel in ('web', 'api', 'system')),
      action text not null,
      subject_type text not null,
      subject_id text not null,
      organisation_id integer,
      before jsonb,
      after jsonb
    )
  `.execute(db);
  await sql`create index audit_events_organisation_idx on audit_events (organisation_id, id desc)`.execute(db);
  // Append-only: the database itself refuses to change or remove an event.
  await sql`
    create function audit_events_are_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit events are append-only: % refused', tg_op;
    end
    $$
  `.execute(db);
  await sql`
    create trigger audit_events_append_only before update or delete on audit_events
    for each row execute function audit_events_are_append_only()
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'audit_events',
    'mail_outbox',
    'api_tokens',
    'sessions',
    'sign_in_links',
    'invitations',
    'join_requests',
    'users',
    'organisation_email_domains',
  ]) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
  await sql`drop function audit_events_are_append_only`.execute(db);
}
