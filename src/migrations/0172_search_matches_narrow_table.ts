import { type Kysely, sql } from 'kysely';

/**
 * A narrow copy of each search document for finding and counting matches: its facets, who may see it, its date,
 * its lower-cased names and its words without positions or weights (strip()). A common word is found in thousands of
 * documents, and the facet counts need a row of each: read here, those rows sit several times more to a page than
 * in search_documents (whose titles, bodies, addresses and weighted word lists stay there for ranking and snippets
 * of the few shown). Triggers keep the copy current on every insert or update of a document, whoever writes it;
 * a document's removal removes its copy (the foreign key). The text and name indexes move here with the searches.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table search_matches (
      id integer primary key references search_documents (id) on delete cascade,
      type text not null,
      service_area text,
      region text,
      council_type text,
      evidence_level smallint,
      visibility text not null,
      owner_organisation_id integer,
      updated_at timestamptz not null,
      title_lower text not null,
      match_names text not null,
      lexemes tsvector not null
    )
  `.execute(db);
  await sql`
    create function search_matches_copy() returns trigger language plpgsql as $$
    begin
      insert into search_matches (id, type, service_area, region, council_type, evidence_level, visibility,
        owner_organisation_id, updated_at, title_lower, match_names, lexemes)
      select d.id, d.type, d.service_area, d.region, d.council_type, d.evidence_level, d.visibility,
        d.owner_organisation_id, d.updated_at, lower(d.title), d.match_names, strip(d.search_vector)
      from changed_documents d
      on conflict (id) do update set
        type = excluded.type,
        service_area = excluded.service_area,
        region = excluded.region,
        council_type = excluded.council_type,
        evidence_level = excluded.evidence_level,
        visibility = excluded.visibility,
        owner_organisation_id = excluded.owner_organisation_id,
        updated_at = excluded.updated_at,
        title_lower = excluded.title_lower,
        match_names = excluded.match_names,
        lexemes = excluded.lexemes;
      return null;
    end
    $$
  `.execute(db);
  // A trigger with a transition table answers one kind of event: one for inserts, one for updates.
  await sql`
    create trigger search_matches_after_insert after insert on search_documents
    referencing new table as changed_documents for each statement execute function search_matches_copy()
  `.execute(db);
  await sql`
    create trigger search_matches_after_update after update on search_documents
    referencing new table as changed_documents for each statement execute function search_matches_copy()
  `.execute(db);
  await sql`
    insert into search_matches (id, type, service_area, region, council_type, evidence_level, visibility,
      owner_organisation_id, updated_at, title_lower, match_names, lexemes)
    select id, type, service_area, region, council_type, evidence_level, visibility, owner_organisation_id, updated_at,
      lower(title), match_names, strip(search_vector)
    from search_documents
  `.execute(db);
  await sql`create index search_matches_lexemes_idx on search_matches using gin (lexemes)`.execute(db);
  await sql`create index search_matches_names_trgm_idx on search_matches using gin (match_names gin_trgm_ops)`.execute(db);
  await sql`drop index search_documents_vector_idx`.execute(db);
  await sql`drop index search_documents_names_trgm_idx`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create index search_documents_vector_idx on search_documents using gin (search_vector)`.execute(db);
  await sql`create index search_documents_names_trgm_idx on search_documents using gin (match_names gin_trgm_ops)`.execute(db);
  await sql`drop trigger search_matches_after_update on search_documents`.execute(db);
  await sql`drop trigger search_matches_after_insert on search_documents`.execute(db);
  await sql`drop function search_matches_copy()`.execute(db);
  await sql`drop table search_matches`.execute(db);
}
