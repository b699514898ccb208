import { tokensAlike } from './supplier-likeness.js';
import { GENERIC_WORDS, type NameReading, REGION_WORDS } from './supplier-names.js';

/*
 * Shapes of two names that tell whether they name one body: words in another order, the kind of body written in
 * one name only, a branch added, a ledger's cut-off end. supplier-matching.ts decides with these.
 */

/** Schools, each a payee of its own. */
export const SCHOOL_WORDS = new Set(['SCHOOL', 'ACADEMY', 'COLLEGE']);

/** Words that, added to a name, make another company of a group rather than a branch of it. */
const ENTITY_WORDS = new Set([
  'GROUP',
  'AUTHORITY',
  'COMMERCIAL',
  'HOLDING',
  'TRADING',
  'PROPERTY',
  'PAYMENT',
  'CAPITAL',
  'INVESTMENT',
  'ESTATE',
]);

/** A word added to a name that reads as a place or branch rather than another company. */
export function isBranchWord(word: string): boolean {
  return word.length >= 3 && !NUMBER_WORDS.test(word) && !GENERIC_WORDS.has(word) && !ENTITY_WORDS.has(word) && !REGION_WORDS.has(word);
}

/** Words naming the kind of body that people write or leave out of one body's name. */
export const OMITTED_KIND_WORDS = new Set([
  'COUNCIL',
  'BOROUGH',
  'DISTRICT',
  'METROPOLITAN',
  'NHS',
  'TRUST',
  'FOUNDATION',
  'ASSOCIATION',
  'AGENCY',
  'SOLICITOR',
  'LAW',
  'CE',
  'RC',
  'ADMIN',
  'ADMINISTRATION',
]);

/** The same generic words in another order: "RIVERSIDE CARE HOME" and "RIVERSIDE HOME CARE" are two kinds of service. */
export function reordersKind(a: NameReading, b: NameReading): boolean {
  const shared = (from: NameReading, other: NameReading) =>
    from.tokens.filter((token) => GENERIC_WORDS.has(token) && other.tokens.includes(token)).join(' ');
  return shared(a, b) !== shared(b, a);
}

/** The generic words of a reading, in order. */
export function genericOrder(reading: NameReading): string {
  return reading.tokens.filter((token) => GENERIC_WORDS.has(token)).join(' ');
}

/**
 * The same words in another order, as a name is turned about a joining word ("UNIVERSITY OF NORTHUMBRIA",
 * "NORTHUMBRIA UNIVERSITY") or a person's name is written surname first. Without a joining word, one distinctive word
 * and common ones in another order are another name: "HAVEN CARE", "CARE HAVEN".
 */
export function sameWordsTurned(a: NameReading, b: NameReading): boolean {
  const joinedByOf = (reading: NameReading) => / (OF|FOR) /.test(reading.text);
  return (
    (a.tokens.filter((token) => !GENERIC_WORDS.has(token)).length >= 2 || joinedByOf(a) || joinedByOf(b)) &&
    [...a.tokens].sort().join(' ') === [...b.tokens].sort().join(' ')
  );
}

/** The same initials (words of one or two letters) in another order. */
export function initialsReordered(a: NameReading, b: NameReading): boolean {
  const initials = (reading: NameReading) => reading.tokens.filter((token) => /^[A-Z]{1,2}$/.test(token));
  const [left, right] = [initials(a), initials(b)];
  return left.join(' ') !== right.join(' ') && [...left].sort().join(' ') === [...right].sort().join(' ');
}

/** What kind of care home it is ("RESIDENTIAL HOME", "NURSING HOME", "CARE HOME"), at the end of one name and not in the other. */
export function homeKindAdded(a: NameReading, b: NameReading, words: readonly string[]): boolean {
  for (const [longer, other] of [
    [a, b],
    [b, a],
  ] as const) {
    const end = longer.tokens.slice(-words.length).join(' ');
    if (/^(RESIDENTIAL|NURSING|CARE|REST)( CARE)? HOME$/.test(end) && !words.some((word) => other.tokens.includes(word))) return true;
  }
  return false;
}

/**
 * A care home named with HOUSE and without, its other words written alike: "MEERA HOUSE NURSING HOME", "MEERA NURSING
 * HOME". Only when nothing else differs: "WOODLAND HOUSE NURSING HOME" is not "WOODLANDS NURSING HOME".
 */
export function houseOfHome(withHouse: NameReading, other: NameReading): boolean {
  const at = withHouse.words.indexOf('HOUSE');
  const rest = withHouse.words.filter((_word, i) => i !== at);
  return (
    at >= 1 &&
    /^(RESIDENTIAL|NURSING|REST|CARE)$/.test(withHouse.words[at + 1] ?? '') &&
    rest[rest.length - 1] === 'HOME' &&
    rest.join(' ') === other.words.join(' ')
  );
}

/** A name of one distinctive word, and the same word with what kind of body it is: "KENNEDYS", "KENNEDYS LAW LLP". */
export function isWordAndKind(one: NameReading, two: NameReading): boolean {
  const word = one.tokens[0] ?? '';
  return (
    one.tokens.length === 1 &&
    two.tokens.length === 2 &&
    word.length >= 5 &&
    !GENERIC_WORDS.has(word) &&
    // A word written with THE ("THE NIGHTINGALES") names a place or a thing, not a firm named after its founders.
    !one.article &&
    two.tokens[0] === word &&
    OMITTED_KIND_WORDS.has(two.tokens[1] ?? '')
  );
}

/** The fewer words of one name are the other's first words, cut off by a ledger's column width after a whole word. */
export function cutAfterWord(a: NameReading, b: NameReading, rawA: number, rawB: number): boolean {
  const [fewer, more, fewerRaw] = a.tokens.length <= b.tokens.length ? [a, b, rawA] : [b, a, rawB];
  return (
    Math.min(fewerRaw, fewer.text.length + 4) >= CUT_AT_WORD_LENGTH &&
    // A name that ends in its legal form was written whole.
    !/\s(LTD|LIMITED|PLC|LLP|CIC)$/.test(fewer.text) &&
    !endsBeforeItsObject(fewer) &&
    more.tokens.length > fewer.tokens.length &&
    fewer.tokens.every((token, i) => tokensAlike(token, more.tokens[i] ?? '', false, false, i > 0)) &&
    !more.tokens.slice(fewer.tokens.length).some((word) => NUMBER_WORDS.test(word))
  );
}

/**
 * A council's kind word is left out where it stands at the end of a name or before another kind word ("CALDERDALE
 * METROPOLITAN BOROUGH COUNCIL"), not inside a name ("MANCHESTER METROPOLITAN UNIVERSITY", "LONDON BOROUGH OF CROYDON").
 */
export function omittedAtKind(word: string, a: NameReading, b: NameReading): boolean {
  const holder = a.tokens.includes(word) ? a : b;
  const at = holder.tokens.indexOf(word);
  // The trust or foundation of a school is the body that runs it, or its schools: "EMMANUEL SCHOOLS FOUNDATION".
  if (word === 'TRUST' || word === 'FOUNDATION') return !SCHOOL_WORDS.has(holder.tokens[at - 1] ?? '');
  if (word !== 'BOROUGH' && word !== 'METROPOLITAN' && word !== 'DISTRICT') return true;
  const next = holder.tokens[at + 1];
  return next === undefined || OMITTED_KIND_WORDS.has(next) || next === 'COUNCIL';
}

/**
 * A name cut off after OF or FOR has lost what it is of or for, which tells such bodies apart: "POLICE AND CRIME
 * COMMISSIONER FOR" may be the commissioner of any county.
 */
function endsBeforeItsObject(reading: NameReading): boolean {
  return /\s(OF|FOR)$/.test(reading.text);
}

/** The shorter name may be the longer one cut off by a ledger's column width, inside a word or after one. */
export function cutOff(short: NameReading, long: NameReading, shortRaw: number): boolean {
  const shortLength = Math.min(shortRaw, short.text.length + 4);
  const cutMidWord = shortLength >= CUT_MID_WORD_LENGTH && long.text.startsWith(short.text) && long.text[short.text.length] !== ' ';
  const endsInJoiningWord = /\s(AND|THE)$/.test(short.text);
  const cutAtWord =
    (shortLength >= CUT_AT_WORD_LENGTH || (endsInJoiningWord && shortLength >= CUT_MID_WORD_LENGTH)) &&
    !endsBeforeItsObject(short) &&
    long.text.startsWith(`${short.text} `) &&
    !long.text
      .slice(short.text.length)
      .split(' ')
      .some((word) => NUMBER_WORDS.test(word));
  return cutMidWord || cutAtWord;
}

const NUMBER_WORDS = /^(\d+|ONE|TWO|THREE|FOUR|FIVE|I|II|III|IV)$/;

/** A name at least this long that ends in the middle of the other's word may have been cut off by a ledger. */
export const CUT_MID_WORD_LENGTH = 20;
/** A name at least this long that is the start of the other, word for word, may have been cut off by a ledger. */
const CUT_AT_WORD_LENGTH = 27;
