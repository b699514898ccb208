import { type Kysely, sql } from 'kysely';

/** The catalogue of common components, councils' adoption declarations and the history of every declaration. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`
    create table components (
      id integer generated always as identity primary key,
      slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      name text not null check (length(name) between 1 and 200),
      kind text not null check (kind in ('software', 'api', 'data-standard', 'service-pattern', 'template', 'contract-clause')),
      summary text not null,
      description text not null default '',
      problem text,
      service_areas text[] not null default '{}',
      licence text,
      code_repository_url text,
      documentation_url text,
      api_documentation_url text,
      landing_url text,
      development_status text check (development_status in ('concept', 'development', 'beta', 'stable', 'obsolete')),
      software_type text,
      hosting_options text[] not null default '{}',
      cost_model text check (cost_model in ('free', 'free-with-paid-support', 'subscription', 'pay-per-use', 'licence-fee', 'unknown')),
      supported_standards text[] not null default '{}',
      related_slugs text[] not null default '{}',
      maintenance_type text,
      maintainers jsonb not null default '[]',
      funding text,
      release_date date,
      software_version text,
      logo_url text,
      features text[] not null default '{}',
      platforms text[] not null default '{}',
      used_by text[] not null default '{}',
      localisation jsonb,
      attachments jsonb not null default '[]',
      description_language text,
      publiccode_version text,
      publiccode_raw jsonb,
      source text not null default 'form' check (source in ('form', 'publiccode', 'api')),
      publisher_organisation_id integer references organisations (id),
      created_by_user_id integer,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      search_document tsvector generated always as (
        setweight(to_tsvector('english', name), 'A') ||
        setweight(to_tsvector('english', summary), 'B') ||
        setweight(to_tsvector('english', coalesce(problem, '')), 'C') ||
        setweight(to_tsvector('english', description), 'D')
      ) stored
    )
  `.execute(db);
  await sql`create index components_search_document_idx on components using gin (search_document)`.execute(db);
  await sql`create index components_name_trgm_idx on components using gin (lower(name) gin_trgm_ops)`.execute(db);
  await sql`create index components_publisher_idx on components (publisher_organisation_id)`.execute(db);

  // The current declaration of each organisation for each component; its history is in adoption_events.
  await sql`
    create table adoptions (
      id integer generated always as identity primary key,
      component_id integer not null references components (id),
      organisation_id integer not null references organisations (id),
      status text not null check (status in ('exploring', 'piloting', 'using', 'retired')),
      since date not null,
      evidence_kind text not null check (evidence_kind in ('service-url', 'contract-reference', 'note')),
      evidence text not null,
      contact_name text not null,
      contact_email text not null,
      contact_agrees boolean not null,
      confirmed_at timestamptz not null,
      reminded_at timestamptz,
      declared_by_user_id integer,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (component_id, organisation_id)
    )
  `.execute(db);
  await sql`create index adoptions_organisation_idx on adoptions (organisation_id)`.execute(db);
  await sql`create index adoptions_confirmed_idx on adoptions (confirmed_at)`.execute(db);

  await sql`
    create table adoption_events (
      id integer generated always as identity primary key,
      adoption_id integer not null references adoptions (id),
      component_id integer not null references components (id),
      organisation_id integer not null references organisations (id),
      event text not null check (event in ('declared', 'changed', 'confirmed')),
      status text not null,
      since date not null,
      evidence_kind text not null,
      evidence text not null,
      recorded_by_user_id integer,
      recorded_at timestamptz not null
    )
  `.execute(db);
  await sql`create index adoption_events_component_idx on adoption_events (component_id, id desc)`.execute(db);
  await sql`create index adoption_events_organisation_idx on adoption_events (organisation_id, event, recorded_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table adoption_events`.execute(db);
  await sql`drop table adoptions`.execute(db);
  await sql`drop table components`.execute(db);
}
