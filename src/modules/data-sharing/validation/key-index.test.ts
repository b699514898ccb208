import { describe, expect, it } from 'vitest';
import { KeyIndex } from './key-index.js';

describe('the key index', () => {
  it('gives the row where a key was first seen, for whole numbers dense or sparse and for other keys', () => {
    const index = new KeyIndex();
    const keys: unknown[] = [1, 2, 70_000, 5_000_000_000, -3, 2.5, 'ABC', 0, 1e9];
    keys.forEach((key, position) => expect(index.firstRowOrRemember(key, position + 2)).toBe(0));
    keys.forEach((key, position) => {
      expect(index.has(key)).toBe(true);
      expect(index.firstRowOrRemember(key, 100)).toBe(position + 2);
    });
    expect(index.has(3)).toBe(false);
    expect(index.has('abc')).toBe(false);
    expect(index.has(-2)).toBe(false);
  });

  it('still finds a number it kept aside once the dense range grows past it', () => {
    const index = new KeyIndex();
    // 600,000 is too far for an empty index: kept in the map; then many keys make the dense range reach it.
    expect(index.firstRowOrRemember(600_000, 2)).toBe(0);
    for (let key = 0; key < 100_000; key++) index.firstRowOrRemember(key, key + 3);
    expect(index.firstRowOrRemember(599_999, 9)).toBe(0);
    expect(index.has(600_000)).toBe(true);
    expect(index.firstRowOrRemember(600_000, 10)).toBe(2);
    expect(index.firstRowOrRemember(50_000, 10)).toBe(50_003);
  });
});
