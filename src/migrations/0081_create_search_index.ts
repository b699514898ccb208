import { type Kysely, sql } from 'kysely';

/**
 * One search over everything: each module's records as documents (title and other names weighted A, text B),
 * with the facets people filter by, who may see each, and the topics people follow. Changes to public documents
 * are logged (search_changes) for digests, feeds and webhooks.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`
    create table search_documents (
      id integer generated always as identity primary key,
      type text not null,
      key text not null,
      title text not null,
      names text not null default '',
      body text not null default '',
      url text not null,
      service_area text,
      region text,
      council_type text,
      evidence_level smallint,
      visibility text not null default 'public' check (visibility in ('public', 'organisation')),
      owner_organisation_id integer,
      topics text[] not null default '{}',
      content_hash text not null,
      updated_at timestamptz not null,
      indexed_at timestamptz not null default now(),
      match_names text generated always as (lower(title || ' ' || names)) stored,
      search_vector tsvector generated always as (
        setweight(to_tsvector('english', title || ' ' || names), 'A') || setweight(to_tsvector('english', left(body, 20000)), 'B')
      ) stored,
      unique (type, key)
    )
  `.execute(db);
  await sql`create index search_documents_vector_idx on search_documents using gin (search_vector)`.execute(db);
  await sql`create index search_documents_names_trgm_idx on search_documents using gin (match_names gin_trgm_ops)`.execute(db);
  await sql`create index search_documents_type_updated_idx on search_documents (type, updated_at)`.execute(db);

  await sql`
    create table search_changes (
      id integer generated always as identity primary key,
      document_type text not null,
      document_key text not null,
      change text not null check (change in ('added', 'updated')),
      title text not null,
      url text not null,
      summary text not null default '',
      topics text[] not null default '{}',
      occurred_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index search_changes_topics_idx on search_changes using gin (topics)`.execute(db);
  await sql`create index search_changes_document_idx on search_changes (document_type, document_key)`.execute(db);

  await sql`
    create table search_index_state (
      type text primary key,
      built_at timestamptz not null
    )
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['search_index_state', 'search_changes', 'search_documents']) await sql`drop table ${sql.table(table)}`.execute(db);
}
