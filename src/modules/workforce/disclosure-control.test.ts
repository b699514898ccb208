import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundsOfPublished, controlDisclosure, roundCount, THRESHOLD } from './disclosure-control.js';
import {
  ALL_GRADES,
  type Area,
  cellKey,
  type Contribution,
  controlYear,
  type EarlierPublication,
  NATION,
  type PublishedFigures,
  TOTAL,
} from './published-tables.js';
import { DIMENSIONS, emptyCounts, GRADE_BANDS, type ReturnCounts } from './workforce.categories.js';

/** A small deterministic generator, so one fast-check integer makes a whole world (and shrinks to a simpler one). */
function randomSource(seed: number) {
  let state = seed >>> 0 || 1;
  return (below: number) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % below;
  };
}

/** Counts for a team of random size per grade, each dimension split at random among its categories. */
function randomCounts(random: (below: number) => number, maxPerGrade: number): ReturnCounts {
  const counts = emptyCounts();
  for (const grade of GRADE_BANDS) {
    const headcount = random(maxPerGrade + 1);
    counts.headcount[grade] = headcount;
    for (const dimension of DIMENSIONS) {
      const cells = counts.dimensions[dimension.code]?.[grade] as Record<string, number>;
      const codes = dimension.categories.map((category) => category.code);
      // Skewed, as real teams are: most people in one or two categories.
      for (let person = 0; person < headcount; person += 1) {
        const code = random(3) === 0 ? (codes[random(codes.length)] as string) : (codes[random(2)] as string);
        cells[code] = (cells[code] ?? 0) + 1;
      }
    }
  }
  return counts;
}

interface World {
  regions: Area[];
  councils: { council: Area; region: Area; counts: ReturnCounts; version: string }[];
}

function randomWorld(seed: number, councilCount: number, maxPerGrade: number): World {
  const random = randomSource(seed);
  const regions = [
    { code: 'E12000001', name: 'North East' },
    { code: 'E12000002', name: 'North West' },
  ];
  const councils = Array.from({ length: councilCount }, (_, index) => ({
    council: { code: `E0600${String(index).padStart(4, '0')}`, name: `Council ${index}` },
    region: regions[index % 2] as Area,
    counts: randomCounts(random, random(4) === 0 ? 2 : maxPerGrade),
    version: `v${index}`,
  }));
  return { regions, councils };
}

/**
 * The attacker: everything published (this year and before), every relation between published cells, also
 * the flattened ones (a region as the sum of all its councils' grade cells...), and interval propagation to a
 * fixed point. Written apart from the component's own audit, and with more relations than it uses.
 */
function attack(
  publications: { contributions: readonly { council: Area; region: Area; version: string }[]; figures: PublishedFigures }[],
  { withholdLast = false } = {},
): { key: string; lo: number; hi: number }[] {
  const lo = new Map<string, number>();
  const hi = new Map<string, number>();
  const relations: { parent: string; children: string[] }[] = [];
  const hidden: string[] = [];
  const shown = new Set<string>();
  const know = (node: string, value: number | null) => {
    const bounds = value === null ? { lo: 0, hi: Infinity } : boundsOfPublished(value);
    lo.set(node, Math.max(lo.get(node) ?? 0, bounds.lo));
    hi.set(node, Math.min(hi.get(node) ?? Infinity, bounds.hi));
  };
  publications.forEach((publication, number) => {
    const versions = new Map(publication.contributions.map((entry) => [entry.council.code, entry.version]));
    const regionsOf = new Map<string, string[]>();
    for (const entry of publication.contributions)
      regionsOf.set(entry.region.code, [...(regionsOf.get(entry.region.code) ?? []), entry.council.code]);
    for (const dimension of DIMENSIONS) {
      const node = (area: string, grade: string, category: string) => {
        const version = versions.get(area);
        const place = version === undefined ? `${number}:${area}` : `${area}@${version}`;
        return category === TOTAL ? `*|${place}|${grade}|total` : `${dimension.code}|${place}|${grade}|${category}`;
      };
      for (const [key, value] of Object.entries(publication.figures[dimension.code] ?? {})) {
        const [area, grade, category] = key.split('|') as [string, string, string];
        know(node(area, grade, category), withholdLast && number === publications.length - 1 ? null : value);
        if (value === null) hidden.push(node(area, grade, category));
        else shown.add(node(area, grade, category));
      }
      const categories = dimension.categories.map((category) => category.code);
      const allCategories = [...categories, TOTAL];
      const areas = [...publication.contributions.map((entry) => entry.council.code), ...regionsOf.keys(), NATION.code];
      for (const area of areas) {
        for (const grade of [...GRADE_BANDS, ALL_GRADES])
          relations.push({ parent: node(area, grade, TOTAL), children: categories.map((category) => node(area, grade, category)) });
        for (const category of allCategories)
          relations.push({ parent: node(area, ALL_GRADES, category), children: GRADE_BANDS.map((grade) => node(area, grade, category)) });
        relations.push({
          parent: node(area, ALL_GRADES, TOTAL),
          children: GRADE_BANDS.flatMap((grade) => categories.map((category) => node(area, grade, category))),
        });
      }
      for (const grade of [...GRADE_BANDS, ALL_GRADES])
        for (const category of allCategories) {
          for (const [region, members] of regionsOf)
            relations.push({ parent: node(region, grade, category), children: members.map((member) => node(member, grade, category)) });
          relations.push({
            parent: node(NATION.code, grade, category),
            children: [...regionsOf.keys()].map((region) => node(region, grade, category)),
          });
          relations.push({
            parent: node(NATION.code, grade, category),
            children: publication.contributions.map((entry) => node(entry.council.code, grade, category)),
          });
        }
    }
  });
  const get = (map: Map<string, number>, node: string, fallback: number) => map.get(node) ?? fallback;
  for (let sweep = 0, changed = true; changed && sweep < 5000; sweep += 1) {
    changed = false;
    for (const { parent, children } of relations) {
      const sumLo = children.reduce((sum, child) => sum + get(lo, child, 0), 0);
      const sumHi = children.reduce((sum, child) => sum + get(hi, child, Infinity), 0);
      const narrow = (map: Map<string, number>, node: string, value: number, better: boolean) => {
        if (!better) return;
        map.set(node, value);
        changed = true;
      };
      narrow(lo, parent, sumLo, sumLo > get(lo, parent, 0));
      narrow(hi, parent, sumHi, sumHi < get(hi, parent, Infinity));
      for (const child of children) {
        const childLo = get(lo, parent, 0) - (sumHi - get(hi, child, Infinity));
        const childHi = get(hi, parent, Infinity) - (sumLo - get(lo, child, 0));
        narrow(lo, child, childLo, Number.isFinite(childLo) && childLo > get(lo, child, 0));
        narrow(hi, child, childHi, childHi < get(hi, child, Infinity));
      }
    }
  }
  // A figure shown by any publication is no secret; every other hidden one must stay unknown.
  return [...new Set(hidden)].filter((key) => !shown.has(key)).map((key) => ({ key, lo: get(lo, key, 0), hi: get(hi, key, Infinity) }));
}

const contributionsOf = (world: World): Contribution[] => world.councils.map((entry) => ({ ...entry }));

describe('disclosure control of one relation', () => {
  it('rounds publishable counts to the nearest 5 and hides counts from 0 to 9', () => {
    const result = controlDisclosure([{ value: 37 }, { value: 3 }, { value: 22 }, { value: 12 }], [{ parent: 0, children: [1, 2, 3] }]);
    expect(result.status[1]).toBe('primary');
    expect(result.published[0]).toBe(35);
    expect(result.published[1]).toBeNull();
    // The 3 alone would be the total less the others; one more cell (the smaller, 12) is hidden with it.
    expect(result.status[3]).toBe('secondary');
    expect(result.published[2]).toBe(20);
    expect(result.unprotected).toEqual([]);
  });

  it('rounds with the rule the attacker is told', () => {
    fc.assert(
      fc.property(fc.integer({ min: THRESHOLD, max: 100_000 }), (value) => {
        const rounded = roundCount(value);
        const bounds = boundsOfPublished(rounded);
        expect(rounded % 5).toBe(0);
        expect(value).toBeGreaterThanOrEqual(bounds.lo);
        expect(value).toBeLessThanOrEqual(bounds.hi);
      }),
    );
  });
});

describe('published tables of a year', () => {
  it('a council with a digital team of three publishes nothing identifying, and still counts in its region', () => {
    const world = randomWorld(7, 8, 12);
    const small = world.councils[0] as World['councils'][number];
    small.counts = emptyCounts();
    small.counts.headcount.practitioner = 3;
    for (const dimension of DIMENSIONS) {
      const cells = small.counts.dimensions[dimension.code]?.practitioner as Record<string, number>;
      cells[dimension.categories[0]?.code as string] = 3;
    }
    const result = controlYear(contributionsOf(world));
    for (const dimension of DIMENSIONS)
      for (const [key, value] of Object.entries(result.figures[dimension.code] ?? {}))
        if (key.startsWith(`${small.council.code}|`)) expect(value, key).toBeNull();
    const regionCouncils = world.councils.filter((entry) => entry.region.code === small.region.code);
    const regionHeadcount = regionCouncils.reduce(
      (sum, entry) => sum + GRADE_BANDS.reduce((total, grade) => total + entry.counts.headcount[grade], 0),
      0,
    );
    const published = result.figures.ethnicity?.[cellKey(small.region.code, ALL_GRADES, TOTAL)];
    expect(regionHeadcount).toBeGreaterThanOrEqual(THRESHOLD);
    if (published !== null) expect(published).toBe(roundCount(regionHeadcount));
    expect(attack([{ contributions: world.councils, figures: result.figures }]).filter((cell) => cell.hi - cell.lo < THRESHOLD)).toEqual(
      [],
    );
  });

  it('no hidden cell is recoverable to within 10 from all published tables of a year', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 1, max: 20 }),
        (seed, councils, size) => {
          const world = randomWorld(seed, councils, size);
          const result = controlYear(contributionsOf(world));
          expect(result.unprotected).toBe(0);
          const recovered = attack([{ contributions: world.councils, figures: result.figures }]).filter(
            (cell) => cell.hi - cell.lo < THRESHOLD,
          );
          expect(recovered).toEqual([]);
          // Nothing from 1 to 9 is ever published.
          for (const figures of Object.values(result.figures))
            for (const value of Object.values(figures)) if (value !== null) expect(value).toBeGreaterThanOrEqual(THRESHOLD);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('differencing against an earlier publication of the year (a late return, a correction) recovers nothing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 3, max: 6 }), fc.boolean(), (seed, councils, correct) => {
        const world = randomWorld(seed, councils, 15);
        const random = randomSource(seed ^ 0x5bd1e995);
        // First publication without the last council's return.
        const firstContributions = contributionsOf(world).slice(0, -1);
        const first = controlYear(firstContributions);
        const earlier: EarlierPublication[] = [{ contributions: firstContributions, figures: first.figures }];
        // Then the late return arrives, and perhaps one return is corrected.
        const second = contributionsOf(world);
        if (correct) {
          const corrected = second[0] as Contribution;
          second[0] = { ...corrected, version: `${corrected.version}-corrected`, counts: randomCounts(random, 15) };
        }
        const result = controlYear(second, earlier);
        expect(result.unprotected).toBe(0);
        const publications = [
          { contributions: firstContributions, figures: first.figures },
          { contributions: second, figures: result.figures },
        ];
        // What the first publication alone gave away (a figure shown then, or equal to one) is no new secret.
        const before = new Set(
          attack(publications, { withholdLast: true })
            .filter((cell) => cell.hi - cell.lo < THRESHOLD)
            .map((cell) => cell.key),
        );
        const recovered = attack(publications).filter((cell) => cell.hi - cell.lo < THRESHOLD && !before.has(cell.key));
        expect(recovered).toEqual([]);
      }),
      { numRuns: 12 },
    );
  });
});
