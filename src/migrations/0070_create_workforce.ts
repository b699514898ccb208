import { type Kysely, sql } from 'kysely';

/**
 * Workforce: each organisation's workforce leads, diversity returns (aggregate counts only, every version kept so
 * corrections are recorded), the year's publications of controlled tables (kept, so later tables are checked
 * against differencing), opportunities, and mentoring rounds, sign-ups, pairings, check-ins and feedback.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table workforce_leads (
      organisation_id integer not null references organisations (id),
      user_id integer not null references users (id),
      designated_by integer references users (id),
      designated_at timestamptz not null default now(),
      primary key (organisation_id, user_id)
    )
  `.execute(db);

  await sql`
    create table workforce_returns (
      id integer generated always as identity primary key,
      organisation_id integer not null references organisations (id),
      year integer not null check (year between 2000 and 2100),
      current_version integer not null default 1,
      synthetic boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (organisation_id, year)
    )
  `.execute(db);
  await sql`
    create table workforce_return_versions (
      id integer generated always as identity primary key,
      return_id integer not null references workforce_returns (id),
      version integer not null check (version > 0),
      counts jsonb not null,
      source text not null check (source in ('form', 'csv', 'api', 'synthetic')),
      correction_reason text not null default '',
      submitted_by integer references users (id),
      submitted_at timestamptz not null default now(),
      unique (return_id, version)
    )
  `.execute(db);

  await sql`
    create table workforce_publications (
      id integer generated always as identity primary key,
      year integer not null,
      contributions jsonb not null,
      figures jsonb not null,
      notes jsonb not null,
      published_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index workforce_publications_year_idx on workforce_publications (year, id)`.execute(db);

  await sql`
    create table workforce_opportunities (
      id integer generated always as identity primary key,
      organisation_id integer not null references organisations (id),
      organisation_name text not null,
      kind text not null check (kind in ('apprenticeship', 'secondment')),
      role text not null check (length(role) between 1 and 200),
      summary text not null default '',
      place text not null default '',
      remote text not null check (remote in ('on-site', 'hybrid', 'remote')),
      length_months integer not null check (length_months between 1 and 60),
      closing_date date not null,
      how_to_apply text not null,
      created_by integer references users (id),
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index workforce_opportunities_closing_idx on workforce_opportunities (closing_date)`.execute(db);

  await sql`
    create table mentoring_rounds (
      id integer generated always as identity primary key,
      name text not null,
      status text not null default 'open' check (status in ('open', 'matched')),
      created_at timestamptz not null default now(),
      matched_at timestamptz
    )
  `.execute(db);
  await sql`
    create table mentoring_participants (
      id integer generated always as identity primary key,
      round_id integer not null references mentoring_rounds (id),
      user_id integer references users (id),
      name text not null,
      email text not null,
      organisation_name text not null default '',
      side text not null check (side in ('mentor', 'mentee')),
      leads_in text not null check (leads_in in ('digital', 'service')),
      goals text not null default '',
      preferences text not null default '',
      capacity integer not null default 0 check (capacity between 0 and 5),
      choices integer[] not null default '{}',
      bans integer[] not null default '{}',
      waitlisted_from integer references mentoring_rounds (id),
      created_at timestamptz not null default now(),
      unique (round_id, email)
    )
  `.execute(db);
  await sql`
    create table mentoring_pairings (
      id integer generated always as identity primary key,
      round_id integer not null references mentoring_rounds (id),
      mentor_id integer not null references mentoring_participants (id),
      mentee_id integer not null references mentoring_participants (id),
      explanation text not null,
      status text not null default 'active' check (status in ('active', 'ended', 'reported')),
      started_at timestamptz not null default now(),
      ended_at timestamptz,
      end_reason text not null default '',
      first_check_in_sent_at timestamptz,
      third_check_in_sent_at timestamptz,
      unique (mentee_id)
    )
  `.execute(db);
  await sql`
    create table mentoring_check_ins (
      id integer generated always as identity primary key,
      pairing_id integer not null references mentoring_pairings (id),
      participant_id integer not null references mentoring_participants (id),
      kind text not null check (kind in ('check-in', 'feedback', 'report')),
      rating integer check (rating between 1 and 5),
      note text not null default '',
      created_at timestamptz not null default now()
    )
  `.execute(db);
}
