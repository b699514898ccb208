import { type Kysely, sql } from 'kysely';

/**
 * Data sharing: the register of data standards (Table Schemas and Data Packages, versioned, with example files),
 * validation reports (kept under an unguessable id so they can be shared), published files registered for
 * re-validation, the register of data-sharing agreements (parties, lawful basis, DPIA, versions) and the
 * exemplars. Organisations gain the kind "public-body" for NHS bodies, police and others that share data.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table organisations drop constraint organisations_kind_check`.execute(db);
  await sql`
    alter table organisations add constraint organisations_kind_check
    check (kind in ('principal', 'combined-authority', 'strategic-authority', 'institute', 'regional-centre', 'supplier', 'public-body'))
  `.execute(db);

  await sql`
    create table data_standards (
      id integer generated always as identity primary key,
      slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      name text not null,
      summary text not null,
      owner_name text not null,
      status text not null check (status in ('draft', 'recommended', 'required')),
      licence text not null,
      guidance text not null default '',
      source_url text not null default '',
      kind text not null check (kind in ('table-schema', 'data-package')),
      component_slug text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`
    create table data_standard_versions (
      id integer generated always as identity primary key,
      standard_id integer not null references data_standards (id),
      version text not null,
      descriptor jsonb not null,
      notes text not null default '',
      created_at timestamptz not null default now(),
      unique (standard_id, version)
    )
  `.execute(db);
  await sql`
    create table data_standard_examples (
      id integer generated always as identity primary key,
      standard_id integer not null references data_standards (id),
      file_name text not null,
      description text not null default '',
      content text not null,
      unique (standard_id, file_name)
    )
  `.execute(db);

  await sql`
    create table data_watched_files (
      id integer generated always as identity primary key,
      url text not null,
      standard_id integer not null references data_standards (id),
      organisation_id integer not null references organisations (id),
      created_by_user_id integer,
      last_checked_at timestamptz,
      created_at timestamptz not null default now(),
      unique (url, standard_id)
    )
  `.execute(db);

  await sql`
    create table data_validation_reports (
      id text primary key,
      file_name text not null,
      standard_id integer references data_standards (id),
      standard_version text,
      schema_descriptor jsonb,
      valid boolean not null,
      stats jsonb not null,
      counts jsonb not null,
      errors jsonb not null,
      schema_fields jsonb not null,
      inferred boolean not null,
      encoding text not null,
      delimiter text not null,
      quality_score integer not null check (quality_score between 0 and 100),
      organisation_id integer references organisations (id),
      created_by_user_id integer,
      previous_report_id text references data_validation_reports (id),
      watched_file_id integer references data_watched_files (id),
      file_content bytea,
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index data_validation_reports_standard_idx on data_validation_reports (standard_id, organisation_id, created_at)`.execute(
    db,
  );
  await sql`create index data_validation_reports_watched_idx on data_validation_reports (watched_file_id, created_at)`.execute(db);

  await sql`
    create table data_sharing_agreements (
      id integer generated always as identity primary key,
      slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      title text not null,
      purpose text not null,
      status text not null default 'draft' check (status in ('draft', 'agreed', 'active', 'under-review', 'ended')),
      lead_organisation_id integer not null references organisations (id),
      lawful_basis text not null,
      special_category boolean not null default false,
      article9_condition text,
      schedule1_condition text,
      data_subjects text not null,
      data_items text not null,
      standard_slugs jsonb not null default '[]',
      dpia_status text not null check (dpia_status in ('not-started', 'in-progress', 'done', 'not-needed')),
      dpia_outcome text not null default '',
      dpia_triggers jsonb not null default '[]',
      retention text not null,
      security text not null,
      review_date date not null,
      signed_off_by_name text not null default '',
      signed_off_role text not null default '',
      signed_off_on date,
      contact_name text not null default '',
      contact_email text not null default '',
      version integer not null default 1,
      review_reminded_on date,
      created_by_user_id integer,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (not special_category or article9_condition is not null)
    )
  `.execute(db);
  await sql`
    create table data_sharing_agreement_parties (
      agreement_id integer not null references data_sharing_agreements (id) on delete cascade,
      organisation_id integer not null references organisations (id),
      role text not null check (role in ('controller', 'joint-controller', 'processor')),
      primary key (agreement_id, organisation_id)
    )
  `.execute(db);
  await sql`create index data_sharing_agreement_parties_organisation_idx on data_sharing_agreement_parties (organisation_id)`.execute(db);
  await sql`
    create table data_sharing_agreement_versions (
      id integer generated always as identity primary key,
      agreement_id integer not null references data_sharing_agreements (id) on delete cascade,
      version integer not null,
      status text not null,
      changes jsonb not null,
      note text not null default '',
      changed_by_user_id integer,
      created_at timestamptz not null default now(),
      unique (agreement_id, version)
    )
  `.execute(db);

  await sql`
    create table data_sharing_exemplars (
      id integer generated always as identity primary key,
      slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      title text not null,
      problem text not null,
      status text not null check (status in ('proposed', 'in-progress', 'live', 'replicated')),
      outcomes text not null default '',
      agreement_slugs jsonb not null default '[]',
      standard_slugs jsonb not null default '[]',
      participant_ids jsonb not null default '[]',
      replicated_by_ids jsonb not null default '[]',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'data_sharing_exemplars',
    'data_sharing_agreement_versions',
    'data_sharing_agreement_parties',
    'data_sharing_agreements',
    'data_validation_reports',
    'data_watched_files',
    'data_standard_examples',
    'data_standard_versions',
    'data_standards',
  ])
    await sql`drop table ${sql.table(table)}`.execute(db);
  await sql`alter table organisations drop constraint organisations_kind_check`.execute(db);
  await sql`
    alter table organisations add constraint organisations_kind_check
    check (kind in ('principal', 'combined-authority', 'strategic-authority', 'institute', 'regional-centre', 'supplier'))
  `.execute(db);
}
