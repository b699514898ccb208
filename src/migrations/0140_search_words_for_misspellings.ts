import { type Kysely, sql } from 'kysely';

/**
 * The words of every indexed name, for typo tolerance: a misspelt word is matched against these few thousand words
 * (by trigram likeness) and searched as the words it looks like, instead of comparing it with every document's
 * names. Triggers keep the list current on every insert or update of a document, whoever writes it. Words of
 * documents since removed stay: a word that matches nothing finds nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table search_words (word text primary key)`.execute(db);
  await sql`create index search_words_trgm_idx on search_words using gin (word gin_trgm_ops)`.execute(db);
  await sql`
    create function search_words_collect() returns trigger language plpgsql as $$
    begin
      insert into search_words (word)
      select distinct w from changed_documents d, regexp_split_to_table(d.match_names, '[^[:alnum:]]+') w
      where length(w) between 3 and 40
      on conflict do nothing;
      return null;
    end
    $$
  `.execute(db);
  // A trigger with a transition table answers one kind of event: one for inserts, one for updates.
  await sql`
    create trigger search_words_after_insert after insert on search_documents
    referencing new table as changed_documents for each statement execute function search_words_collect()
  `.execute(db);
  await sql`
    create trigger search_words_after_update after update on search_documents
    referencing new table as changed_documents for each statement execute function search_words_collect()
  `.execute(db);
  await sql`
    insert into search_words (word)
    select distinct w from search_documents d, regexp_split_to_table(d.match_names, '[^[:alnum:]]+') w
    where length(w) between 3 and 40
    on conflict do nothing
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger search_words_after_update on search_documents`.execute(db);
  await sql`drop trigger search_words_after_insert on search_documents`.execute(db);
  await sql`drop function search_words_collect()`.execute(db);
  await sql`drop table search_words`.execute(db);
}
