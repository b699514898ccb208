import { GENERIC_WORDS, type NameProfile, REGION_WORDS, TRAILING_FORMS } from './supplier-names.js';

/*
 * How names are blocked for comparison: the keys under which supplier-resolution.ts looks for names that
 * compareSupplierNames may merge.
 */

/**
 * Keys that block names for comparison: the first four letters of each distinctive word of every reading (all
 * words, for a name made only of generic ones), and each reading's words run together. Two names that
 * compareSupplierNames could merge share at least one key.
 */
export function blockingKeys(profile: NameProfile): string[] {
  const keys = new Set<string>();
  for (const reading of [...profile.readings, ...profile.qualified]) {
    keys.add(`=${reading.joined}`);
    keys.add(`=${reading.words.join('')}`);
    const distinctive = reading.tokens.filter(
      (token) => !GENERIC_WORDS.has(token) && !TRAILING_FORMS.has(token) && !REGION_WORDS.has(token) && token.length >= 3,
    );
    for (const token of distinctive.length > 0 ? distinctive : reading.tokens) keys.add(token.slice(0, 4));
  }
  return [...keys];
}

/**
 * Pairs of word starts by which published suppliers are fetched for a new name, all of a request's names in one
 * statement: each pair of the (up to) three longest distinctive words of its readings, so that one mistyped or
 * abbreviated word still leaves a pair in common with another way of writing it; a name with one such word gives
 * that word twice.
 */
export function candidateBlocks(profile: NameProfile): [string, string][] {
  const words = new Set<string>();
  for (const reading of profile.readings) {
    const distinctive = reading.tokens.filter(
      (token) => !GENERIC_WORDS.has(token) && !TRAILING_FORMS.has(token) && !REGION_WORDS.has(token) && token.length >= 3,
    );
    for (const token of distinctive.length > 0 ? distinctive : reading.tokens.filter((token) => token.length >= 3)) words.add(token);
  }
  // Four letters, as blockingKeys: a stem's changed end ("FAMILIES", FAMILY) stays out of them. Measured, six letters
  // of long words were no faster and found fewer matches.
  const longest = [...words].sort((a, b) => b.length - a.length || a.localeCompare(b));
  const keys = [...new Set(longest.map((word) => word.slice(0, 4)))].slice(0, 3);
  if (keys.length === 1) return [[keys[0] ?? '', keys[0] ?? '']];
  const blocks: [string, string][] = [];
  for (let i = 0; i < keys.length; i++) for (let j = i + 1; j < keys.length; j++) blocks.push([keys[i] ?? '', keys[j] ?? '']);
  return blocks;
}
