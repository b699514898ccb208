import type { SearchDocumentInput } from '../../platform/search.js';
import type { OrganisationRow } from './organisations.repository.js';
import type { Organisation, OrganisationReference } from './organisations.service.js';

/** Whether an organisation exists on a date: started by then, and not yet ended (an end date is its first day gone). */
export function isCurrent(row: Pick<OrganisationRow, 'start_date' | 'end_date'>, onDate: string): boolean {
  return (row.start_date === null || row.start_date <= onDate) && (row.end_date === null || row.end_date > onDate);
}

/** An organisation as the service gives it, current or not on a date. */
export function presentOrganisation(row: OrganisationRow, onDate: string): Organisation {
  return {
    id: row.id,
    kind: row.kind,
    slug: row.slug,
    gssCode: row.gss_code,
    registryCode: row.registry_code,
    name: row.name,
    officialName: row.official_name,
    alternativeNames: row.alternative_names,
    councilType: row.council_type,
    councilTypeName: row.council_type_name,
    nation: row.nation,
    region: row.region,
    countyCode: row.county_code,
    combinedAuthorityCode: row.combined_authority_code,
    startDate: row.start_date,
    endDate: row.end_date,
    successorCodes: row.successor_codes,
    population: row.population,
    current: isCurrent(row, onDate),
  };
}

/** A short reference to an organisation (a successor, predecessor or parent), current or not on a date. */
export function referenceTo(row: OrganisationRow, onDate: string): OrganisationReference {
  return { name: row.name, gssCode: row.gss_code, registryCode: row.registry_code, slug: row.slug, current: isCurrent(row, onDate) };
}

/** An organisation as a search document: short, official and other names, type and region. */
export function organisationSearchDocument(row: OrganisationRow, onDate: string): SearchDocumentInput {
  return {
    type: 'organisation',
    key: row.slug,
    title: row.name,
    names: [row.official_name, ...row.alternative_names, row.gss_code ?? ''].filter((name) => name && name !== row.name).join(' | '),
    body: [
      row.council_type_name,
      row.region,
      row.nation,
      row.kind === 'principal' ? 'council' : row.kind,
      isCurrent(row, onDate) ? '' : 'former',
    ]
      .filter(Boolean)
      .join(' · '),
    url: `/organisations/${row.gss_code ?? row.slug}`,
    region: row.region,
    councilType: row.council_type,
    visibility: 'public' as const,
    topics: row.region ? [`region:${row.region}`] : [],
    updatedAt: row.updated_at,
  };
}
