import type { ColumnType, Generated } from 'kysely';

export type OrganisationKind =
  'principal' | 'combined-authority' | 'strategic-authority' | 'institute' | 'regional-centre' | 'supplier' | 'public-body';

export interface OrganisationsTable {
  id: Generated<number>;
  kind: OrganisationKind;
  slug: string;
  registry_code: string | null;
  gss_code: string | null;
  name: string;
  official_name: string;
  alternative_names: ColumnType<string[], string[] | undefined, string[]>;
  council_type: string | null;
  council_type_name: string | null;
  nation: string | null;
  region: string | null;
  county_code: string | null;
  combined_authority_code: string | null;
  start_date: string | null;
  end_date: string | null;
  successor_codes: ColumnType<string[], string[] | undefined, string[]>;
  former_gss_codes: ColumnType<string[], string[] | undefined, string[]>;
  population: number | null;
  website_url: string | null;
  search_names: string;
  created_at: ColumnType<Date, never, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** Which regional centre a council belongs to (at most one: the council is the key). Migration 0120. */
export interface RegionalCentreMembersTable {
  council_id: number;
  centre_id: number;
  joined_on: ColumnType<string, string | undefined, string>;
}

export interface OrganisationTables {
  organisations: OrganisationsTable;
  regional_centre_members: RegionalCentreMembersTable;
}

/** A read model other modules may query (a view): who an organisation is, never how the register stores it. */
export interface OrganisationDirectoryView {
  id: ColumnType<number, never, never>;
  kind: ColumnType<OrganisationKind, never, never>;
  slug: ColumnType<string, never, never>;
  gss_code: ColumnType<string | null, never, never>;
  /** The GSS code, or the slug of an organisation without one. */
  code: ColumnType<string, never, never>;
  name: ColumnType<string, never, never>;
  official_name: ColumnType<string, never, never>;
  council_type: ColumnType<string | null, never, never>;
  council_type_name: ColumnType<string | null, never, never>;
  nation: ColumnType<string | null, never, never>;
  region: ColumnType<string | null, never, never>;
  start_date: ColumnType<string | null, never, never>;
  end_date: ColumnType<string | null, never, never>;
}

/** The read models the organisations module exports (migration 0100). */
export interface OrganisationReadModels {
  organisation_directory: OrganisationDirectoryView;
}
