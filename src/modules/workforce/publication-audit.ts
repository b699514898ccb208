/**
 * The last check before a year's tables go out: everything published this year and before, every sum that links
 * its cells (a headcount is one figure in all seven dimensions' tables; a region is the sum of its councils, the
 * nation of its regions and of its councils; a total is the sum of every grade band's categories), and interval
 * propagation to a fixed point. Any hidden figure that can then be worked out to within 10, and that earlier
 * publications had not already given away, stops the publication: the year is withheld rather than published
 * unsafely. This audit is deliberately simpler and wider than the greedy control it checks.
 */
import { boundsOfPublished, THRESHOLD } from './disclosure-control.js';
import type { Area, PublishedFigures } from './published-tables.js';
import { DIMENSIONS, GRADE_BANDS } from './workforce.categories.js';

interface AuditedPublication {
  contributions: readonly { council: Area; region: Area; version: string }[];
  figures: PublishedFigures;
}

const NATION_CODE = 'E92000001';
const ALL = 'all';
const TOTAL = 'total';

/** The hidden figures of the last publication that the others and it together give away, and they alone did not. */
export function newlyRecoverable(publications: readonly AuditedPublication[]): string[] {
  const before = new Set(pinnedHidden(publications, true));
  return pinnedHidden(publications, false).filter((key) => !before.has(key));
}

function pinnedHidden(publications: readonly AuditedPublication[], withholdLast: boolean): string[] {
  const lo = new Map<string, number>();
  const hi = new Map<string, number>();
  const relations: { parent: string; children: string[] }[] = [];
  const hidden = new Set<string>();
  const shown = new Set<string>();
  const know = (node: string, value: number | null) => {
    const bounds = value === null ? { lo: 0, hi: Infinity } : boundsOfPublished(value);
    lo.set(node, Math.max(lo.get(node) ?? 0, bounds.lo));
    hi.set(node, Math.min(hi.get(node) ?? Infinity, bounds.hi));
  };
  publications.forEach((publication, number) => {
    const versions = new Map(publication.contributions.map((entry) => [entry.council.code, entry.version]));
    const members = new Map<string, string[]>();
    for (const entry of publication.contributions)
      members.set(entry.region.code, [...(members.get(entry.region.code) ?? []), entry.council.code]);
    const withheld = withholdLast && number === publications.length - 1;
    for (const dimension of DIMENSIONS) {
      const node = (area: string, grade: string, category: string) => {
        const version = versions.get(area);
        const place = version === undefined ? `${number}:${area}` : `${area}@${version}`;
        return category === TOTAL ? `*|${place}|${grade}` : `${dimension.code}|${place}|${grade}|${category}`;
      };
      for (const [key, value] of Object.entries(publication.figures[dimension.code] ?? {})) {
        const [area, grade, category] = key.split('|') as [string, string, string];
        know(node(area, grade, category), withheld ? null : value);
        if (value === null) hidden.add(node(area, grade, category));
        else if (!withheld) shown.add(node(area, grade, category));
      }
      const categories = dimension.categories.map((category) => category.code);
      const areas = [...publication.contributions.map((entry) => entry.council.code), ...members.keys(), NATION_CODE];
      for (const area of areas) {
        for (const grade of [...GRADE_BANDS, ALL])
          relations.push({ parent: node(area, grade, TOTAL), children: categories.map((category) => node(area, grade, category)) });
        for (const category of [...categories, TOTAL])
          relations.push({ parent: node(area, ALL, category), children: GRADE_BANDS.map((grade) => node(area, grade, category)) });
        relations.push({
          parent: node(area, ALL, TOTAL),
          children: GRADE_BANDS.flatMap((grade) => categories.map((category) => node(area, grade, category))),
        });
      }
      for (const grade of [...GRADE_BANDS, ALL])
        for (const category of [...categories, TOTAL]) {
          for (const [region, councils] of members)
            relations.push({ parent: node(region, grade, category), children: councils.map((council) => node(council, grade, category)) });
          relations.push({
            parent: node(NATION_CODE, grade, category),
            children: [...members.keys()].map((region) => node(region, grade, category)),
          });
          relations.push({
            parent: node(NATION_CODE, grade, category),
            children: publication.contributions.map((entry) => node(entry.council.code, grade, category)),
          });
        }
    }
  });
  propagate(relations, lo, hi);
  return [...hidden].filter((key) => !shown.has(key) && (hi.get(key) ?? Infinity) - (lo.get(key) ?? 0) < THRESHOLD);
}

/** Narrows every node's bounds through every sum until nothing changes (bounded sweeps). */
function propagate(relations: readonly { parent: string; children: string[] }[], lo: Map<string, number>, hi: Map<string, number>): void {
  const low = (node: string) => lo.get(node) ?? 0;
  const high = (node: string) => hi.get(node) ?? Infinity;
  for (let sweep = 0, changed = true; changed && sweep < 2000; sweep += 1) {
    changed = false;
    for (const { parent, children } of relations) {
      const sumLo = children.reduce((sum, child) => sum + low(child), 0);
      const sumHi = children.reduce((sum, child) => sum + high(child), 0);
      if (sumLo > low(parent)) {
        lo.set(parent, sumLo);
        changed = true;
      }
      if (sumHi < high(parent)) {
        hi.set(parent, sumHi);
        changed = true;
      }
      for (const child of children) {
        const childLo = low(parent) - (sumHi - high(child));
        const childHi = high(parent) - (sumLo - low(child));
        if (Number.isFinite(childLo) && childLo > low(child)) {
          lo.set(child, childLo);
          changed = true;
        }
        if (childHi < high(child)) {
          hi.set(child, childHi);
          changed = true;
        }
      }
    }
  }
}
