/**
 * Statistical disclosure control for published count tables, as a small pure component.
 *
 * The published figures of a year are cells, each the sum of some people; `relations` say which cells add up
 * to which (a region is the sum of its councils, "all grades" the sum of the grade bands, a total the sum of its
 * categories, an earlier publication's region the sum of the councils it then held). The rules:
 *
 * - primary suppression: a count from 0 to 9 is not published;
 * - every other count is rounded to the nearest 5 (totals too, from unrounded data, so tables need not add up);
 * - secondary suppression: more cells are hidden until no hidden cell can be worked out to within 10, by an
 *   attacker who knows every published figure (its rounding included), every earlier publication, and that
 *   counts are whole numbers of at least 0, and who propagates bounds through every relation to a fixed point.
 *
 * Published counts are known to the attacker as [max(10, r − 2), r + 2]; hidden ones only as [0, ∞).
 */

/** The smallest count published, and the width an attacker's interval must keep for every hidden cell. */
export const THRESHOLD = 10;
export const ROUNDING_BASE = 5;

export interface ControlCell {
  /** The true (unrounded) count. */
  value: number;
  /** Hidden whatever its value (for example because another table hides the same figure). */
  forceSuppressed?: boolean;
  /**
   * Already published earlier: the cell's fate is not ours to decide, and the attacker knows these bounds.
   * Cells shared with this publication are not fixed; give them `known` instead.
   */
  fixed?: { lo: number; hi: number };
  /** Bounds the attacker learnt from earlier publications about a cell we still decide. */
  known?: { lo: number; hi: number };
  /** Cost of hiding this cell as a secondary suppression (lower is hidden first). Defaults to its value. */
  weight?: number;
}

export interface Relation {
  parent: number;
  children: readonly number[];
}

export type CellStatus = 'published' | 'primary' | 'secondary' | 'fixed';

export interface ControlResult {
  status: CellStatus[];
  /** The published (rounded) value, or null when hidden or fixed. */
  published: (number | null)[];
  /** Hidden cells that could not be protected (only possible when earlier publications already gave them away). */
  unprotected: number[];
}

/** Rounds a publishable count to the nearest multiple of five. */
export function roundCount(value: number): number {
  return Math.round(value / ROUNDING_BASE) * ROUNDING_BASE;
}

/** What the attacker learns from one published (rounded) figure. */
export function boundsOfPublished(rounded: number): { lo: number; hi: number } {
  const half = Math.floor(ROUNDING_BASE / 2);
  return { lo: Math.max(THRESHOLD, rounded - half), hi: rounded + half };
}

interface Bounds {
  lo: Float64Array;
  hi: Float64Array;
}

/** Index from each cell to the relations it takes part in. */
export function relationsByCell(cellCount: number, relations: readonly Relation[]): number[][] {
  const index: number[][] = Array.from({ length: cellCount }, () => []);
  relations.forEach((relation, position) => {
    index[relation.parent]?.push(position);
    for (const child of relation.children) index[child]?.push(position);
  });
  return index;
}

/**
 * Interval propagation to a fixed point: each relation `parent = Σ children` narrows the parent to the sum of
 * the children's bounds and each child to the parent's bounds less the others'. Sound: the true values always
 * stay inside. Bounds are narrowed in place.
 */
export function propagateBounds(bounds: Bounds, relations: readonly Relation[], byCell: readonly number[][], maxSteps?: number): void {
  const { lo, hi } = bounds;
  const queued = new Uint8Array(relations.length).fill(1);
  const queue: number[] = relations.map((_, position) => position);
  let head = 0;
  const limit = maxSteps ?? relations.length * 400;
  const narrow = (cell: number, newLo: number, newHi: number) => {
    let changed = false;
    if (newLo > (lo[cell] as number) + 1e-9) {
      lo[cell] = Math.ceil(newLo - 1e-9);
      changed = true;
    }
    if (newHi < (hi[cell] as number) - 1e-9) {
      hi[cell] = Math.floor(newHi + 1e-9);
      changed = true;
    }
    if (!changed) return;
    for (const position of byCell[cell] ?? []) {
      if (!queued[position]) {
        queued[position] = 1;
        queue.push(position);
      }
    }
  };
  for (let steps = 0; head < queue.length && steps < limit; steps += 1) {
    const position = queue[head++] as number;
    queued[position] = 0;
    const { parent, children } = relations[position] as Relation;
    let sumLo = 0;
    let finiteHi = 0;
    let infinite = 0;
    for (const child of children) {
      sumLo += lo[child] as number;
      const childHi = hi[child] as number;
      if (childHi === Infinity) infinite += 1;
      else finiteHi += childHi;
    }
    narrow(parent, sumLo, infinite > 0 ? Infinity : finiteHi);
    const parentLo = lo[parent] as number;
    const parentHi = hi[parent] as number;
    for (const child of children) {
      const childLo = lo[child] as number;
      const childHi = hi[child] as number;
      const othersInfinite = infinite - (childHi === Infinity ? 1 : 0);
      const othersHi = othersInfinite > 0 ? Infinity : finiteHi - (childHi === Infinity ? 0 : childHi);
      narrow(child, parentLo - othersHi, parentHi - (sumLo - childLo));
    }
    if (head > 65_536) {
      queue.splice(0, head);
      head = 0;
    }
  }
}

/** What an attacker knows before reasoning: each cell's bounds from what is (or was) published. */
function knowledgeOf(cells: readonly ControlCell[], status: readonly CellStatus[], published: readonly (number | null)[]): Bounds {
  const lo = new Float64Array(cells.length);
  const hi = new Float64Array(cells.length).fill(Infinity);
  cells.forEach((cell, index) => {
    const given = cell.fixed ?? (status[index] === 'published' ? boundsOfPublished(published[index] as number) : undefined);
    if (given) {
      lo[index] = given.lo;
      hi[index] = given.hi;
    }
    if (cell.known) {
      lo[index] = Math.max(lo[index] as number, cell.known.lo);
      hi[index] = Math.min(hi[index] as number, cell.known.hi);
    }
  });
  return { lo, hi };
}

const isHidden = (status: CellStatus | undefined, cell: ControlCell | undefined) =>
  status === 'primary' || status === 'secondary' || (status === 'fixed' && cell?.fixed?.hi === Infinity);

/** The bounds one relation alone gives a cell, from the others' current bounds. */
function boundsFromRelation(cell: number, relation: Relation, bounds: Bounds): { lo: number; hi: number } {
  const { lo, hi } = bounds;
  if (relation.parent === cell) {
    let sumLo = 0;
    let sumHi = 0;
    for (const child of relation.children) {
      sumLo += lo[child] as number;
      sumHi += hi[child] as number;
    }
    return { lo: sumLo, hi: sumHi };
  }
  let othersLo = 0;
  let othersHi = 0;
  for (const child of relation.children) {
    if (child === cell) continue;
    othersLo += lo[child] as number;
    othersHi += hi[child] as number;
  }
  return { lo: Math.max(0, (lo[relation.parent] as number) - othersHi), hi: (hi[relation.parent] as number) - othersLo };
}

/**
 * Decides which cells to publish (rounded) and which to hide so that no hidden cell, old or new, can be worked
 * out to within 10 from everything published. Greedy: hide the cheapest published partner in each relation that
 * pins an exposed cell, audit again, repeat.
 */
export function controlDisclosure(cells: readonly ControlCell[], relations: readonly Relation[]): ControlResult {
  const status: CellStatus[] = cells.map((cell) =>
    cell.fixed ? 'fixed' : cell.forceSuppressed ? 'secondary' : cell.value < THRESHOLD ? 'primary' : 'published',
  );
  const published: (number | null)[] = cells.map((cell, index) => (status[index] === 'published' ? roundCount(cell.value) : null));
  const byCell = relationsByCell(cells.length, relations);
  const weight = (index: number) => cells[index]?.weight ?? cells[index]?.value ?? 0;
  const hide = (index: number): boolean => {
    if (status[index] !== 'published') return false;
    status[index] = 'secondary';
    published[index] = null;
    return true;
  };
  const disclosedBefore = disclosedByEarlierPublications(cells, relations, byCell);
  let exposed: number[] = [];
  for (let round = 0; round < cells.length + 1; round += 1) {
    const bounds = knowledgeOf(cells, status, published);
    propagateBounds(bounds, relations, byCell);
    exposed = exposedCells(cells, status, bounds).filter((cell) => !disclosedBefore.has(cell));
    if (exposed.length === 0) break;
    let changed = false;
    for (const cell of exposed) changed = protectCell(cell, { relations, byCell, bounds, status, weight, hide }) || changed;
    if (!changed) changed = hideAround(exposed, relations, byCell, status, hide);
    if (!changed) break;
  }
  return { status, published, unprotected: exposed };
}

/**
 * What an attacker can work out of every cell once a publication is decided: for tables that share cells (the
 * headcount appears in every dimension's table), so one table's control can take in what the others give away.
 */
export function boundsAfterPublication(cells: readonly ControlCell[], relations: readonly Relation[], result: ControlResult): Bounds {
  const bounds = knowledgeOf(cells, result.status, result.published);
  propagateBounds(bounds, relations, relationsByCell(cells.length, relations));
  return bounds;
}

/**
 * Cells that earlier publications alone already pin to within 10 (a figure shown before, or equal to one): they
 * are no secret now, and hiding more cannot make them one again.
 */
function disclosedByEarlierPublications(
  cells: readonly ControlCell[],
  relations: readonly Relation[],
  byCell: readonly number[][],
): Set<number> {
  const disclosed = new Set<number>();
  if (!cells.some((cell) => cell.fixed || cell.known)) return disclosed;
  const hiddenNow: CellStatus[] = cells.map((cell) => (cell.fixed ? 'fixed' : 'secondary'));
  const bounds = knowledgeOf(cells, hiddenNow, []);
  propagateBounds(bounds, relations, byCell);
  cells.forEach((_, index) => {
    if ((bounds.hi[index] as number) - (bounds.lo[index] as number) < THRESHOLD) disclosed.add(index);
  });
  return disclosed;
}

function exposedCells(cells: readonly ControlCell[], status: readonly CellStatus[], bounds: Bounds): number[] {
  const exposed: number[] = [];
  for (let index = 0; index < cells.length; index += 1) {
    if (!isHidden(status[index], cells[index])) continue;
    if ((bounds.hi[index] as number) - (bounds.lo[index] as number) < THRESHOLD) exposed.push(index);
  }
  return exposed;
}

function protectCell(
  cell: number,
  context: {
    relations: readonly Relation[];
    byCell: readonly number[][];
    bounds: Bounds;
    status: readonly CellStatus[];
    weight: (index: number) => number;
    hide: (index: number) => boolean;
  },
): boolean {
  const { relations, byCell, bounds, status, weight, hide } = context;
  const positions = byCell[cell] ?? [];
  const pinning = positions.filter((position) => {
    const given = boundsFromRelation(cell, relations[position] as Relation, bounds);
    return given.hi - (bounds.lo[cell] as number) < THRESHOLD || (bounds.hi[cell] as number) - given.lo < THRESHOLD;
  });
  let changed = false;
  for (const position of pinning.length > 0 ? pinning : positions) {
    const relation = relations[position] as Relation;
    // Prefer hiding a sibling (or a child, when the exposed cell is the total) over hiding the relation's total.
    const partners = relation.parent === cell ? relation.children : relation.children.filter((child) => child !== cell);
    const candidates = partners.filter((member) => status[member] === 'published');
    if (candidates.length === 0 && relation.parent !== cell && status[relation.parent] === 'published') candidates.push(relation.parent);
    if (candidates.length === 0) continue;
    const best = candidates.reduce((chosen, candidate) => (weight(candidate) < weight(chosen) ? candidate : chosen));
    changed = hide(best) || changed;
  }
  return changed;
}

/**
 * When no partner of an exposed cell can be hidden (its relations hold only hidden or earlier-published cells),
 * walk out through the earlier publication's cells, level by level, and hide every published cell of the first
 * level that has any: those are the figures that pin it.
 */
function hideAround(
  exposed: readonly number[],
  relations: readonly Relation[],
  byCell: readonly number[][],
  status: readonly CellStatus[],
  hide: (index: number) => boolean,
): boolean {
  const seen = new Set<number>(exposed);
  let level = [...exposed];
  while (level.length > 0) {
    let changed = false;
    const next: number[] = [];
    for (const cell of level)
      for (const position of byCell[cell] ?? []) {
        const relation = relations[position] as Relation;
        for (const member of [relation.parent, ...relation.children]) {
          if (hide(member)) changed = true;
          else if (status[member] === 'fixed' && !seen.has(member)) {
            seen.add(member);
            next.push(member);
          }
        }
      }
    if (changed) return true;
    level = next;
  }
  return false;
}
