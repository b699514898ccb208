import { GENERIC_WORDS } from './supplier-names.js';

/*
 * Whether two words of payees' names are one word as people write it: equal, cut off, abbreviated, shortened or
 * mistyped. supplier-matching.ts compares names word by word with these.
 */

/** Jaro–Winkler similarity of two strings (0 to 1). */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = true;
      bMatched[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[j]) j++;
    if (a[i] !== b[j]) transpositions++;
    j++;
  }
  const jaro = (matches / a.length + matches / b.length + (matches - transpositions / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

export function tokensAlike(a: string, b: string, cutA: boolean, cutB: boolean, inner = false): boolean {
  if (a === b) return true;
  // A word after the first shortened to its start: "COMM" for COMMUNITY, "DEC" for DECORATIVE, "ENVIRO".
  if (inner && (isShortened(a, b) || isShortened(b, a))) return true;
  // One letter typed wrong, left out or added in a word after the first: "BOUOUGH", "RCOVERY".
  if (inner && Math.min(a.length, b.length) >= 6 && oneEditApart(a, b)) return true;
  // A word cut off at the end of a long name: "CONSTRUCTION" and "CONST".
  if ((cutA && a.length >= 2 && startsAs(b, a)) || (cutB && b.length >= 2 && startsAs(a, b))) return true;
  // An abbreviation: "CNST" for CONSTRUCTION, "ALLN" for ALLIANCE, "LGE" for LARGE.
  if (isAbbreviation(a, b) || isAbbreviation(b, a)) return true;
  // A typing error in a longer word: "REHABILLITATION", "COUNTYRYSIDE".
  return a.length >= 6 && b.length >= 6 && Math.abs(a.length - b.length) <= 1 && a[0] === b[0] && jaroWinkler(a, b) >= 0.94;
}

/**
 * How far apart two words alike as typed are, if only a typing error tells them apart (not a shortening or an
 * abbreviation): 1 for one letter changed, added or left out, 2 for more; 0 for equal or otherwise alike words, and
 * for a doubled letter written once.
 */
export function typingDistance(a: string, b: string): 0 | 1 | 2 {
  if (a === b || isShortened(a, b) || isShortened(b, a) || isAbbreviation(a, b) || isAbbreviation(b, a)) return 0;
  if (oneEditApart(a, b)) return doubledOnce(a, b) || doubledOnce(b, a) ? 0 : 1;
  return Math.abs(a.length - b.length) <= 1 && jaroWinkler(a, b) >= 0.94 ? 2 : 0;
}

/** A doubled letter of one word written once in the other, the commonest slip: "GUINNESS", "GUINESS". */
function doubledOnce(long: string, short: string): boolean {
  if (long.length !== short.length + 1) return false;
  let i = 0;
  while (i < short.length && long[i] === short[i]) i++;
  return long.slice(i + 1) === short.slice(i) && (long[i] === long[i - 1] || long[i] === long[i + 1]);
}

/** A word begins with another as written: "SUPPLIE" begins "SUPPLIES", read SUPPLY once stemmed. */
function startsAs(word: string, start: string): boolean {
  return word.startsWith(start) || (word.endsWith('Y') && `${word.slice(0, -1)}IES`.startsWith(start));
}

/** The first words of two names one letter apart, as typed: "OHOICE DSS LETTINGS", "TOBIL DYNAVOX". */
export function firstWordMistyped(a: string, b: string): boolean {
  return a.length === b.length && a.length >= 5 && !/\d/.test(a + b) && oneEditApart(a, b);
}

function isShortened(short: string, long: string): boolean {
  return (
    short.length >= 3 &&
    // A common word of names run together with another word is not its shortening: HOME and HOMECARE, CARE and
    // CAREWELL (EDUCATION and EDUCATIONAL are one word).
    !(GENERIC_WORDS.has(short) && long.length - short.length >= 3) &&
    long.length >= short.length + (short.length >= 5 ? 1 : 2) &&
    long.startsWith(short) &&
    !/\d/.test(short)
  );
}

function oneEditApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

function isAbbreviation(short: string, long: string): boolean {
  if (short.length < 3 || long.length < short.length + 2 || short[0] !== long[0] || /\d/.test(short)) return false;
  if (/[AEIOU]/.test(short.slice(1, -1))) return false;
  if (long.indexOf(short[1] ?? '', 1) > 3) return false;
  let at = 0;
  for (const letter of long) if (letter === short[at]) at++;
  return at === short.length;
}
