import { type Kysely, sql } from 'kysely';

/**
 * What-works case studies: what a council did, for which problem, with what, at what cost and with which measured
 * outcomes; the evidence level on the Nesta 1–5 scale claimed by the author and confirmed by a reviewer; links to
 * the records they concern; and replications ("we did this too") by other councils with their own outcomes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table case_studies (
      id integer generated always as identity primary key,
      slug text not null unique,
      title text not null check (length(title) between 1 and 200),
      summary text not null default '',
      problem text not null default '',
      what_we_did text not null default '',
      organisation_id integer not null references organisations (id),
      service_area text not null,
      council_type text,
      region text,
      population integer,
      cost_one_off_band text not null default 'not-disclosed',
      cost_yearly_band text not null default 'not-disclosed',
      cost_one_off_pounds integer check (cost_one_off_pounds is null or cost_one_off_pounds >= 0),
      cost_yearly_pounds integer check (cost_yearly_pounds is null or cost_yearly_pounds >= 0),
      lessons text not null default '',
      do_differently text not null default '',
      claimed_level smallint not null check (claimed_level between 1 and 5),
      claim_justification text not null default '',
      confirmed_level smallint check (confirmed_level between 1 and 5),
      status text not null default 'draft' check (status in ('draft', 'submitted', 'returned', 'published')),
      reviewer_id integer references users (id),
      reviewer_organisation_id integer references organisations (id),
      review_note text not null default '',
      reviewed_at timestamptz,
      contact_name text not null default '',
      contact_email text not null default '',
      contact_consent boolean not null default false,
      sources text not null default '',
      created_by integer references users (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      published_at timestamptz
    )
  `.execute(db);
  await sql`create index case_studies_status_idx on case_studies (status, updated_at)`.execute(db);
  await sql`create index case_studies_organisation_idx on case_studies (organisation_id)`.execute(db);

  await sql`
    create table case_study_replications (
      id integer generated always as identity primary key,
      case_study_id integer not null references case_studies (id),
      organisation_id integer not null references organisations (id),
      summary text not null,
      differences text not null default '',
      independently_evaluated boolean not null default false,
      evaluation_url text not null default '',
      created_by integer references users (id),
      created_at timestamptz not null default now(),
      unique (case_study_id, organisation_id)
    )
  `.execute(db);

  await sql`
    create table case_study_outcomes (
      id integer generated always as identity primary key,
      case_study_id integer not null references case_studies (id),
      replication_id integer references case_study_replications (id),
      position smallint not null,
      metric text not null,
      baseline text not null default '',
      result text not null,
      period text not null default '',
      method text not null
    )
  `.execute(db);
  await sql`create index case_study_outcomes_case_idx on case_study_outcomes (case_study_id, replication_id, position)`.execute(db);

  await sql`
    create table case_study_links (
      id integer generated always as identity primary key,
      case_study_id integer not null references case_studies (id),
      kind text not null check (kind in ('component', 'standard', 'challenge', 'supplier', 'agreement')),
      reference text not null,
      point_number integer,
      label text not null default '',
      unique (case_study_id, kind, reference, point_number)
    )
  `.execute(db);
  await sql`create index case_study_links_reference_idx on case_study_links (kind, reference)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['case_study_links', 'case_study_outcomes', 'case_study_replications', 'case_studies']) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
}
