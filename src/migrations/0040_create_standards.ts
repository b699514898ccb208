import { type Kysely, sql } from 'kysely';

/**
 * Standards: standards with numbered points in versions, comments made during consultation, assessments (self,
 * peer and audit ratings per point, evidence, actions), the decisions that measuring counts, and the components
 * that say which points they help meet.
 *
 * A published version is immutable: triggers refuse any change to its row and any insert, update or delete of
 * its points, so even a bug in the service cannot rewrite what councils were assessed against.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table standards (
      id integer generated always as identity primary key,
      slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      title text not null,
      purpose text not null,
      owner_organisation_id integer not null references organisations (id),
      status text not null default 'draft' check (status in ('draft', 'consultation', 'published', 'retired')),
      created_at timestamptz not null default now()
    )
  `.execute(db);

  await sql`
    create table standard_versions (
      id integer generated always as identity primary key,
      standard_id integer not null references standards (id),
      version_number integer not null check (version_number > 0),
      status text not null default 'draft' check (status in ('draft', 'consultation', 'published')),
      changes_summary text not null default '',
      published_on date,
      created_at timestamptz not null default now(),
      unique (standard_id, version_number),
      check ((status = 'published') = (published_on is not null))
    )
  `.execute(db);

  await sql`
    create table standard_points (
      id integer generated always as identity primary key,
      version_id integer not null references standard_versions (id),
      point_number integer not null check (point_number > 0),
      title text not null,
      meaning text not null,
      why_it_matters text not null,
      how_to_meet text not null,
      evidence_guidance text not null,
      unique (version_id, point_number)
    )
  `.execute(db);

  await sql`
    create function standard_versions_published_are_immutable() returns trigger language plpgsql as $$
    begin
      if old.status = 'published' then
        raise exception 'standard version % is published and cannot be changed: % refused', old.id, tg_op;
      end if;
      return case when tg_op = 'DELETE' then old else new end;
    end
    $$
  `.execute(db);
  await sql`
    create trigger standard_versions_immutable before update or delete on standard_versions
    for each row execute function standard_versions_published_are_immutable()
  `.execute(db);
  await sql`
    create function standard_points_of_published_versions_are_immutable() returns trigger language plpgsql as $$
    declare
      version_status text;
    begin
      select status into version_status from standard_versions
        where id = case when tg_op = 'INSERT' then new.version_id else old.version_id end;
      if version_status = 'published' then
        raise exception 'points of a published standard version cannot be changed: % refused', tg_op;
      end if;
      if tg_op = 'UPDATE' and new.version_id <> old.version_id then
        select status into version_status from standard_versions where id = new.version_id;
        if version_status = 'published' then
          raise exception 'points of a published standard version cannot be changed: % refused', tg_op;
        end if;
      end if;
      return case when tg_op = 'DELETE' then old else new end;
    end
    $$
  `.execute(db);
  await sql`
    create trigger standard_points_immutable before insert or update or delete on standard_points
    for each row execute function standard_points_of_published_versions_are_immutable()
  `.execute(db);

  await sql`
    create table standard_point_comments (
      id integer generated always as identity primary key,
      point_id integer not null references standard_points (id),
      author_user_id integer not null references users (id),
      author_organisation_id integer references organisations (id),
      body text not null,
      created_at timestamptz not null default now(),
      answer text,
      answered_by integer references users (id),
      answered_at timestamptz
    )
  `.execute(db);
  await sql`create index standard_point_comments_point_idx on standard_point_comments (point_id, id)`.execute(db);

  await sql`
    create table standard_assessments (
      id integer generated always as identity primary key,
      standard_id integer not null references standards (id),
      version_id integer not null references standard_versions (id),
      organisation_id integer not null references organisations (id),
      service_name text,
      stage text not null default 'self-assessment'
        check (stage in ('self-assessment', 'self-assessed', 'peer-review', 'peer-reviewed', 'audited')),
      outcome text check (outcome in ('met', 'not-met')),
      basis text check (basis in ('self', 'peer', 'audited')),
      outcome_on date,
      peer_organisation_id integer references organisations (id),
      peer_requested_on date,
      started_by integer references users (id),
      created_at timestamptz not null default now(),
      check (peer_organisation_id is null or peer_organisation_id <> organisation_id)
    )
  `.execute(db);
  await sql`create index standard_assessments_organisation_idx on standard_assessments (organisation_id, standard_id)`.execute(db);
  await sql`create index standard_assessments_peer_idx on standard_assessments (peer_organisation_id) where peer_organisation_id is not null`.execute(
    db,
  );

  await sql`
    create table standard_assessment_ratings (
      id integer generated always as identity primary key,
      assessment_id integer not null references standard_assessments (id),
      point_id integer not null references standard_points (id),
      reviewer text not null check (reviewer in ('self', 'peer', 'audit')),
      rating text check (rating in ('met', 'partly-met', 'not-met', 'not-applicable')),
      commentary text not null default '',
      evidence_links text[] not null default '{}',
      component_slugs text[] not null default '{}',
      rated_by integer references users (id),
      updated_at timestamptz not null default now(),
      unique (assessment_id, point_id, reviewer)
    )
  `.execute(db);

  await sql`
    create table standard_assessment_actions (
      id integer generated always as identity primary key,
      assessment_id integer not null references standard_assessments (id),
      organisation_id integer not null references organisations (id),
      point_id integer references standard_points (id),
      description text not null,
      owner_name text not null,
      owner_email text,
      due_on date not null,
      done_on date,
      last_reminded_on date,
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index standard_assessment_actions_due_idx on standard_assessment_actions (due_on) where done_on is null`.execute(db);

  // Every outcome an assessment reaches (self-assessed, peer-reviewed, audited), kept so measuring can be redone for any date.
  await sql`
    create table standard_assessment_decisions (
      id integer generated always as identity primary key,
      assessment_id integer not null references standard_assessments (id),
      standard_id integer not null references standards (id),
      organisation_id integer not null references organisations (id),
      outcome text not null check (outcome in ('met', 'not-met')),
      basis text not null check (basis in ('self', 'peer', 'audited')),
      decided_on date not null,
      decided_by integer references users (id),
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index standard_assessment_decisions_standard_idx on standard_assessment_decisions (standard_id, organisation_id, decided_on)`.execute(
    db,
  );

  // Keyed by component slug, so the catalogue and this module can be built and changed independently.
  await sql`
    create table standard_component_points (
      id integer generated always as identity primary key,
      component_slug text not null,
      standard_id integer not null references standards (id),
      point_number integer not null check (point_number > 0),
      note text not null default '',
      declared_by integer references users (id),
      created_at timestamptz not null default now(),
      unique (component_slug, standard_id, point_number)
    )
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'standard_component_points',
    'standard_assessment_decisions',
    'standard_assessment_actions',
    'standard_assessment_ratings',
    'standard_assessments',
    'standard_point_comments',
    'standard_points',
    'standard_versions',
    'standards',
  ]) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
  await sql`drop function standard_points_of_published_versions_are_immutable`.execute(db);
  await sql`drop function standard_versions_published_are_immutable`.execute(db);
}
