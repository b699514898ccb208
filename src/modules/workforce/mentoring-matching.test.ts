import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findBlockingPairs, groupRanks, matchMentoring, type MatchingMentee, type MatchingMentor } from './mentoring-matching.js';

/** Random lists with ties and gaps: each person lists some of the other side, in groups, some list nobody. */
const worldArbitrary = fc
  .record({ mentees: fc.integer({ min: 0, max: 25 }), mentors: fc.integer({ min: 0, max: 8 }) })
  .chain(({ mentees, mentors }) => {
    const list = (others: number, offset: number) =>
      fc
        .array(fc.tuple(fc.integer({ min: 0, max: Math.max(0, others - 1) }), fc.integer({ min: 0, max: 3 })), {
          maxLength: others === 0 ? 0 : others + 2,
        })
        .map((entries) => {
          const groups = new Map<number, number[]>();
          const seen = new Set<number>();
          for (const [other, group] of entries) {
            if (seen.has(other)) continue;
            seen.add(other);
            groups.set(group, [...(groups.get(group) ?? []), other + offset]);
          }
          return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([, ids]) => ids);
        });
    return fc.record({
      mentees: fc.tuple(...Array.from({ length: mentees }, () => list(mentors, 1000))),
      mentors: fc.tuple(...Array.from({ length: mentors }, () => fc.tuple(list(mentees, 0), fc.integer({ min: 0, max: 5 })))),
      bans: fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1000, max: 1010 })), { maxLength: 10 }),
    });
  })
  .map(({ mentees, mentors, bans }) => {
    const banned = new Set(bans.map(([mentee, mentor]) => `${mentor}:${mentee}`));
    const menteeList: MatchingMentee[] = mentees.map((preferences, index) => ({
      id: index,
      preferences: preferences.map((group) => group.filter((mentor) => !banned.has(`${mentor}:${index}`))),
    }));
    const mentorList: MatchingMentor[] = mentors.map(([preferences, capacity], index) => ({
      id: 1000 + index,
      capacity,
      preferences: preferences.map((group) => group.filter((mentee) => !banned.has(`${1000 + index}:${mentee}`))),
    }));
    return { mentees: menteeList, mentors: mentorList, banned };
  });

describe('stable matching with capacities', () => {
  it('is stable, keeps every capacity, and pairs only people who list each other (never a banned pair)', () => {
    fc.assert(
      fc.property(worldArbitrary, ({ mentees, mentors, banned }) => {
        const result = matchMentoring(mentees, mentors);
        expect(findBlockingPairs(mentees, mentors, result)).toEqual([]);
        for (const mentor of mentors)
          expect(result.pairs.filter((pair) => pair.mentor === mentor.id).length).toBeLessThanOrEqual(mentor.capacity);
        for (const pair of result.pairs) {
          expect(banned.has(`${pair.mentor}:${pair.mentee}`)).toBe(false);
          expect(groupRanks(mentees.find((mentee) => mentee.id === pair.mentee)?.preferences ?? []).has(pair.mentor)).toBe(true);
          expect(groupRanks(mentors.find((mentor) => mentor.id === pair.mentor)?.preferences ?? []).has(pair.mentee)).toBe(true);
        }
        const matchedMentees = result.pairs.map((pair) => pair.mentee);
        expect(new Set(matchedMentees).size).toBe(matchedMentees.length);
        expect(matchedMentees.length + result.unmatchedMentees.length).toBe(mentees.length);
      }),
      { numRuns: 300 },
    );
  });

  it('gives a mentee their first choice when that mentor has room, and leaves people with empty lists unmatched', () => {
    const result = matchMentoring(
      [
        { id: 1, preferences: [[10], [11]] },
        { id: 2, preferences: [[10]] },
        { id: 3, preferences: [] },
      ],
      [
        { id: 10, capacity: 1, preferences: [[2], [1]] },
        { id: 11, capacity: 2, preferences: [[1, 3]] },
      ],
    );
    expect(result.pairs).toEqual([
      { mentor: 10, mentee: 2 },
      { mentor: 11, mentee: 1 },
    ]);
    expect(result.unmatchedMentees).toEqual([3]);
    expect(result.mentorsWithSpace).toEqual([11]);
  });

  it('finds a blocking pair when one exists (the checker can fail)', () => {
    const mentees = [{ id: 1, preferences: [[10]] }];
    const mentors = [{ id: 10, capacity: 1, preferences: [[1]] }];
    expect(findBlockingPairs(mentees, mentors, { pairs: [], unmatchedMentees: [1], mentorsWithSpace: [10] })).toEqual([
      { mentor: 10, mentee: 1 },
    ]);
  });
});
