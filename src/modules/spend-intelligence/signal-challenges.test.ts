import { describe, expect, it } from 'vitest';
import { findSignalChallenge, signalWords } from './signal-challenges.js';

describe('the challenge a signal suggests', () => {
  const challenges = [
    { id: 1, title: 'Buying library books together', problem: 'Several councils pay for the same books.' },
    { id: 2, title: 'Repairs to council homes take too long', problem: 'Tenants wait weeks for building repairs.' },
  ];
  const finder = { findSimilarChallenges: () => Promise.resolve(challenges) };

  it('keeps only the words that say what was bought', () => {
    expect(signalWords(['ACME BUILDING SERVICES LTD', 'Building Repairs', null])).toEqual(['acme', 'building', 'repairs']);
    expect(signalWords(['ZEBRA TRADING LTD', 'Other'])).toEqual(['zebra']);
  });

  it('suggests a challenge that mentions one of them, and none rather than an unrelated one', async () => {
    expect(await findSignalChallenge(finder, ['repair'])).toMatchObject({ id: 2 });
    expect(await findSignalChallenge(finder, ['zebra'])).toBeNull();
    expect(await findSignalChallenge(finder, [])).toBeNull();
    expect(await findSignalChallenge(undefined, ['repair'])).toBeNull();
  });
});
