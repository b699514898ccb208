import type { SearchDocumentInput } from '../../platform/search.js';
import fs from 'node:fs/promises';
import type { Actor } from '../../platform/actor.js';
import { InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import { isoDate, type Clock } from '../../platform/clock.js';
import { organisationSlug, parseCouncilRegister, searchNames } from './organisations.register.js';
import type { OrganisationFilter, OrganisationRow, OrganisationSort, OrganisationsRepository } from './organisations.repository.js';
import type { OrganisationKind } from './organisations.tables.js';

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

/** The register of organisations: listing, detail, and the denominator every sector figure uses. */
export function createOrganisationsService({
  organisationsRepository,
  clock,
}: {
  organisationsRepository: OrganisationsRepository;
  clock: Clock;
}) {
  const today = () => isoDate(clock());

  function present(row: OrganisationRow, onDate = today()): Organisation {
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

  function reference(row: OrganisationRow): OrganisationReference {
    return { name: row.name, gssCode: row.gss_code, registryCode: row.registry_code, slug: row.slug, current: isCurrent(row, today()) };
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

    /** One organisation by GSS code, registry code or slug, with its successors, predecessors and parents. */
    async getOrganisation(code: string): Promise<OrganisationDetail> {
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
    },

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

    /** The regional centres of service innovation, each with the ids of its member councils. */
    async listRegionalCentres(): Promise<(Organisation & { memberIds: number[] })[]> {
      const [{ rows }, members] = await Promise.all([
        organisationsRepository.listOrganisations({ kind: 'regional-centre', onDate: today() }, { offset: 0, limit: 1000 }),
        organisationsRepository.listCentreMembers(),
      ]);
      return rows.map((row) => ({
        ...present(row),
        memberIds: members.filter((member) => member.centre_id === row.id).map((member) => member.council_id),
      }));
    },

    /** Makes councils (by id) members of a regional centre; a council in another centre moves. */
    async assignCouncilsToCentre(centreId: number, councilIds: readonly number[]): Promise<void> {
      const [centre] = await organisationsRepository.listOrganisationsByIds([centreId]);
      if (centre?.kind !== 'regional-centre') throw new NotFoundError('No regional centre has this id');
      await organisationsRepository.assignCentreMembers(centreId, councilIds, today());
    },

    /**
     * Moves a council into a regional centre, out of the one it was in (a council belongs to at most one), or out of
     * every centre (`centreSlug` null). Only the institute's platform admins may. Says where it was (null: unchanged) and where it is.
     */
    async moveCouncilToCentre(
      actor: Actor,
      { councilCode, centreSlug, onlyFrom }: { councilCode: string; centreSlug: string | null; onlyFrom?: string },
    ) {
      if (actor.role !== 'platform-admin')
        throw new NotAllowedError('Only the institute’s platform admins can change which councils belong to a regional centre');
      let council;
      try {
        council = await this.getOrganisation(councilCode);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        throw new InputError('Choose a council from the list', [{ field: 'council', message: 'Choose a council from the list' }]);
      }
      if (council.kind !== 'principal' || !council.current)
        throw new InputError(`${council.name} is not a current principal council`, [
          { field: 'council', message: `${council.name} is not a current principal council; only councils belong to regional centres` },
        ]);
      const centres = await this.listRegionalCentres();
      const to = centreSlug === null ? null : centres.find((centre) => centre.slug === centreSlug);
      if (to === undefined) throw new NotFoundError(`No regional centre has the address ${centreSlug ?? ''}`);
      const from = centres.find((centre) => centre.memberIds.includes(council.id)) ?? null;
      // `onlyFrom`: change nothing unless the council is in that centre (taking it out of one centre never moves it out of another).
      if (onlyFrom !== undefined && from?.slug !== onlyFrom) return { council, from: null, to: from };
      if (from?.id !== to?.id)
        await organisationsRepository.setCentreMembership(council.id, to?.id ?? null, today(), {
          actor,
          event: {
            action: 'regional-centre.membership-changed',
            subjectType: 'organisation',
            subjectId: council.id,
            organisationId: council.id,
            before: { centre: from?.slug ?? null },
            after: { centre: to?.slug ?? null },
          },
        });
      return { council, from, to };
    },

    countOrganisations: () => organisationsRepository.countOrganisations(),

    /** Organisations by id, in no particular order. */
    async listOrganisationsByIds(ids: readonly number[]): Promise<Organisation[]> {
      return (await organisationsRepository.listOrganisationsByIds(ids)).map((row) => present(row));
    },

    /** The register as search documents: short, official and other names, type and region (changed since an instant, or all). */
    async listSearchDocuments(changedSince?: Date): Promise<SearchDocumentInput[]> {
      const rows = await organisationsRepository.listOrganisationsChangedSince(changedSince);
      return rows.map((row) => ({
        type: 'organisation',
        key: row.slug,
        title: row.name,
        names: [row.official_name, ...row.alternative_names, row.gss_code ?? ''].filter((name) => name && name !== row.name).join(' | '),
        body: [
          row.council_type_name,
          row.region,
          row.nation,
          row.kind === 'principal' ? 'council' : row.kind,
          isCurrent(row, today()) ? '' : 'former',
        ]
          .filter(Boolean)
          .join(' · '),
        url: `/organisations/${row.gss_code ?? row.slug}`,
        region: row.region,
        councilType: row.council_type,
        visibility: 'public' as const,
        topics: row.region ? [`region:${row.region}`] : [],
        updatedAt: row.updated_at,
      }));
    },
  };
}

export type OrganisationsService = ReturnType<typeof createOrganisationsService>;

function isCurrent(row: Pick<OrganisationRow, 'start_date' | 'end_date'>, onDate: string): boolean {
  return (row.start_date === null || row.start_date <= onDate) && (row.end_date === null || row.end_date > onDate);
}
