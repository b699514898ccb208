import { type Kysely, sql } from 'kysely';

/** The challenge pipeline: challenges, their stage history, sharing councils, supplier responses, component links and collaborations. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);

  await sql`
    create table challenges (
      id integer generated always as identity primary key,
      title text not null check (length(title) between 1 and 200),
      problem text not null,
      affects text not null default '',
      service_area text not null,
      workaround text not null default '',
      good_looks_like text not null default '',
      constraints text not null default '',
      budget_band text not null default 'unknown',
      timescale text not null default '',
      contract_end_date date,
      stage text not null default 'identified'
        check (stage in ('identified', 'exploring', 'funded', 'in-delivery', 'solved', 'closed')),
      visibility text not null default 'public' check (visibility in ('public', 'draft')),
      owner_organisation_id integer not null references organisations (id),
      created_by integer references users (id),
      contact_name text not null default '',
      contact_email text not null default '',
      merged_into_id integer references challenges (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      reminded_at timestamptz,
      search_vector tsvector generated always as (
        setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', problem), 'B')
      ) stored
    )
  `.execute(db);
  await sql`create index challenges_search_idx on challenges using gin (search_vector)`.execute(db);
  await sql`create index challenges_title_trgm_idx on challenges using gin (title gin_trgm_ops)`.execute(db);
  await sql`create index challenges_problem_trgm_idx on challenges using gin (problem gin_trgm_ops)`.execute(db);
  await sql`create index challenges_owner_idx on challenges (owner_organisation_id)`.execute(db);
  await sql`create index challenges_updated_idx on challenges (updated_at)`.execute(db);

  await sql`
    create table challenge_stage_history (
      id integer generated always as identity primary key,
      challenge_id integer not null references challenges (id),
      stage text not null,
      note text not null default '',
      changed_by integer references users (id),
      changed_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index challenge_stage_history_challenge_idx on challenge_stage_history (challenge_id, changed_at)`.execute(db);

  await sql`
    create table challenge_sharers (
      id integer generated always as identity primary key,
      challenge_id integer not null references challenges (id),
      organisation_id integer not null references organisations (id),
      scale integer check (scale is null or scale >= 0),
      scale_unit text not null default 'residents',
      budget_band text not null default 'unknown',
      timing text not null default '',
      comment text not null default '',
      joined_by integer references users (id),
      joined_at timestamptz not null default now(),
      left_at timestamptz
    )
  `.execute(db);
  // A council shares a challenge once: at most one current row per organisation.
  await sql`create unique index challenge_sharers_once_idx on challenge_sharers (challenge_id, organisation_id) where left_at is null`.execute(
    db,
  );
  await sql`create index challenge_sharers_organisation_idx on challenge_sharers (organisation_id)`.execute(db);

  await sql`
    create table challenge_responses (
      id integer generated always as identity primary key,
      challenge_id integer not null references challenges (id),
      supplier_organisation_id integer not null references organisations (id),
      author_id integer references users (id),
      offer text not null,
      evidence text not null default '',
      price_model text not null default '',
      status text not null default 'pending' check (status in ('pending', 'published', 'rejected')),
      moderated_by integer references users (id),
      moderated_at timestamptz,
      moderation_note text not null default '',
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index challenge_responses_challenge_idx on challenge_responses (challenge_id, status)`.execute(db);

  await sql`
    create table challenge_components (
      id integer generated always as identity primary key,
      challenge_id integer not null references challenges (id),
      component_slug text not null,
      relation text not null check (relation in ('might-solve', 'solved-by')),
      note text not null default '',
      added_by integer references users (id),
      created_at timestamptz not null default now(),
      unique (challenge_id, component_slug)
    )
  `.execute(db);
  await sql`create index challenge_components_slug_idx on challenge_components (component_slug)`.execute(db);

  await sql`
    create table challenge_collaborations (
      id integer generated always as identity primary key,
      challenge_id integer not null unique references challenges (id),
      lead_organisation_id integer not null references organisations (id),
      partner_organisation_ids integer[] not null,
      approach text not null check (approach in ('build-together', 'buy-together', 'reuse-component')),
      component_slug text,
      summary text not null default '',
      created_by integer references users (id),
      created_at timestamptz not null default now()
    )
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'challenge_collaborations',
    'challenge_components',
    'challenge_responses',
    'challenge_sharers',
    'challenge_stage_history',
    'challenges',
  ]) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
}
