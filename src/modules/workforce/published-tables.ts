import {
  boundsAfterPublication,
  boundsOfPublished,
  type CellStatus,
  type ControlCell,
  controlDisclosure,
  type Relation,
} from './disclosure-control.js';
import { newlyRecoverable } from './publication-audit.js';
import { DIMENSIONS, type Dimension, GRADE_BANDS, type ReturnCounts } from './workforce.categories.js';

/**
 * Builds every published table of a year (council, region and nation levels; each grade band and all grades;
 * every dimension) as one system of cells and relations, and runs disclosure control over it, together with
 * the year's earlier publications, so differencing old and new tables gives nothing away. Pure.
 */

export const NATION = { code: 'E92000001', name: 'England' } as const;
export const ALL_GRADES = 'all';
export const TOTAL = 'total';

/** ONS codes of England's nine regions (the register names them; ONS codes them). */
export const REGION_CODES: Record<string, string> = {
  'North East': 'E12000001',
  'North West': 'E12000002',
  'Yorkshire and The Humber': 'E12000003',
  'East Midlands': 'E12000004',
  'West Midlands': 'E12000005',
  'East of England': 'E12000006',
  London: 'E12000007',
  'South East': 'E12000008',
  'South West': 'E12000009',
};

export interface Area {
  code: string;
  name: string;
}

/** One council's accepted return as it enters a publication; `version` changes whenever the return is corrected. */
export interface Contribution {
  council: Area;
  region: Area;
  version: string;
  counts: ReturnCounts;
}

/** Published figures: per dimension, per cell key (`area|grade|category`), the rounded value or null when hidden. */
export type PublishedFigures = Record<string, Record<string, number | null>>;

/** What an earlier publication of the same year was made from and showed. */
export interface EarlierPublication {
  contributions: readonly { council: Area; region: Area; version: string }[];
  figures: PublishedFigures;
}

export interface PublicationResult {
  figures: PublishedFigures;
  /** Why each hidden cell is hidden (kept for the words on each table, never shown cell by cell). */
  statuses: Record<string, Record<string, CellStatus>>;
  /** Hidden cells that earlier publications had already given away (should be none). */
  unprotected: number;
  /** True when the final audit could work out a hidden figure, so every figure of the year is withheld. */
  withheld: boolean;
}

/** The key of a published cell. */
export const cellKey = (area: string, grade: string, category: string) => `${area}|${grade}|${category}`;

interface Lattice {
  cells: ControlCell[];
  keys: string[];
  relations: Relation[];
  index: Map<string, number>;
}

/** The count a return gives one cell of the lattice (a council, a grade or all, a category or the total). */
function councilCount(counts: ReturnCounts, dimension: Dimension, grade: string, category: string): number {
  const grades = grade === ALL_GRADES ? GRADE_BANDS : [grade as (typeof GRADE_BANDS)[number]];
  let sum = 0;
  for (const band of grades) {
    if (category === TOTAL) sum += counts.headcount[band];
    else sum += counts.dimensions[dimension.code]?.[band]?.[category] ?? 0;
  }
  return sum;
}

/**
 * Adds one publication's lattice: cells for every council, region and the nation, each grade and all grades,
 * each category and the total, with the relations between them. Council cells are keyed by council and return
 * version, so publications that hold the same version of a council's return share its cells (the attacker can
 * link them), while a corrected return is a different set of unknowns. Regions and the nation get `prefix`.
 */
function addPublication(
  lattice: Lattice,
  prefix: string,
  dimension: Dimension,
  councils: readonly { council: Area; region: Area; version: string; counts: ReturnCounts | null }[],
): void {
  const grades = [...GRADE_BANDS, ALL_GRADES];
  const categories = [...dimension.categories.map((category) => category.code), TOTAL];
  const cell = (key: string, value: number, weight: number) => {
    const existing = lattice.index.get(key);
    if (existing !== undefined) return { id: existing, added: false };
    lattice.index.set(key, lattice.cells.length);
    lattice.keys.push(key);
    lattice.cells.push({ value, weight });
    return { id: lattice.cells.length - 1, added: true };
  };
  const areaCells = (area: string, valueOf: (grade: string, category: string) => number, levelWeight: number) => {
    const ids = new Map<string, number>();
    let added = false;
    for (const grade of grades)
      for (const category of categories) {
        const aggregated = (grade === ALL_GRADES ? 1 : 0) + (category === TOTAL ? 1 : 0);
        const value = valueOf(grade, category);
        const made = cell(`${area}|${grade}|${category}`, value, (value + 1) * levelWeight * 4 ** aggregated);
        ids.set(`${grade}|${category}`, made.id);
        added ||= made.added;
      }
    if (!added) return ids;
    for (const category of categories)
      lattice.relations.push({
        parent: ids.get(`${ALL_GRADES}|${category}`) as number,
        children: GRADE_BANDS.map((grade) => ids.get(`${grade}|${category}`) as number),
      });
    for (const grade of grades)
      lattice.relations.push({
        parent: ids.get(`${grade}|${TOTAL}`) as number,
        children: dimension.categories.map((category) => ids.get(`${grade}|${category.code}`) as number),
      });
    // Flattened: the headcount is also the sum of every grade band's categories, as an attacker would add them.
    lattice.relations.push({
      parent: ids.get(`${ALL_GRADES}|${TOTAL}`) as number,
      children: GRADE_BANDS.flatMap((grade) => dimension.categories.map((category) => ids.get(`${grade}|${category.code}`) as number)),
    });
    return ids;
  };
  const regions = new Map<string, { area: Area; members: Map<string, number>[] }>();
  for (const entry of councils) {
    const { counts } = entry;
    const ids = areaCells(
      councilArea(entry.council.code, entry.version),
      (grade, category) => (counts ? councilCount(counts, dimension, grade, category) : 0),
      1,
    );
    const region = regions.get(entry.region.code) ?? { area: entry.region, members: [] };
    region.members.push(ids);
    regions.set(entry.region.code, region);
  }
  const sumOver = (members: Map<string, number>[], grade: string, category: string) =>
    members.reduce((sum, ids) => sum + (lattice.cells[ids.get(`${grade}|${category}`) as number] as ControlCell).value, 0);
  const regionIds: Map<string, number>[] = [];
  for (const { area, members } of [...regions.values()].sort((a, b) => a.area.code.localeCompare(b.area.code))) {
    const ids = areaCells(`${prefix}${area.code}`, (grade, category) => sumOver(members, grade, category), 20);
    for (const [key, parent] of ids) lattice.relations.push({ parent, children: members.map((member) => member.get(key) as number) });
    regionIds.push(ids);
  }
  const nationIds = areaCells(`${prefix}${NATION.code}`, (grade, category) => sumOver(regionIds, grade, category), 400);
  for (const [key, parent] of nationIds) lattice.relations.push({ parent, children: regionIds.map((member) => member.get(key) as number) });
  // Flattened: the nation is also the sum of every council, skipping the regions, as an attacker would add them.
  const councilIds = [...regions.values()].flatMap((region) => region.members);
  for (const [key, parent] of nationIds)
    lattice.relations.push({ parent, children: councilIds.map((member) => member.get(key) as number) });
}

const councilArea = (code: string, version: string) => `${code}@${version}`;

/**
 * Controls one dimension: this year's tables, plus each earlier publication's tables tied to them through the
 * councils whose returns have not changed since. Returns the decision for each of this publication's cells.
 */
export function controlDimension(
  dimension: Dimension,
  contributions: readonly Contribution[],
  earlier: readonly EarlierPublication[],
  forceSuppressed: ReadonlySet<string> = new Set(),
  knownTotals: ReadonlyMap<string, { lo: number; hi: number }> = new Map(),
): {
  figures: Record<string, number | null>;
  statuses: Record<string, CellStatus>;
  unprotected: number;
  totalBounds: Map<string, { lo: number; hi: number }>;
} {
  const lattice: Lattice = { cells: [], keys: [], relations: [], index: new Map() };
  const current = new Map(contributions.map((entry) => [entry.council.code, entry.version]));
  addPublication(lattice, '', dimension, contributions);
  const decided = lattice.cells.length;
  earlier.forEach((publication, number) => {
    const prefix = `#${number}#`;
    addPublication(
      lattice,
      prefix,
      dimension,
      publication.contributions.map((entry) => ({ ...entry, counts: null })),
    );
    const versions = new Map(publication.contributions.map((entry) => [entry.council.code, entry.version]));
    const knownCells = new Set<number>();
    for (const [key, value] of Object.entries(publication.figures[dimension.code] ?? {})) {
      const [area, grade, category] = key.split('|') as [string, string, string];
      const version = versions.get(area);
      const position = lattice.index.get(`${version === undefined ? `${prefix}${area}` : councilArea(area, version)}|${grade}|${category}`);
      if (position === undefined) continue;
      knownCells.add(position);
      const cell = lattice.cells[position] as ControlCell;
      const bounds = value === null ? { lo: 0, hi: Infinity } : boundsOfPublished(value);
      if (position < decided)
        cell.known = cell.known ? { lo: Math.max(cell.known.lo, bounds.lo), hi: Math.min(cell.known.hi, bounds.hi) } : bounds;
      else cell.fixed = cell.fixed ? { lo: Math.max(cell.fixed.lo, bounds.lo), hi: Math.min(cell.fixed.hi, bounds.hi) } : bounds;
    }
    // Cells of the earlier publication it did not show are unknowns, not decisions of ours.
    for (let position = decided; position < lattice.cells.length; position += 1) {
      const cell = lattice.cells[position] as ControlCell;
      if (!knownCells.has(position) && !cell.fixed) cell.fixed = { lo: 0, hi: Infinity };
    }
  });
  for (const key of forceSuppressed) {
    const [area, grade, category] = key.split('|') as [string, string, string];
    const version = current.get(area);
    const position = lattice.index.get(`${version === undefined ? area : councilArea(area, version)}|${grade}|${category}`);
    if (position !== undefined && position < decided) (lattice.cells[position] as ControlCell).forceSuppressed = true;
  }
  // What the other dimensions' tables give away about the shared headcounts is known to an attacker here too.
  for (const [key, bounds] of knownTotals) {
    const [area, grade, category] = key.split('|') as [string, string, string];
    const version = current.get(area);
    const position = lattice.index.get(`${version === undefined ? area : councilArea(area, version)}|${grade}|${category}`);
    if (position === undefined || position >= decided) continue;
    const cell = lattice.cells[position] as ControlCell;
    cell.known = cell.known ? { lo: Math.max(cell.known.lo, bounds.lo), hi: Math.min(cell.known.hi, bounds.hi) } : { ...bounds };
  }
  const result = controlDisclosure(lattice.cells, lattice.relations);
  const after = boundsAfterPublication(lattice.cells, lattice.relations, result);
  const figures: Record<string, number | null> = {};
  const statuses: Record<string, CellStatus> = {};
  const totalBounds = new Map<string, { lo: number; hi: number }>();
  for (let position = 0; position < decided; position += 1) {
    const key = (lattice.keys[position] as string).replace(/@[^|]*/, '');
    figures[key] = result.published[position] ?? null;
    statuses[key] = result.status[position] as CellStatus;
    if (key.endsWith(`|${TOTAL}`)) totalBounds.set(key, { lo: after.lo[position] as number, hi: after.hi[position] as number });
  }
  return { figures, statuses, unprotected: result.unprotected.length, totalBounds };
}

/**
 * Controls every dimension of a year. The total column (headcount) is the same figure in every dimension's
 * tables, so a headcount hidden in one is hidden in all: dimensions are controlled again until they agree.
 */
export function controlYear(contributions: readonly Contribution[], earlier: readonly EarlierPublication[] = []): PublicationResult {
  const forced = new Set<string>();
  const results = new Map<string, ReturnType<typeof controlDimension>>();
  const hiddenTotals = (result: ReturnType<typeof controlDimension>) =>
    Object.entries(result.statuses)
      .filter(([key, status]) => key.endsWith(`|${TOTAL}`) && (status === 'primary' || status === 'secondary'))
      .map(([key]) => key);
  // The tightest bounds any dimension's tables give on each headcount: an attacker combines them all.
  const knownTotals = new Map<string, { lo: number; hi: number }>();
  let pending = [...DIMENSIONS];
  for (let round = 0; round < 20 && pending.length > 0; round += 1) {
    for (const entry of pending) results.set(entry.code, controlDimension(entry, contributions, earlier, forced, knownTotals));
    for (const result of results.values()) for (const key of hiddenTotals(result)) forced.add(key);
    let learned = false;
    for (const result of results.values())
      for (const [key, bounds] of result.totalBounds) {
        const held = knownTotals.get(key) ?? { lo: 0, hi: Infinity };
        if (bounds.lo > held.lo || bounds.hi < held.hi) {
          knownTotals.set(key, { lo: Math.max(held.lo, bounds.lo), hi: Math.min(held.hi, bounds.hi) });
          learned = true;
        }
      }
    // Every dimension again when one gave away more about a headcount; otherwise only a dimension that does not
    // yet hide every headcount another hides.
    pending = learned
      ? [...DIMENSIONS]
      : DIMENSIONS.filter((entry) => {
          const hidden = new Set(hiddenTotals(results.get(entry.code) as ReturnType<typeof controlDimension>));
          return [...forced].some((key) => !hidden.has(key));
        });
  }
  const figures: PublishedFigures = {};
  const statuses: Record<string, Record<string, CellStatus>> = {};
  let unprotected = 0;
  for (const [code, result] of results) {
    figures[code] = result.figures;
    statuses[code] = result.statuses;
    unprotected += result.unprotected;
  }
  // Fail closed: if the final audit, wider than the control, can work out any hidden figure, publish nothing.
  // The same when the control itself could not protect a cell: once nothing is published, nothing is exposed.
  const withheld = unprotected > 0 || newlyRecoverable([...earlier, { contributions, figures }]).length > 0;
  if (!withheld) return { figures, statuses, unprotected, withheld };
  for (const values of Object.values(figures)) for (const key of Object.keys(values)) values[key] = null;
  return { figures, statuses, unprotected: 0, withheld };
}
