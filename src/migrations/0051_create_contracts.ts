import { type Kysely, sql } from 'kysely';

/**
 * Contracts read from OCDS (Contracts Finder, Find a Tender): one row per contract, award or open tender,
 * upserted on the parser's identity key so that importing a release again updates it; the suppliers named
 * on each, linked where possible to the spend module's suppliers; and a log of the files imported.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table contracts (
      id integer generated always as identity primary key,
      identity_key text not null unique,
      source text not null check (source in ('contract', 'award', 'tender')),
      ocid text not null,
      release_id text,
      release_date text,
      award_id text,
      contract_id text,
      title text,
      description text,
      buyer_name text,
      buyer_scheme text,
      buyer_identifier text,
      organisation_id integer references organisations (id),
      value_pence bigint,
      minimum_value_pence bigint,
      currency text,
      start_date date,
      end_date date,
      status text,
      source_url text,
      cpv_codes text[] not null default '{}',
      category text,
      source_file text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index contracts_organisation_end_idx on contracts (organisation_id, end_date)`.execute(db);
  await sql`create index contracts_end_date_idx on contracts (end_date) where end_date is not null`.execute(db);
  await sql`create index contracts_category_end_idx on contracts (category, end_date) where category is not null`.execute(db);

  await sql`
    create table contract_suppliers (
      contract_id integer not null references contracts (id) on delete cascade,
      position integer not null,
      name text,
      scheme text,
      identifier text,
      supplier_id integer references suppliers (id) on delete set null,
      primary key (contract_id, position)
    )
  `.execute(db);
  await sql`create index contract_suppliers_supplier_idx on contract_suppliers (supplier_id) where supplier_id is not null`.execute(db);

  await sql`
    create table contract_imports (
      id integer generated always as identity primary key,
      file_name text not null,
      sha256 text not null,
      package_kind text not null,
      releases integer not null,
      contracts integer not null,
      created integer not null,
      updated integer not null,
      imported_at timestamptz not null default now(),
      imported_by integer
    )
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table contract_imports`.execute(db);
  await sql`drop table contract_suppliers`.execute(db);
  await sql`drop table contracts`.execute(db);
}
