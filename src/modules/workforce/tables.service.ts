import type { Actor } from '../../platform/actor.js';
import { recordAuditEvent } from '../../platform/audit.js';
import { NotAllowedError, NotFoundError } from '../../platform/errors.js';
import type { OrganisationsService } from '../organisations/index.js';
import {
  ALL_GRADES,
  type Area,
  cellKey,
  type Contribution,
  controlYear,
  type EarlierPublication,
  NATION,
  REGION_CODES,
  TOTAL,
} from './published-tables.js';
import { DIMENSIONS, type Dimension, findDimension, GRADE_BANDS, type GradeBand } from './workforce.categories.js';
import { workforcePolicy } from './workforce.policy.js';
import type { PublicationRow, WorkforceRepository, WorkforceTransaction } from './workforce.repository.js';
import type { StoredContribution } from './workforce.tables.js';

export const LEVELS = ['council', 'region', 'nation'] as const;
export type Level = (typeof LEVELS)[number];

export interface PublishedCell {
  value: number | null;
  suppressed: boolean;
}

/** One published table, exactly as the page and the API show it. */
export interface PublishedTable {
  dimension: string;
  year: number;
  level: Level;
  categories: string[];
  rows: { area: Area; cells: Record<string, PublishedCell>; total: PublishedCell }[];
  total: { cells: Record<string, PublishedCell>; total: PublishedCell };
}

/** The four groups the sector's +20% target counts, each a share of those who declared. */
export const TARGET_GROUPS = [
  { code: 'ethnic-minority', label: 'People from ethnic minority groups', dimension: 'ethnicity', grades: GRADE_BANDS },
  { code: 'disabled', label: 'Disabled people', dimension: 'disability', grades: GRADE_BANDS },
  {
    code: 'lower-socio-economic',
    label: 'People from lower socio-economic backgrounds',
    dimension: 'socio-economic-background',
    grades: GRADE_BANDS,
  },
  {
    code: 'women-senior',
    label: 'Women in senior and head-of-service grades',
    dimension: 'sex',
    grades: ['senior', 'head'] as GradeBand[],
  },
] as const;

export interface GroupMeasure {
  code: string;
  label: string;
  share: number | null;
  declarationRate: number | null;
}

export interface AreaMeasure {
  area: Area;
  index: number | null;
  declarationRate: number | null;
  groups: GroupMeasure[];
}

const cell = (value: number | null | undefined): PublishedCell => ({
  value: value ?? null,
  suppressed: value === null || value === undefined,
});
const percent = (part: number, whole: number) => (whole > 0 ? Math.round((1000 * part) / whole) / 10 : null);

/** Under-represented categories of a target group's dimension (women for the senior-grades group). */
function groupCategories(group: (typeof TARGET_GROUPS)[number]): { counted: string[]; declared: string[] } {
  const dimension = findDimension(group.dimension) as Dimension;
  const declared = dimension.categories
    .map((category) => category.code)
    .filter((code) => code !== 'prefer-not-to-say' && code !== 'not-known');
  return { counted: group.code === 'women-senior' ? ['female'] : [...dimension.underRepresented], declared };
}

/**
 * Publishing the year's controlled tables, reading them, and measuring the sector's target from them.
 * Over 80 lines as a set of short methods sharing one set of dependencies.
 */
export function createTablesService({
  workforceRepository,
  transaction,
  organisationsService,
}: {
  workforceRepository: WorkforceRepository;
  transaction: WorkforceTransaction;
  organisationsService: OrganisationsService;
}) {
  async function loadPublication(year: number | undefined): Promise<PublicationRow> {
    const years = await workforceRepository.listPublishedYears();
    const chosen = year ?? years.at(-1);
    const publication = chosen === undefined ? undefined : await workforceRepository.findLatestPublication(chosen);
    if (!publication)
      throw new NotFoundError(year === undefined ? 'No tables have been published yet' : `No tables have been published for ${year}`);
    return publication;
  }

  /** The share of each target group, from one area's published figures (null where a figure is hidden). */
  function measureArea(figures: Record<string, Record<string, number | null>>, area: Area): AreaMeasure {
    const groups = TARGET_GROUPS.map((group) => {
      const { counted, declared } = groupCategories(group);
      const table = figures[group.dimension] ?? {};
      const sum = (categories: readonly string[]) => {
        let total = 0;
        for (const grade of group.grades === GRADE_BANDS ? [ALL_GRADES] : group.grades)
          for (const category of categories) {
            const value = table[cellKey(area.code, grade, category)];
            if (value === null || value === undefined) return null;
            total += value;
          }
        return total;
      };
      const part = sum(counted);
      const whole = sum(declared);
      const headcount = sum([TOTAL]);
      return {
        code: group.code,
        label: group.label,
        share: part === null || whole === null ? null : percent(part, whole),
        declarationRate: whole === null || headcount === null ? null : percent(whole, headcount),
      };
    });
    const shares = groups.map((group) => group.share);
    const rates = groups.map((group) => group.declarationRate);
    const mean = (values: (number | null)[]) =>
      values.some((value) => value === null)
        ? null
        : Math.round((10 * (values as number[]).reduce((a, b) => a + b, 0)) / values.length) / 10;
    return { area, index: mean(shares), declarationRate: mean(rates), groups };
  }

  return {
    /**
     * Publishes every table of a year from the current version of each council's return, under disclosure
     * control, checked against the year's earlier publications. A platform admin's act (or the seed's, with null).
     */
    async publishYear(actor: Actor | null, year: number): Promise<{ id: number; councils: number; hidden: number; unprotected: number }> {
      if (actor !== null && !workforcePolicy.canPublish(actor)) throw new NotAllowedError('Only platform admins publish the year’s tables');
      const councils = new Map(
        (await organisationsService.listCurrentPrincipalCouncils('England')).map((council) => [council.id, council]),
      );
      const [returns, earlierRows] = await Promise.all([
        workforceRepository.listCurrentReturns(year),
        workforceRepository.listPublications(year),
      ]);
      const contributions: Contribution[] = [];
      for (const row of returns) {
        const council = councils.get(row.organisation_id);
        if (!council?.gssCode || !council.region || !REGION_CODES[council.region]) continue;
        contributions.push({
          council: { code: council.gssCode, name: council.name },
          region: { code: REGION_CODES[council.region] as string, name: council.region },
          version: String(row.version_id),
          counts: row.counts,
        });
      }
      const earlier: EarlierPublication[] = earlierRows.map((row) => ({ contributions: row.contributions, figures: row.figures }));
      const result = controlYear(contributions, earlier);
      const notes: Record<string, { primary: number; secondary: number }> = {};
      let hidden = 0;
      for (const [dimension, statuses] of Object.entries(result.statuses))
        for (const [key, status] of Object.entries(statuses)) {
          if (status !== 'primary' && status !== 'secondary') continue;
          hidden += 1;
          const [area, grade] = key.split('|') as [string, string];
          const level = area === NATION.code ? 'nation' : area.startsWith('E12') ? 'region' : 'council';
          const note = (notes[`${dimension}|${level}|${grade}`] ??= { primary: 0, secondary: 0 });
          note[status] += 1;
        }
      const stored: StoredContribution[] = contributions.map(({ council, region, version }) => ({ council, region, version }));
      const id = await transaction(async (repository, trx) => {
        const publicationId = await repository.insertPublication({ year, contributions: stored, figures: result.figures, notes });
        await recordAuditEvent(trx, actor, {
          action: 'workforce.tables.published',
          subjectType: 'workforce_publication',
          subjectId: publicationId,
          organisationId: null,
          before: null,
          after: { year, councils: contributions.length, hidden },
        });
        return publicationId;
      });
      return { id, councils: contributions.length, hidden, unprotected: result.unprotected };
    },

    /** Years with published tables, oldest first. */
    listPublishedYears: () => workforceRepository.listPublishedYears(),

    /** One published table, and the words that say what was hidden and why. */
    async getTable(query: { dimension: string; year?: number | undefined; level: Level; grade?: GradeBand | undefined }) {
      const dimension = findDimension(query.dimension);
      if (!dimension) throw new NotFoundError(`There is no dimension called ${query.dimension}`);
      const publication = await loadPublication(query.year);
      const figures = publication.figures[dimension.code] ?? {};
      const grade = query.grade ?? ALL_GRADES;
      const categories = dimension.categories.map((category) => category.code);
      const areaRow = (area: Area) => ({
        area,
        cells: Object.fromEntries(categories.map((category) => [category, cell(figures[cellKey(area.code, grade, category)])])),
        total: cell(figures[cellKey(area.code, grade, TOTAL)]),
      });
      const regions = new Map(publication.contributions.map((entry) => [entry.region.code, entry.region]));
      const areas: Area[] =
        query.level === 'nation'
          ? [NATION]
          : query.level === 'region'
            ? [...regions.values()].sort((a, b) => a.code.localeCompare(b.code))
            : publication.contributions.map((entry) => entry.council).sort((a, b) => a.name.localeCompare(b.name));
      const nation = areaRow(NATION);
      const table: PublishedTable = {
        dimension: dimension.code,
        year: publication.year,
        level: query.level,
        categories,
        rows: areas.map(areaRow),
        total: { cells: nation.cells, total: nation.total },
      };
      const note = publication.notes[`${dimension.code}|${query.level}|${grade}`] ?? { primary: 0, secondary: 0 };
      const councilCount = (await organisationsService.listCurrentPrincipalCouncils('England')).length;
      return {
        table,
        dimension,
        publishedAt: publication.published_at.toISOString(),
        returns: publication.contributions.length,
        councils: councilCount,
        hidden: note,
      };
    },

    /** The sector's +20% target: the index of under-represented groups in the baseline year, now, and the goal. */
    async getTarget() {
      const years = await workforceRepository.listPublishedYears();
      const measures = [];
      for (const year of years) {
        const publication = await workforceRepository.findLatestPublication(year);
        if (!publication) continue;
        const regions = [...new Map(publication.contributions.map((entry) => [entry.region.code, entry.region])).values()].sort((a, b) =>
          a.code.localeCompare(b.code),
        );
        measures.push({
          year,
          nation: measureArea(publication.figures, NATION),
          regions: regions.map((region) => measureArea(publication.figures, region)),
        });
      }
      const baseline = measures[0];
      const current = measures.at(-1);
      return {
        baselineYear: baseline?.year ?? null,
        baseline: baseline?.nation.index ?? null,
        current: current?.nation.index ?? null,
        target: baseline?.nation.index === null || baseline === undefined ? null : Math.round(baseline.nation.index * 1.2 * 10) / 10,
        declarationRate: current?.nation.declarationRate ?? null,
        years: measures,
      };
    },

    dimensions: DIMENSIONS,
  };
}

export type TablesService = ReturnType<typeof createTablesService>;
