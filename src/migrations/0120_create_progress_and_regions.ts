import { type Kysely, sql } from 'kysely';

/**
 * Regional centres and the 2030 dashboard.
 * - `regional_centre_members` (organisations module): which centre a council belongs to; a council belongs to at most
 *   one centre (the council is the primary key).
 * - `regional_centre_profiles` (progress module): what a centre covers (its English regions), when it opened, and
 *   whether it is demo content.
 * - `progress_snapshots` (progress module): each target's figure at a quarter's end, never changed once taken, with
 *   its breakdowns; `progress_corrections` records a later, different measurement of the same quarter.
 * - `progress_declared_figures` (progress module): figures nobody can compute from records (chief executives from
 *   digital backgrounds), entered by platform admins as aggregate counts, newest first.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table regional_centre_members (
      council_id integer primary key references organisations (id) on delete cascade,
      centre_id integer not null references organisations (id) on delete cascade,
      joined_on date not null default current_date
    )
  `.execute(db);
  await sql`create index regional_centre_members_centre_idx on regional_centre_members (centre_id)`.execute(db);

  await sql`
    create table regional_centre_profiles (
      organisation_id integer primary key references organisations (id) on delete cascade,
      regions text[] not null default '{}',
      opened_on date,
      demo boolean not null default false,
      summary text not null default ''
    )
  `.execute(db);

  await sql`
    create table progress_snapshots (
      target_id text not null,
      quarter_end date not null,
      value double precision,
      numerator double precision,
      denominator double precision,
      breakdowns jsonb not null default '{}',
      taken_at timestamptz not null default now(),
      primary key (target_id, quarter_end)
    )
  `.execute(db);

  await sql`
    create table progress_corrections (
      id integer generated always as identity primary key,
      target_id text not null,
      quarter_end date not null,
      snapshot_value double precision,
      corrected_value double precision,
      noted_at timestamptz not null default now(),
      unique (target_id, quarter_end, corrected_value)
    )
  `.execute(db);

  await sql`
    create table progress_declared_figures (
      id integer generated always as identity primary key,
      figure text not null check (figure in ('chief-executives-digital')),
      value integer not null check (value >= 0),
      as_of date not null,
      source text not null default '',
      entered_by integer,
      entered_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index progress_declared_figures_idx on progress_declared_figures (figure, as_of desc, id desc)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table progress_declared_figures`.execute(db);
  await sql`drop table progress_corrections`.execute(db);
  await sql`drop table progress_snapshots`.execute(db);
  await sql`drop table regional_centre_profiles`.execute(db);
  await sql`drop table regional_centre_members`.execute(db);
}
