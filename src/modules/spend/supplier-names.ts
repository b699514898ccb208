import { splitTradingName } from './ingest/index.js';

/*
 * How payees' names are read for matching: normalised as people write them (legal forms, "&"/AND, brackets,
 * trading names, initials, abbreviations, cut-off ends), and blocked by tokens. supplier-matching.ts compares them.
 */

/** Words so common in payees' names that they say little about which supplier is meant (counted on the real files). */
export const GENERIC_WORDS = new Set(
  (
    'CARE SERVICE HOME SCHOOL HOUSE NURSERY TRUST COMMUNITY CENTRE NURSING SOLUTION ACADEMY PRE RESIDENTIAL DAY ' +
    'HEALTHCARE SUPPORT COUNCIL PRIMARY HOUSING LODGE PARK COURT EDUCATION ASSOCIATION MANAGEMENT TRAINING HEALTH ' +
    'HIRE COLLEGE TRAVEL SYSTEM HALL MEDICAL TAXI CHILDCARE CONSTRUCTION CONSULTANCY ASSOCIATE FOSTERING PLAYGROUP ' +
    'CLUB PARTNERSHIP PROJECT SOLICITOR LEARNING SECURITY CONSULTING BUSINESS PROPERTY FOUNDATION CHURCH CHILDREN ' +
    'LIVING BUILDING HOMECARE CAR FAMILY AGENCY PRIVATE SOCIAL TRANSPORT VILLAGE PRACTICE DESIGN MEDIA SUPPLY ' +
    'ENERGY RECRUITMENT DIRECT NETWORK SURGERY UNIVERSITY SOCIETY COACHE FIRE YOUTH INDEPENDENT NATIONAL ENGINEERING ' +
    'CONTRACTOR SPECIALIST CLEANING ART ELECTRICAL CONSULTANT PEOPLE COMMUNICATION SPORT PLANT DEVELOPMENT HOTEL ' +
    'OFFICE ACTION LEISURE SOFTWARE PRODUCT ENTERPRISE MAINTENANCE REST PRINT BUILDER SUPPORTED CHAMBER PARTNER ' +
    'TECHNOLOGY GROUP ENVIRONMENTAL INTERNATIONAL FOSTER NURSERIE NHS CITY COUNTY BOROUGH DISTRICT PARISH'
  ).split(' '),
);

/** Words that join or qualify a name rather than tell it apart. */
export const STOP_WORDS = new Set(['THE', 'AND', 'OF', 'FOR', 'AT', 'IN', 'ON', 'TO']);

/** Legal forms, and what a ledger's cut-off leaves of them, dropped from the end of a name. */
export const TRAILING_FORMS = new Set([
  'LTD',
  'LIMITED',
  'PLC',
  'LLP',
  'CO',
  'COMPANY',
  'INC',
  'CIC',
  'LP',
  'CYF',
  'CYFYNGEDIG',
  'UK',
  'LT',
  'LTLD',
  'LLTD',
  'LIMITE',
  'LIMIT',
  'LIMI',
  'LIM',
  'PL',
  'INCORPORATED',
  'TR',
  'LI',
  'L',
]);

/** Legal forms that are dropped wherever they stand in a name, not only at its end. */
const MID_NAME_FORMS = new Set(['LTD', 'LIMITED', 'PLC', 'LLP']);

/** Abbreviations ledgers use, written out. */
const ABBREVIATIONS = new Map([
  ['ASSOC', 'ASSOCIATION'],
  ['ASSN', 'ASSOCIATION'],
  ['ASSOCN', 'ASSOCIATION'],
  ['ASSC', 'ASSOCIATION'],
  ['ASC', 'ASSOCIATION'],
  ['SERV', 'SERVICE'],
  ['SERVS', 'SERVICE'],
  ['SVCS', 'SERVICE'],
  ['SVC', 'SERVICE'],
  ['INST', 'INSTITUTE'],
  ['DEPT', 'DEPARTMENT'],
  ['INTL', 'INTERNATIONAL'],
  ['GOVT', 'GOVERNMENT'],
  ['UNIV', 'UNIVERSITY'],
  ['HOSP', 'HOSPITAL'],
  ['ORG', 'ORGANISATION'],
  ['ORGN', 'ORGANISATION'],
  ['ORGNSN', 'ORGANISATION'],
  ['ORGANISATN', 'ORGANISATION'],
  ['ORGANIZATION', 'ORGANISATION'],
  ['MGMT', 'MANAGEMENT'],
  ['CTRE', 'CENTRE'],
  ['CENTER', 'CENTRE'],
  ['GTR', 'GREATER'],
  ['MCR', 'MANCHESTER'],
  ['BROS', 'BROTHERS'],
  ['BRO', 'BROTHERS'],
  ['TRST', 'TRUST'],
  ['AUTH', 'AUTHORITY'],
  ['CNTY', 'COUNTY'],
  ['COUN', 'COUNCIL'],
  ['ADV', 'ADVISORY'],
  ['FOUNDATI', 'FOUNDATION'],
  ['FOUNDATN', 'FOUNDATION'],
  ['NHST', 'NHS TRUST'],
  // Care homes: "WILLOW HOUSE R.H.", "BAMFORD GRANGE N/H".
  ['RH', 'RESIDENTIAL HOME'],
  ['NH', 'NURSING HOME'],
  ['AC', 'ACCOUNT'],
  ['ONE', '1'],
  ['TWO', '2'],
  ['THREE', '3'],
  ['FOUR', '4'],
  ['FIVE', '5'],
]);

/** One way of reading a payee's name: its tokens after normalising, and their concatenation. */
export interface NameReading {
  tokens: string[];
  /** The reading without initials written before it ("B E BROOKS ECOLOGICAL", "R BORRAS CONSTRUCTION"), if any. */
  withoutInitials: NameReading | null;
  /** The words before stemming, for names of one word (where "VOYAGE" and "VOYAGERS" are different companies). */
  words: string[];
  joined: string;
  /** Letters and digits of the reading before words were dropped, for truncation checks. */
  text: string;
  /** Whether THE stood before or after the name ("THE NIGHTINGALES", "NIGHTINGALES, THE"). */
  article: boolean;
  /** pg_trgm trigrams of the words as numbers (see wordTrigrams), kept for the many comparisons one name takes part in. */
  grams: Uint16Array;
}

/** How a payee's name is read for matching: the whole name, without bracketed parts, each bracketed part, and its trading name. */
export interface NameProfile {
  readings: NameReading[];
  /** The raw name's length: a ledger cuts names at a fixed width, so a long name may be a truncation of a longer one. */
  rawLength: number;
  /** Readings without a branch or account qualifier ("(GAS)", " - UXBRIDGE"); empty when the name has none. */
  qualified: NameReading[];
  /** The name after "T/A" or "trading as", if any. */
  tradingAs: NameReading | null;
}

function stem(word: string): string {
  const written = ABBREVIATIONS.get(word);
  if (written) return written;
  if (word.length > 4 && word.endsWith('IES')) return `${word.slice(0, -3)}Y`;
  if (word.length > 3 && word.endsWith('S') && !word.endsWith('SS')) return word.slice(0, -1);
  return word;
}

function upperWords(text: string): string[] {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toUpperCase()
      .replace(/[&+]/g, ' AND ')
      .replace(/@/g, ' AT ')
      // A possessive's S goes with its apostrophe: "Guy's & St Thomas's" reads as GUYS AND ST THOMAS ... once stemmed.
      .replace(/(\w)['’`]S\b/g, '$1')
      // An Irish surname spaced after its apostrophe: "JOHN O' CONNER" is JOHN OCONNER.
      .replace(/\b([OD])['’`]\s+(?=[A-Z])/gi, '$1')
      .replace(/['’`.]/g, '')
      // A zero typed for an O inside a word ("C0MMUNITY"); "M/CR", "M/C" for an abbreviation written with a slash.
      .replace(/(?<=[A-Z])0(?=[A-Z])/g, 'O')
      .replace(/\b([B-SU-Z])\/([A-Z]{1,2})\b/g, '$1$2')
      .replace(/[^A-Z0-9]+/g, ' ')
      .trim()
      .split(' ')
      .filter((word) => word !== '')
  );
}

function readWords(input: readonly string[]): NameReading | null {
  let list = [...input];
  // Ledger markers before a name: "(SB)", "ZZZ", "DRC!!", a leading "T/A".
  while (list.length > 1 && /^(ZZZ|SB|DRC|IP)$/.test(list[0] ?? '')) list.shift();
  // A person's title before their name: "Mr Mike Smith".
  if (list.length > 2 && /^(MR|MRS|MS|MISS|DR)$/.test(list[0] ?? '')) list.shift();
  if (list.length > 2 && list[0] === 'T' && list[1] === 'A') list = list.slice(2);
  if (list.length > 0 && list[0]?.startsWith('ZZZ') && (list[0]?.length ?? 0) > 3) list[0] = list[0]?.slice(3) ?? '';
  // "THE" before a name, and legal forms inside it ("VODAFONE LTD (CORPORATE)"), say nothing of which body is meant.
  const article = (list.length > 1 && list[0] === 'THE') || (list.length > 1 && list[list.length - 1] === 'THE');
  while (list.length > 1 && list[0] === 'THE') list.shift();
  list = list.filter((word, i) => i === list.length - 1 || !MID_NAME_FORMS.has(word));
  // "UK" inside a name, between two of its words, as it stands at the end of others: "PRISM UK MEDICAL", "Prism Medical UK".
  list = list.filter((word, i) => word !== 'UK' || i === 0 || i === list.length - 1 || TRAILING_FORMS.has(list[i + 1] ?? ''));
  // The name's own acronym written before or after it: "ESPO EASTERN SHIRES PURCHASING ORGANISATION".
  list = withoutOwnAcronym(list);
  // A person's initials before a trading name: read it without them too, unless they join partners ("A & B").
  let initials = 0;
  while (initials < list.length && /^[A-Z]$/.test(list[initials] ?? '')) initials++;
  const withoutInitials =
    initials > 0 && list.length - initials >= 2 && !STOP_WORDS.has(list[initials] ?? '') ? readWords(list.slice(initials)) : null;
  // Initials written apart join up: "J W YOUNG" and "JW YOUNG", "C I C" and "CIC".
  const joinedInitials: string[] = [];
  let joining = false;
  for (const word of list) {
    const single = /^[A-Z]$/.test(word);
    if (single && joining) joinedInitials[joinedInitials.length - 1] = `${joinedInitials[joinedInitials.length - 1] ?? ''}${word}`;
    else joinedInitials.push(word);
    joining = single;
  }
  list = joinedInitials;
  const text = list.join(' ');
  // Legal forms and cut-off remains at the end; "AND CO".
  while (list.length > 1) {
    const last = list[list.length - 1] ?? '';
    if (TRAILING_FORMS.has(last)) list.pop();
    else if (last === 'AND' || last === 'THE') list.pop();
    else break;
  }
  // A nursery's school or unit is the nursery: "ST JOSEPH'S NURSERY SCHOOL", "ACORNS NURSERY UNIT", "... NURSERY & PRESCHOOL".
  const nursery = list.lastIndexOf('NURSERY');
  if (nursery >= 1 && /^((AND )?PRE ?SCHOOL|SCHOOL|UNIT)$/.test(list.slice(nursery + 1).join(' '))) list = list.slice(0, nursery + 1);
  const words = list.filter((word) => !STOP_WORDS.has(word));
  const tokens = words.flatMap((word) => stem(word).split(' '));
  if (tokens.length === 0) return null;
  return { tokens, words, joined: tokens.join(''), text, article, grams: wordTrigrams(tokens), withoutInitials };
}

/** A letter or digit of a token as a number from 1 to 36; 0 is the space that pads a word. */
function symbol(code: number): number {
  if (code >= 65 && code <= 90) return code - 64;
  if (code >= 48 && code <= 57) return code - 21;
  throw new Error(`a name's token holds a character other than A-Z and 0-9: ${String.fromCharCode(code)}`);
}

/**
 * The distinct trigrams of tokens as pg_trgm takes them (each word padded with two spaces before and one after),
 * each written as one number below 37³, sorted: comparing two names' trigrams is then a walk along two short arrays,
 * with no strings made (a set of strings per name was a third of an import's matching time).
 */
function wordTrigrams(tokens: readonly string[]): Uint16Array {
  const grams: number[] = [];
  for (const token of tokens) {
    let previous = 0;
    let current = 0;
    for (let i = 0; i <= token.length; i++) {
      const next = i < token.length ? symbol(token.charCodeAt(i)) : 0;
      grams.push((previous * 37 + current) * 37 + next);
      previous = current;
      current = next;
    }
  }
  const sorted = Uint16Array.from(grams).sort();
  let size = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[size++] = sorted[i] ?? 0;
  return sorted.slice(0, size);
}

/** Words without a name's acronym when it stands first or last and the other words' initials spell it. */
function withoutOwnAcronym(list: string[]): string[] {
  if (list.length < 4) return list;
  const initials = (words: string[]) =>
    words
      .filter((word) => !STOP_WORDS.has(word))
      .map((word) => word[0])
      .join('');
  const first = list[0] ?? '';
  const last = list[list.length - 1] ?? '';
  if (first.length >= 3 && initials(list.slice(1)) === first) return list.slice(1);
  if (last.length >= 3 && initials(list.slice(0, -1)) === last) return list.slice(0, -1);
  return list;
}

/** Qualifiers that name a regional company rather than a branch: "GRAFFITI REMOVAL (NORTH)". */
export const REGION_WORDS = new Set([
  'NORTH',
  'SOUTH',
  'EAST',
  'WEST',
  'NE',
  'NW',
  'SE',
  'SW',
  'MIDLANDS',
  'NORTHERN',
  'SOUTHERN',
  'EASTERN',
  'WESTERN',
  'SCOTLAND',
  'WALES',
  'IRELAND',
]);

/** Reads a payee's name the ways people write it (see NameProfile). */
export function nameProfile(raw: string): NameProfile {
  const readings: NameReading[] = [];
  const add = (text: string, into: NameReading[] = readings) => {
    const reading = readWords(upperWords(text));
    if (reading && into !== readings && reading.tokens.length < 2) return;
    if (reading && !into.some((known) => known.joined === reading.joined)) into.push(reading);
  };
  const { legal, tradingAs } = splitTradingName(
    withoutReferences(raw)
      .replace(/\bTPA\b/i, 'T/A')
      // "ASSOCN LTD-T/A LABC": a trading name after a dash.
      .replace(/\s*-\s*T\/A\s+/i, ' T/A ')
      .replace(/\s+T\/A\s*$/i, ''),
  );
  // A bracketed part that only repeats the name's initials ("(MEWA)"), says UK, or is a ledger code of two letters
  // is read without; any other ("(NORTH)", "(IDE)") stays a word of the name, and may be a branch (see qualified).
  const main = legal.replace(/\(([^)]*)\)?/g, (_whole, inner: string) => (isNoiseBracket(inner, legal) ? ' ' : ` ${inner} `));
  add(main);
  // "DISTRICT SURVEYORS ASSOCIATION LTD T/A LABC" is written "... LTD LABC" too.
  if (tradingAs) add(`${main} ${tradingAs}`);
  // "SCC (SPECIALIST COMPUTER CENTRES PLC)", "3663 (BFS GROUP LTD)": a bracket that holds the whole name, beside a
  // short name of one word. Beside a longer name a bracket is a place or a branch ("NEWSQUEST (NORTH WEST)", "AUTISM
  // CARE (NORTH WEST)"): read alone, it would join every company of that region.
  // A bracket just before the legal form is part of the registered name: "P CASEY (ENVIRO) LTD" is its own company.
  const registered = /\([^)]*\)\s*(LTD|LIMITED|PLC|LLP)\.?\s*$/i.test(legal);
  const outside = readWords(upperWords(legal.replace(/\([^)]*\)?/g, ' ')));
  if ((!outside || outside.tokens.length <= 1) && !registered) {
    for (const match of legal.matchAll(/\(([^)]*)\)?/g)) {
      const inner = (match[1] ?? '').trim();
      const words = upperWords(inner);
      // The short name is an acronym or a number ("SCC", "3663"): "CAREWELL (HEALTH CARE)" is not HEALTH CARE.
      const short = outside?.joined ?? '';
      if (words.length >= 2 && short.length <= 5 && !words.every((word) => REGION_WORDS.has(word))) add(inner);
    }
  }
  // Without its qualifiers: brackets, and the parts either side of " - " ("CHEEKY CHUMS DAY NURSERY - UXBRIDGE").
  const unqualified: NameReading[] = [];
  let regional = false;
  const bare = legal.replace(/\(([^)]*)\)?/g, (_whole, inner: string) => {
    if (upperWords(inner).some((word) => REGION_WORDS.has(word))) regional = true;
    return ' ';
  });
  if (bare.trim() !== '' && !regional && !registered) {
    add(bare, unqualified);
    // " - " and "/" set a branch or a second name apart ("FRIENDS OF THE ELDERLY/THE LAWN"); "M/CR" is one word.
    const parts = bare.split(/\s+-\s+|\s-|-\s|(?<!\b[A-Za-z])\s*\/\s*/);
    // The payee comes first; what follows a dash is its branch or department, not a payee of its own
    // ("GOLDCREST HEALTHCARE SERVICE LTD - SUPPORTED LIVING SERVICE"), unless the first is an acronym ("HFT - HOME FARM TRUST").
    const dashed = /\s-|-\s/.test(bare) && (readWords(upperWords(parts[0] ?? ''))?.tokens.length ?? 0) >= 2;
    if (parts.length > 1) for (const part of dashed ? parts.slice(0, 1) : parts) if (upperWords(part).length >= 2) add(part, unqualified);
  }
  const qualified = unqualified.every((reading) => readings.some((known) => known.joined === reading.joined)) ? [] : unqualified;
  return { readings, qualified, rawLength: raw.trim().length, tradingAs: tradingAs ? readWords(upperWords(tradingAs)) : null };
}

/** Account and box numbers a ledger adds to a name: "BRITISH GAS BUSINESS 52464055", "(PO BOX 187)", "****6008". */
function withoutReferences(raw: string): string {
  return (
    raw
      .replace(/\bP\.?\s*O\.?\s*BOX\s*\d+\b/gi, ' ')
      // "BRITISH GAS BUSINESS A/C A": an account of the payee, named after its name.
      .replace(/\s+A\/C\s+\S.*$/i, ' ')
      .replace(/\*+\s*\d*/g, ' ')
      .replace(/\b\d{5,}\b/g, ' ')
  );
}

function isNoiseBracket(inner: string, whole: string): boolean {
  const words = upperWords(inner);
  if (words.length === 0) return true;
  if (words.length > 1) return false;
  const word = words[0] ?? '';
  // "(NW)" names a regional company (REGION_WORDS), not a ledger's code.
  if (word === 'UK' || word === 'THE' || (word.length <= 2 && !REGION_WORDS.has(word))) return true;
  const initials = upperWords(whole.replace(/\([^)]*\)?/g, ' '))
    .filter((w) => !STOP_WORDS.has(w) && !TRAILING_FORMS.has(w))
    .map((w) => w[0])
    .join('');
  if (word.length >= 3 && initials.startsWith(word.slice(0, 3)) && initials.includes(word.slice(0, word.length - 1).slice(0, 3)))
    return true;
  // The letters of a one-word name's abbreviation, in order: "PRICEWATERHOUSECOOPERS (PWC)".
  const named = upperWords(whole.replace(/\([^)]*\)?/g, ' ')).filter((w) => !TRAILING_FORMS.has(w));
  return word.length >= 3 && named.length === 1 && isLettersOf(word, named[0] ?? '');
}

function isLettersOf(short: string, long: string): boolean {
  if (short[0] !== long[0] || long.length < short.length + 3) return false;
  let at = 0;
  for (const letter of long) if (letter === short[at]) at++;
  return at === short.length;
}
