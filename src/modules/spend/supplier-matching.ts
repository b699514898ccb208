import { normaliseSupplierName } from './ingest/index.js';
import { firstWordMistyped, jaroWinkler, tokensAlike, typingDistance } from './supplier-likeness.js';
import { GENERIC_WORDS, type NameProfile, type NameReading, nameProfile } from './supplier-names.js';
import {
  CUT_MID_WORD_LENGTH,
  OMITTED_KIND_WORDS,
  SCHOOL_WORDS,
  cutAfterWord,
  cutOff,
  genericOrder,
  homeKindAdded,
  houseOfHome,
  initialsReordered,
  isBranchWord,
  isWordAndKind,
  sameWordsTurned,
  omittedAtKind,
  reordersKind,
} from './supplier-name-shapes.js';

export { jaroWinkler } from './supplier-likeness.js';
export { blockingKeys } from './supplier-blocking.js';
export { type NameProfile, nameProfile } from './supplier-names.js';

/** pg_trgm similarity from which two names that share no distinctive word still go to a person to decide. */
export const REVIEW_SIMILARITY = 0.6;

/** How two raw names would be treated: 'same' (equal normalised names), 'merge', 'review' or 'separate'. */
export function classifySupplierPair(rawA: string, rawB: string): 'same' | PairVerdict {
  if (normaliseSupplierName(rawA) === normaliseSupplierName(rawB)) return 'same';
  return compareSupplierNames(nameProfile(rawA), nameProfile(rawB)).verdict;
}

/** A company number as Companies House writes it (8 characters, zero-padded), or null when the cell holds none. */
export function cleanCompanyNumber(raw: string | null): string | null {
  if (!raw) return null;
  let value = raw.toUpperCase().replace(/[\s.-]/g, '');
  if (/^\d{1,8}$/.test(value)) value = value.padStart(8, '0');
  if (!/^([A-Z]{2}\d{6}|\d{8})$/.test(value) || /^0+$/.test(value)) return null;
  return value;
}

/** A UK VAT number as 9 or 12 digits without the GB prefix, or null when the cell holds none. */
export function cleanVatNumber(raw: string | null): string | null {
  if (!raw) return null;
  const value = raw
    .toUpperCase()
    .replace(/[\s.-]/g, '')
    .replace(/^GB/, '');
  if (!/^(\d{9}|\d{12})$/.test(value) || /^0+$/.test(value)) return null;
  return value;
}
// ---- Name matching (issue: normalise as people write names, block by tokens, score with several measures) ----
/** Words that people add or leave out of one supplier's name ("Woodlands Day Nursery"), given enough else agrees. */
const FILLER_WORDS = new Map([
  ['DAY', 2],
  ['PRIVATE', 2],
  ['CARE', 3],
  ['SERVICE', 2],
]);

/** Words of a firm's form that say nothing of which firm it is: "& SONS", "BROTHERS". */
const FIRM_WORDS = new Set(['SON', 'BROTHER']);

/** A name of a person or a family's firm: initials before it ("C P DAVIDSON"), or "& SONS". */
function namesAPerson(reading: NameReading): boolean {
  return reading.withoutInitials !== null || reading.tokens.some((token) => FIRM_WORDS.has(token));
}

/** Bodies that others serve: a school, not a trade. */
const INSTITUTION_WORDS = new Set([...SCHOOL_WORDS, 'UNIVERSITY', 'HOSPITAL', 'COUNCIL', 'CHURCH']);

/**
 * The word at an index ends its name after a body that others serve: "CARDINAL SCHOOL SERVICES" is a company that
 * serves the school, not the school; "HUMPTY DUMPTY CHILDCARE SERVICES" is the childcare.
 */
function servesInstitution(tokens: readonly string[], at: number): boolean {
  return at === tokens.length - 1 && at > 0 && INSTITUTION_WORDS.has(tokens[at - 1] ?? '');
}

interface ReadingComparison {
  /** Words of each side matched to a word of the other. */
  matchedWords: number;
  /** Matched words that tell the name apart: not generic, not initials, not matched only as another name's typing. */
  distinctive: number;
  /** Distinctive words left unmatched on each side. */
  leftA: number;
  leftB: number;
  /** Generic words left unmatched (filler words excepted when enough else agrees). */
  genericLeft: number;
  genericWords: string[];
}

/** Blocks two readings' words against each other: equal, cut off, or mistyped words match. */
function compareReadings(a: NameReading, b: NameReading, cutA: boolean, cutB: boolean): ReadingComparison {
  const used = new Array<boolean>(b.tokens.length).fill(false);
  const leftOver: [word: string, servesInstitution: boolean][] = [];
  let matchedWords = 0;
  let distinctive = 0;
  let leftA = 0;
  const personal = namesAPerson(a) || namesAPerson(b);
  a.tokens.forEach((token, i) => {
    const j = b.tokens.findIndex(
      (other, k) =>
        !used[k] &&
        // A word cut off by a ledger ends its name, after the words before it: it cannot stand for an earlier word.
        tokensAlike(token, other, cutA && i === a.tokens.length - 1 && k >= i, cutB && k === b.tokens.length - 1 && i >= k, i > 0 && k > 0),
    );
    // A mistyped first word matches, but tells nothing: the other words must tell the names apart ("PIPKINS", "PIPPINS").
    const mistyped = j < 0 && i === 0 && !used[0] && firstWordMistyped(token, b.tokens[0] ?? '') ? 0 : -1;
    if (j >= 0 || mistyped === 0) {
      used[j >= 0 ? j : 0] = true;
      matchedWords++;
      // A word matched only as mistyped may be another name: like a mistyped first word, it tells nothing when more
      // than a letter differs ("PANACHE", "PANACEA"), or when a letter differs in a person's name ("DAVIDSON", "DAVISON").
      const typed = j >= 0 ? typingDistance(token, b.tokens[j] ?? '') : 0;
      if (!GENERIC_WORDS.has(token) && !FIRM_WORDS.has(token) && !/^[A-Z]{1,2}$/.test(token) && j >= 0 && typed < (personal ? 1 : 2))
        distinctive++;
    } else if (cutA && i === a.tokens.length - 1 && /^[A-Z]$/.test(token)) return;
    else if (GENERIC_WORDS.has(token) || FILLER_WORDS.has(token) || OMITTED_KIND_WORDS.has(token))
      leftOver.push([token, servesInstitution(a.tokens, i)]);
    else leftA++;
  });
  let leftB = 0;
  b.tokens.forEach((token, k) => {
    if (used[k]) return;
    if (cutB && k === b.tokens.length - 1 && /^[A-Z]$/.test(token)) return;
    if (GENERIC_WORDS.has(token) || FILLER_WORDS.has(token) || OMITTED_KIND_WORDS.has(token))
      leftOver.push([token, servesInstitution(b.tokens, k)]);
    else leftB++;
  });
  // DAY and PRIVATE are added to or left out of a nursery's name ("ELITE DAY SERVICES" is not "ELITE SERVICES").
  const nursery = a.tokens.includes('NURSERY') || b.tokens.includes('NURSERY');
  const genericWords = leftOver
    .filter(
      ([word, serves]) =>
        serves || matchedWords < ((word === 'DAY' || word === 'PRIVATE') && !nursery ? Infinity : (FILLER_WORDS.get(word) ?? Infinity)),
    )
    .map(([word]) => word);
  return { matchedWords, distinctive, leftA, leftB, genericLeft: genericWords.length, genericWords };
}

export type PairVerdict = 'merge' | 'review' | 'separate';

/**
 * Scores two names with several measures and says what to do with the pair: 'merge' when they differ only in
 * the ways ledgers write one name (legal forms, "&"/AND, plurals, spacing, word order, abbreviations, typing
 * errors in long words, a cut-off end, a bracket of initials), 'review' when they share distinctive words or
 * are alike as pg_trgm sees them, else 'separate'. Names of one word merge only when equal, as written.
 */
export function compareSupplierNames(a: NameProfile, b: NameProfile): { verdict: PairVerdict; score: number } {
  let best: { verdict: PairVerdict; score: number } = { verdict: 'separate', score: 0 };
  if (!worthComparing(a, b)) return best;
  for (const ra of a.readings) {
    for (const rb of b.readings) {
      let found = compareOne(ra, rb, a.rawLength, b.rawLength);
      // Initials before one name only ("R BORRAS CONSTRUCTION", "BORRAS CONSTRUCTION"): the rest decides.
      const [initialled, plain] = ra.withoutInitials ? [ra.withoutInitials, rb] : [rb.withoutInitials, ra];
      if (
        found.verdict !== 'merge' &&
        initialled &&
        !plain.withoutInitials &&
        !/^[A-Z]{1,3}$/.test(plain.words[0] ?? '') &&
        initialled.tokens.length >= 2 &&
        initialled.tokens.some((token) => token.length >= 3 && !GENERIC_WORDS.has(token))
      ) {
        const bare = compareOne(initialled, plain, 0, 0);
        if (bare.verdict === 'merge') found = bare;
      }
      if (rank(found.verdict) > rank(best.verdict) || (found.verdict === best.verdict && found.score > best.score)) best = found;
    }
  }
  // A branch or account of one payee ("BRITISH GAS BUSINESS (GAS)") joins the payee written without one, but two
  // different qualifiers ("(IDE)", "(BOW)") may be two payees.
  if (best.verdict !== 'merge' && (a.qualified.length === 0) !== (b.qualified.length === 0)) {
    for (const ra of a.qualified.length > 0 ? a.qualified : a.readings) {
      for (const rb of b.qualified.length > 0 ? b.qualified : b.readings) {
        // The payee written without a qualifier must not carry a branch of its own ("HOME INSTEAD SENIOR CARE LUTON").
        const plain = a.qualified.length > 0 ? rb : ra;
        if (plain.tokens.length > (plain === ra ? rb : ra).tokens.length) continue;
        if (compareOne(ra, rb, a.rawLength, b.rawLength).verdict === 'merge') best = { verdict: 'merge', score: best.score };
      }
    }
  }
  // Two trading names of one legal body ("EDEN ACADEMY T/A HEXHAM PRIORY SCHOOL", "... T/A ALEXANDRA SCHOOL") are different payees.
  if (best.verdict === 'merge' && a.tradingAs && b.tradingAs && compareOne(a.tradingAs, b.tradingAs, 0, 0).verdict !== 'merge') {
    best = { verdict: 'review', score: best.score };
  }
  return best;
}

/** pg_trgm similarity from two sorted lists of distinct trigrams (NameReading.grams). */
function gramSimilarity(left: Uint16Array, right: Uint16Array): number {
  if (left.length === 0 || right.length === 0) return 0;
  let shared = 0;
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const a = left[i] ?? 0;
    const b = right[j] ?? 0;
    if (a === b) {
      shared++;
      i++;
      j++;
    } else if (a < b) i++;
    else j++;
  }
  return shared / (left.length + right.length - shared);
}

/** Below this trigram similarity between every reading of two names, and with no run-together form in common, they are not compared further. */
const PREFILTER_SIMILARITY = 0.2;

function worthComparing(a: NameProfile, b: NameProfile): boolean {
  for (const ra of a.readings) {
    for (const rb of b.readings) {
      if (ra.joined === rb.joined || ra.words.join('') === rb.words.join('')) return true;
      if (gramSimilarity(ra.grams, rb.grams) >= PREFILTER_SIMILARITY) return true;
    }
  }
  return false;
}

const rank = (verdict: PairVerdict) => (verdict === 'merge' ? 2 : verdict === 'review' ? 1 : 0);

function compareOne(a: NameReading, b: NameReading, rawA: number, rawB: number): { verdict: PairVerdict; score: number } {
  const trigram = gramSimilarity(a.grams, b.grams);
  if (a.tokens.length === 1 || b.tokens.length === 1) {
    if (a.words.join('') === b.words.join('')) return { verdict: 'merge', score: 1 };
    if (isWordAndKind(a, b) || isWordAndKind(b, a)) return { verdict: 'merge', score: trigram };
    return { verdict: trigram >= REVIEW_SIMILARITY ? 'review' : 'separate', score: trigram };
  }
  // The same letters spaced differently: "E ON NEXT ENERGY", "EON NEXT ENERGY".
  if (a.joined === b.joined || a.text.replaceAll(' ', '') === b.text.replaceAll(' ', '')) return { verdict: 'merge', score: 1 };
  const distinctiveCount = a.tokens.filter((token) => !GENERIC_WORDS.has(token) && token.length >= 3).length;
  // The same words in another order, the generic ones in the same order: a CARE HOME is not HOME CARE.
  // Partners' initials in another order are other partners: "B & J TRAVEL", "J AND B TRAVEL".
  const sameKind = genericOrder(a) === genericOrder(b) && !initialsReordered(a, b);
  if (distinctiveCount >= 1 && sameKind && sameWordsTurned(a, b)) return { verdict: 'merge', score: 1 };
  const whole = jaroWinkler(a.joined, b.joined);
  const aShorter = a.text.length <= b.text.length;
  const [short, long] = aShorter ? [a, b] : [b, a];
  const cut = cutOff(short, long, aShorter ? rawA : rawB);
  // A long name's last word may have been cut off ("HOSPITAL NHS T").
  const compared = compareReadings(
    a,
    b,
    Math.min(rawA, a.text.length + 4) >= CUT_MID_WORD_LENGTH,
    Math.min(rawB, b.text.length + 4) >= CUT_MID_WORD_LENGTH,
  );
  const { matchedWords, distinctive, leftA, leftB, genericLeft, genericWords } = compared;
  const overlap = matchedWords / Math.max(a.tokens.length, b.tokens.length);
  const score = (trigram + overlap + whole) / 3;
  // All words alike, in any order when two or more tell the name apart ("AUBURN JONATHON", "Jonathan Auburn").
  if (
    distinctive >= 1 &&
    leftA === 0 &&
    leftB === 0 &&
    genericLeft === 0 &&
    (whole >= 0.8 ? !reordersKind(a, b) && !initialsReordered(a, b) : distinctiveCount >= 2 && sameKind)
  ) {
    return { verdict: 'merge', score };
  }
  const fewerLeft = a.tokens.length <= b.tokens.length ? leftA : leftB;
  if (distinctive >= 1 && fewerLeft === 0 && cutAfterWord(a, b, rawA, rawB)) return { verdict: 'merge', score };
  // A word saying what kind of public body or firm it is ("BOROUGH", "COUNCIL", "NHS", "TRUST", "SOLICITORS"),
  // which people often leave out, missing from a name whose own words agree ("CALDERDALE METROPOLITAN COUNCIL").
  if (
    distinctive >= 1 &&
    matchedWords >= 2 &&
    leftA === 0 &&
    leftB === 0 &&
    genericLeft === 1 &&
    OMITTED_KIND_WORDS.has(genericWords[0] ?? '') &&
    omittedAtKind(genericWords[0] ?? '', a, b)
  ) {
    return { verdict: 'merge', score };
  }
  // What kind of home it is, written in one name only: "WILLOW HOUSE" and "WILLOW HOUSE R.H." (a residential home).
  if (distinctive >= 1 && matchedWords >= 2 && leftA === 0 && leftB === 0 && homeKindAdded(a, b, genericWords)) {
    return { verdict: 'merge', score };
  }
  if (distinctive >= 1 && leftA === 0 && leftB === 0 && (houseOfHome(a, b) || houseOfHome(b, a))) return { verdict: 'merge', score };
  // One word added at the end of a name that is distinctive by itself: a branch or a department ("ROYAL SCHOOL FOR THE DEAF DERBY").
  const added = long.tokens.length - short.tokens.length;
  if (
    added === 1 &&
    short.tokens.length >= 3 &&
    distinctive >= 2 &&
    (aShorter ? leftA : leftB) === 0 &&
    short.tokens.every((token, i) => tokensAlike(token, long.tokens[i] ?? '', false, false)) &&
    isBranchWord(long.tokens[long.tokens.length - 1] ?? '') &&
    // What a body is of or for is not its branch: "POLICE AND CRIME COMMISSIONER FOR DERBYSHIRE".
    !/\s(OF|FOR)\s\S+$/.test(long.text)
  ) {
    return { verdict: 'merge', score };
  }
  if (cut && distinctive >= 1 && (aShorter ? leftA : leftB) === 0) return { verdict: 'merge', score };
  if (distinctive >= 1 && leftA + leftB <= 1 && trigram >= 0.3) return { verdict: 'review', score };
  if (trigram >= REVIEW_SIMILARITY) return { verdict: 'review', score };
  return { verdict: 'separate', score };
}
