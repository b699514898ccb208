import type { SearchDocumentInput } from '../../platform/search.js';
import fs from 'node:fs/promises';
import { NotFoundError } from '../../platform/errors.js';
import { isoDate, type Clock } from '../../platform/clock.js';
import { organisationSearchDocument, presentOrganisation, referenceTo } from './organisations.presenters.js';
import { organisationSlug, parseCouncilRegister, searchNames } from './organisations.register.js';
import type { OrganisationFilter, OrganisationRow, OrganisationSort, OrganisationsRepository } from './organisations.repository.js';
import type { OrganisationKind } from './organisations.tables.js';
import { createRegionalCentresService } from './regional-centres.service.js';

export interface Organisation {
  id: number;
  kind: OrganisationKind;
  slug: string;
  gssCode: string | null;
  registryCode: string | null;
  name: string;
  officialName: string;
  alternativeNames: string[];
  councilType: string | null;
  councilTypeName: string | null;
  nation: string | null;
  region: string | null;
  countyCode: string | null;
  combinedAuthorityCode: string | null;
  startDate: string | null;
  endDate: string | null;
  successorCodes: string[];
  population: number | null;
  current: boolean;
}

export interface OrganisationReference {
  name: string;
  gssCode: string | null;
  registryCode: string | null;
  slug: string;
  current: boolean;
}

export interface OrganisationDetail extends Organisation {
  /** A regional centre's member councils, by GSS code (empty for other organisations). */
  memberCouncils: string[];
  successors: OrganisationReference[];
  predecessors: OrganisationReference[];
  county: OrganisationReference | null;
  combinedAuthority: OrganisationReference | null;
}

export interface OrganisationQuery extends Omit<OrganisationFilter, 'onDate'> {
  page: number;
  pageSize: number;
  sort?: OrganisationSort | undefined;
  onDate?: string | undefined;
}

export const KIND_LABELS: Record<OrganisationKind, string> = {
  principal: 'Principal council',
  'combined-authority': 'Combined authority',
  'strategic-authority': 'Strategic authority',
  institute: 'Institute',
  'regional-centre': 'Regional centre of service innovation',
  supplier: 'Supplier',
  'public-body': 'Other public body (NHS, police, fire and others)',
};

/**
 * The register of organisations: listing, detail, the denominator every sector figure uses, and regional centres
 * (regional-centres.service.ts). Over 80 lines as a set of short methods sharing one set of dependencies.
 */
export function createOrganisationsService({
  organisationsRepository,
  clock,
}: {
  organisationsRepository: OrganisationsRepository;
  clock: Clock;
}) {
  const today = () => isoDate(clock());

  const present = (row: OrganisationRow, onDate = today()) => presentOrganisation(row, onDate);
  const reference = (row: OrganisationRow) => referenceTo(row, today());

  /** One organisation by GSS code, registry code or slug, with its successors, predecessors and parents. */
  async function getOrganisation(code: string): Promise<OrganisationDetail> {
    const row = await organisationsRepository.findOrganisationByCode(code);
    if (!row) throw new NotFoundError(`No organisation has the code ${code}`);
    const parentCodes = [row.county_code, row.combined_authority_code].filter((value): value is string => value !== null);
    const [successors, predecessors, parents, members] = await Promise.all([
      organisationsRepository.listOrganisationsByRegistryCodes(row.successor_codes),
      row.registry_code ? organisationsRepository.listPredecessors(row.registry_code) : Promise.resolve([]),
      organisationsRepository.listOrganisationsByRegistryCodes(parentCodes),
      row.kind === 'regional-centre' ? organisationsRepository.listCentreMembers([row.id]) : Promise.resolve([]),
    ]);
    const parent = (code: string | null) => {
      const found = parents.find((candidate) => candidate.registry_code === code);
      return found ? reference(found) : null;
    };
    return {
      ...present(row),
      memberCouncils: members.flatMap((member) => (member.gss_code ? [member.gss_code] : [])),
      successors: successors.map(reference),
      predecessors: predecessors.map(reference),
      county: parent(row.county_code),
      combinedAuthority: parent(row.combined_authority_code),
    };
  }

  return {
    /** A page of organisations matching the filters, and how many match in all. */
    async listOrganisations(query: OrganisationQuery): Promise<{ total: number; items: Organisation[] }> {
      const onDate = query.onDate ?? today();
      const { total, rows } = await organisationsRepository.listOrganisations(
        { ...query, onDate },
        { offset: (query.page - 1) * query.pageSize, limit: query.pageSize },
        query.sort,
      );
      return { total, items: rows.map((row) => present(row, onDate)) };
    },

    getOrganisation,

    /** The current principal councils of a nation on a date (default today): the denominator, e.g. 317 for England. */
    async listCurrentPrincipalCouncils(nation = 'England', onDate = today()): Promise<Organisation[]> {
      const rows = await organisationsRepository.listCurrentPrincipalCouncils(nation, onDate);
      return rows.map((row) => present(row, onDate));
    },

    /** Values offered in the list filters. */
    listFacetValues: () => organisationsRepository.listFacetValues(),

    /** Loads (or refreshes) the council register from mySociety's CSV. Safe to run again. */
    async loadCouncilRegister(csvPath: string): Promise<number> {
      const rows = parseCouncilRegister(await fs.readFile(csvPath, 'utf8'), csvPath);
      await organisationsRepository.upsertRegisterOrganisations(rows);
      return rows.length;
    },

    /** Adds an organisation that is not a council (institute, regional centre, supplier) if it is not there yet. */
    async addOrganisation(input: {
      kind: OrganisationKind;
      name: string;
      region?: string;
      nation?: string;
      websiteUrl?: string;
    }): Promise<void> {
      await organisationsRepository.insertOrganisationIfMissing({
        kind: input.kind,
        slug: organisationSlug(input.name),
        registry_code: null,
        gss_code: null,
        name: input.name,
        official_name: input.name,
        alternative_names: [],
        council_type: null,
        council_type_name: null,
        nation: input.nation ?? null,
        region: input.region ?? null,
        county_code: null,
        combined_authority_code: null,
        start_date: null,
        end_date: null,
        successor_codes: [],
        former_gss_codes: [],
        population: null,
        website_url: input.websiteUrl ?? null,
        search_names: searchNames([input.name]),
      });
    },

    countOrganisations: () => organisationsRepository.countOrganisations(),

    /** Organisations by id, in no particular order. */
    async listOrganisationsByIds(ids: readonly number[]): Promise<Organisation[]> {
      return (await organisationsRepository.listOrganisationsByIds(ids)).map((row) => present(row));
    },

    /** The register as search documents: short, official and other names, type and region (changed since an instant, or all). */
    async listSearchDocuments(changedSince?: Date): Promise<SearchDocumentInput[]> {
      const rows = await organisationsRepository.listOrganisationsChangedSince(changedSince);
      const onDate = today();
      return rows.map((row) => organisationSearchDocument(row, onDate));
    },

    ...createRegionalCentresService({ organisationsRepository, clock, getOrganisation }),
  };
}

export type OrganisationsService = ReturnType<typeof createOrganisationsService>;
