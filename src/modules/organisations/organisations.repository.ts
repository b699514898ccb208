import type { Kysely, Selectable } from 'kysely';
import { createCentreMembersQueries } from './centre-members.queries.js';
import { createDirectoryQueries } from './directory.queries.js';
import type { OrganisationKind, OrganisationTables, OrganisationsTable } from './organisations.tables.js';
import { createRegisterQueries } from './register.queries.js';

export type OrganisationRow = Selectable<OrganisationsTable>;
export type OrganisationInsert = Omit<OrganisationRow, 'id' | 'created_at' | 'updated_at'>;

export interface OrganisationFilter {
  q?: string | undefined;
  kind?: OrganisationKind | undefined;
  nation?: string | undefined;
  region?: string | undefined;
  councilType?: string | undefined;
  status?: 'current' | 'former' | 'all' | undefined;
  /** The date against which current and former are judged (YYYY-MM-DD). */
  onDate: string;
}

export interface Page {
  offset: number;
  limit: number;
}

export type OrganisationSort = 'name' | 'population' | 'start-date';

/** Every query the organisations module makes. */
export function createOrganisationsRepository(db: Kysely<OrganisationTables>) {
  return { ...createRegisterQueries(db), ...createDirectoryQueries(db), ...createCentreMembersQueries(db) };
}

export type OrganisationsRepository = ReturnType<typeof createOrganisationsRepository>;
