/**
 * Stable matching with capacities (the hospitals/residents problem), mentee-proposing deferred acceptance.
 * Pure. Preference lists may hold ties (groups of equally liked people) and may be empty; a pair is
 * acceptable only when each lists the other (bans are simply left out of both lists). Ties are broken by a
 * fixed order (each list's order within a group), so the result is stable for the broken order and therefore
 * weakly stable for the lists with ties: no mentor and mentee both strictly prefer each other to what they got.
 */

export interface MatchingMentee {
  id: number;
  /** Mentor ids, best first, in groups of equally liked ones. */
  preferences: readonly (readonly number[])[];
}

export interface MatchingMentor {
  id: number;
  capacity: number;
  /** Mentee ids, best first, in groups of equally liked ones. */
  preferences: readonly (readonly number[])[];
}

export interface MatchingResult {
  pairs: { mentor: number; mentee: number }[];
  unmatchedMentees: number[];
  /** Mentors with places left over. */
  mentorsWithSpace: number[];
}

/** Rank of each id in a tie-grouped list: its group's position (ties share it), or undefined when not listed. */
export function groupRanks(preferences: readonly (readonly number[])[]): Map<number, number> {
  const ranks = new Map<number, number>();
  preferences.forEach((group, position) => {
    for (const id of group) if (!ranks.has(id)) ranks.set(id, position);
  });
  return ranks;
}

/** Matches mentees to mentors: stable, within every mentor's capacity, and only between people who list each other. */
export function matchMentoring(mentees: readonly MatchingMentee[], mentors: readonly MatchingMentor[]): MatchingResult {
  const menteeIndex = indexOf(mentees.map((mentee) => mentee.id));
  const mentorIndex = indexOf(mentors.map((mentor) => mentor.id));
  // A mentor's strict order: position in its flattened list (ties broken by order within the group).
  const mentorRank = mentors.map((mentor) => {
    const rank = new Int32Array(mentees.length).fill(-1);
    let position = 0;
    for (const group of mentor.preferences)
      for (const id of group) {
        const index = menteeIndex.get(id);
        if (index !== undefined && rank[index] === -1) rank[index] = position++;
      }
    return rank;
  });
  const proposals = mentees.map((mentee) => {
    const list: number[] = [];
    for (const group of mentee.preferences)
      for (const id of group) {
        const index = mentorIndex.get(id);
        if (index !== undefined) list.push(index);
      }
    return list;
  });
  const next = new Int32Array(mentees.length);
  const held: number[][] = mentors.map(() => []); // a max-heap of mentee indices by the mentor's rank
  const free: number[] = mentees.map((_, index) => index).reverse();
  while (free.length > 0) {
    const mentee = free.pop() as number;
    const list = proposals[mentee] as number[];
    while ((next[mentee] as number) < list.length) {
      const position = next[mentee] as number;
      next[mentee] = position + 1;
      const mentor = list[position] as number;
      const rank = mentorRank[mentor] as Int32Array;
      const rankOf = rank[mentee] as number;
      if (rankOf < 0) continue;
      const heap = held[mentor] as number[];
      const capacity = Math.max(0, (mentors[mentor] as MatchingMentor).capacity);
      if (heap.length < capacity) {
        pushHeap(heap, mentee, rank);
        break;
      }
      if (capacity > 0 && rankOf < (rank[heap[0] as number] as number)) {
        const rejected = replaceTop(heap, mentee, rank);
        free.push(rejected);
        break;
      }
    }
  }
  const pairs: MatchingResult['pairs'] = [];
  const matched = new Uint8Array(mentees.length);
  held.forEach((heap, mentor) => {
    for (const mentee of [...heap].sort((a, b) => a - b)) {
      matched[mentee] = 1;
      pairs.push({ mentor: (mentors[mentor] as MatchingMentor).id, mentee: (mentees[mentee] as MatchingMentee).id });
    }
  });
  return {
    pairs,
    unmatchedMentees: mentees.filter((_, index) => !matched[index]).map((mentee) => mentee.id),
    mentorsWithSpace: mentors.filter((mentor, index) => (held[index] as number[]).length < mentor.capacity).map((mentor) => mentor.id),
  };
}

/** Position of each id: an array lookup when ids are small whole numbers (the usual case), else a map. */
function indexOf(ids: readonly number[]): { get: (id: number) => number | undefined } {
  const largest = ids.reduce((max, id) => Math.max(max, id), -1);
  if (ids.every((id) => Number.isInteger(id) && id >= 0) && largest < 50_000_000) {
    const table = new Int32Array(largest + 1).fill(-1);
    ids.forEach((id, index) => {
      if (table[id] === -1) table[id] = index;
    });
    return { get: (id) => (id >= 0 && id <= largest && (table[id] as number) >= 0 ? table[id] : undefined) };
  }
  const map = new Map<number, number>();
  ids.forEach((id, index) => {
    if (!map.has(id)) map.set(id, index);
  });
  return map;
}

function pushHeap(heap: number[], item: number, rank: Int32Array): void {
  heap.push(item);
  let child = heap.length - 1;
  while (child > 0) {
    const parent = (child - 1) >> 1;
    if ((rank[heap[parent] as number] as number) >= (rank[heap[child] as number] as number)) break;
    [heap[parent], heap[child]] = [heap[child] as number, heap[parent] as number];
    child = parent;
  }
}

/** Replaces the least preferred mentee (the top of the max-heap) and returns them. */
function replaceTop(heap: number[], item: number, rank: Int32Array): number {
  const top = heap[0] as number;
  heap[0] = item;
  let parent = 0;
  for (;;) {
    const left = parent * 2 + 1;
    const right = left + 1;
    let largest = parent;
    if (left < heap.length && (rank[heap[left] as number] as number) > (rank[heap[largest] as number] as number)) largest = left;
    if (right < heap.length && (rank[heap[right] as number] as number) > (rank[heap[largest] as number] as number)) largest = right;
    if (largest === parent) return top;
    [heap[parent], heap[largest]] = [heap[largest] as number, heap[parent] as number];
    parent = largest;
  }
}

/** Pairs in the result that someone could object to: a mentor and mentee who both strictly prefer each other. */
export function findBlockingPairs(
  mentees: readonly MatchingMentee[],
  mentors: readonly MatchingMentor[],
  result: MatchingResult,
): { mentor: number; mentee: number }[] {
  const menteeOf = new Map(result.pairs.map((pair) => [pair.mentee, pair.mentor]));
  const heldBy = new Map<number, number[]>();
  for (const pair of result.pairs) heldBy.set(pair.mentor, [...(heldBy.get(pair.mentor) ?? []), pair.mentee]);
  const blocking: { mentor: number; mentee: number }[] = [];
  for (const mentee of mentees) {
    const menteeRanks = groupRanks(mentee.preferences);
    const current = menteeOf.get(mentee.id);
    const currentRank = current === undefined ? Infinity : (menteeRanks.get(current) ?? Infinity);
    for (const mentor of mentors) {
      const rank = menteeRanks.get(mentor.id);
      if (rank === undefined || rank >= currentRank || mentor.id === current) continue;
      const mentorRanks = groupRanks(mentor.preferences);
      const mine = mentorRanks.get(mentee.id);
      if (mine === undefined) continue;
      const holding = heldBy.get(mentor.id) ?? [];
      const worst = Math.max(-1, ...holding.map((id) => mentorRanks.get(id) ?? Infinity));
      if (holding.length < mentor.capacity || mine < worst) blocking.push({ mentor: mentor.id, mentee: mentee.id });
    }
  }
  return blocking;
}
