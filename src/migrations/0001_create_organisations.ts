import { type Kysely, sql } from 'kysely';

/** The register of organisations: every UK council past and present, plus room for the institute, regional centres and suppliers. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`
    create table organisations (
      id integer generated always as identity primary key,
      kind text not null check (kind in ('principal', 'combined-authority', 'strategic-authority', 'institute', 'regional-centre', 'supplier')),
      slug text not null unique,
      registry_code text unique,
      gss_code text unique,
      name text not null,
      official_name text not null,
      alternative_names text[] not null default '{}',
      council_type text,
      council_type_name text,
      nation text,
      region text,
      county_code text,
      combined_authority_code text,
      start_date date,
      end_date date,
      successor_codes text[] not null default '{}',
      former_gss_codes text[] not null default '{}',
      population integer,
      website_url text,
      search_names text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (end_date is null or start_date is null or end_date >= start_date)
    )
  `.execute(db);
  await sql`create index organisations_kind_nation_idx on organisations (kind, nation)`.execute(db);
  await sql`create index organisations_search_names_trgm_idx on organisations using gin (search_names gin_trgm_ops)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table organisations`.execute(db);
}
