import { lookupHeader, normaliseHeader } from './header-synonyms.js';
import { parseAmountPence } from './spend-amount.js';
import { parseSpendDate } from './spend-date.js';
import type { CanonicalField } from './spend-types.js';
import { isRedactedSupplier } from './supplier-name.js';

/**
 * Recognises a spend file's columns by what they say AND what they hold. Every column gets a score for each
 * required role (amount, date, supplier) and for the period stand-in, from the words of its header (whole
 * known names score highest, then words such as "amount", "vendor" or "date", then finance-system
 * abbreviations such as AMT or VNDR) and from a sample of its values (money that parses in nearly every
 * non-blank cell, dates, supplier-like text with many distinct values and words such as LTD or COUNCIL).
 * A column whose values do not fit a role is never given it by its name alone.
 */

export type ScoredRole = 'amount' | 'date' | 'supplierName' | 'period';

export interface ColumnProfile {
  index: number;
  header: string;
  words: string[];
  nonBlank: number;
  money: number;
  moneyWithPence: number;
  negatives: number;
  integerLike: number;
  longDigitRuns: number;
  dayDates: number;
  monthDates: number;
  yearMonths: number;
  withLetters: number;
  legalWords: number;
  /** Values that say a payee's name was withheld ("Redacted", "Personal data"): only a payee column holds them. */
  redacted: number;
  distinct: number;
  meanLength: number;
  serialLike: number;
}

export interface RoleCandidate {
  index: number;
  header: string;
  score: number;
}

const LEGAL_WORDS =
  /\b(ltd|limited|plc|llp|lp|cic|inc|co|company|council|services|trust|group|uk|association|partnership|university|college|school|academy|nhs|solutions|consulting|homes|care|society|foundation|t\/a|&)\b/i;
const YEAR_MONTH = /^(19|20)\d\d(0[1-9]|1[0-2])$/;
const SERIAL_DATE = /^(\d{5})(?:\.\d{3,})?$/;

// Words in headers, by role. Whole-cell synonyms (header-synonyms.ts) are stronger evidence than these.
const AMOUNT_WORDS = new Set([
  'amount',
  'amt',
  'value',
  'val',
  'net',
  'gross',
  'paid',
  'spend',
  'spent',
  'expenditure',
  'total',
  'sum',
  'cost',
  'price',
  'invoiced',
  'payment',
  'gbp',
  '£',
  'pounds',
  'amnt',
  'sterling',
]);
const NET_WORDS = new Set(['net', 'excl', 'excluding', 'exclusive', 'ex', 'exc', 'nett', 'exvat']);
const GROSS_WORDS = new Set(['gross', 'inc', 'incl', 'including', 'inclusive', 'total', 'invoice', 'line']);
const NOT_AMOUNT_WORDS = new Set([
  'code',
  'number',
  'no',
  'num',
  'nbr',
  'id',
  'ref',
  'reference',
  'year',
  'month',
  'period',
  'account',
  'count',
  'quantity',
  'qty',
  'vat',
  'tax',
  'indicator',
  'flag',
  'postcode',
  'charity',
  'company',
  'registration',
  'reg',
  'line',
  'distribution',
  'level',
  'document',
  'doc',
  'transaction',
  'date',
]);
const DATE_WORDS = new Set([
  'date',
  'dt',
  'dte',
  'paid',
  'posted',
  'posting',
  'cleared',
  'clearing',
  'incurred',
  'when',
  'day',
  'payment',
  'pymt',
  'pmt',
  'paym',
]);
const PAYMENT_DATE_WORDS = new Set(['paid', 'payment', 'pymt', 'pmt', 'paym', 'clearing', 'cleared', 'posting', 'posted', 'transaction']);
const LATER_DATE_WORDS = new Set(['creation', 'created', 'invoice', 'received', 'due', 'order', 'start', 'end', 'birth', 'incurred']);
const PERIOD_WORDS = new Set(['period', 'month', 'mth', 'yearmonth', 'yyyymm', 'accounting', 'fiscal']);
const SUPPLIER_WORDS = new Set([
  'supplier',
  'suppliers',
  'supp',
  'supplr',
  'sup',
  'vendor',
  'vndr',
  'vend',
  'payee',
  'beneficiary',
  'benificiary',
  'beneficiaries',
  'creditor',
  'cred',
  'merchant',
  'recipient',
  'contractor',
  'provider',
  'paid',
  'to',
  'company',
  'trader',
]);
const NAME_WORDS = new Set(['name', 'nm', 'nme', 'details', 'description', 'desc']);
const NOT_SUPPLIER_WORDS = new Set([
  'id',
  'code',
  'number',
  'no',
  'num',
  'nbr',
  'ref',
  'type',
  'category',
  'vat',
  'reg',
  'registration',
  'postcode',
  'address',
  'account',
  'site',
  'group',
  'class',
  'sme',
  'vcse',
  'charity',
]);

/** Lower-case words of a header, with camelCase and digits split and list numbering ("5. BENEFICIARY") dropped. */
export function headerWords(header: string): string[] {
  const spaced = header.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ');
  return normaliseHeader(spaced)
    .split(' ')
    .filter((word) => word !== '' && !/^\d+$/.test(word));
}

/** Counts, over a sample of rows, what a column's values look like. */
export function profileColumns(headers: readonly string[], rows: readonly (readonly string[])[], width: number): ColumnProfile[] {
  const profiles: ColumnProfile[] = [];
  for (let index = 0; index < width; index++) {
    const header = (headers[index] ?? '').trim();
    const profile: ColumnProfile = {
      index,
      header,
      words: headerWords(header),
      nonBlank: 0,
      money: 0,
      moneyWithPence: 0,
      negatives: 0,
      integerLike: 0,
      longDigitRuns: 0,
      dayDates: 0,
      monthDates: 0,
      yearMonths: 0,
      withLetters: 0,
      legalWords: 0,
      redacted: 0,
      distinct: 0,
      meanLength: 0,
      serialLike: 0,
    };
    const seen = new Set<string>();
    let length = 0;
    for (const row of rows) {
      const value = (row[index] ?? '').trim();
      if (value === '') continue;
      profile.nonBlank++;
      seen.add(value.toUpperCase());
      length += value.length;
      const amount = parseAmountPence(value);
      if (amount.ok) {
        profile.money++;
        if (/\.\d/.test(value)) profile.moneyWithPence++;
        if (amount.value < 0) profile.negatives++;
        if (/^-?\d+$/.test(value)) profile.integerLike++;
        if (/^0\d|^\d{7,}$/.test(value)) profile.longDigitRuns++;
      }
      // A spreadsheet's date serial (1982 to 2099), whole or with the time of day as a long fraction (45444.520833).
      const serial = SERIAL_DATE.exec(value);
      if (serial && Number(serial[1]) >= 30_000 && Number(serial[1]) <= 73_000) profile.serialLike++;
      if (YEAR_MONTH.test(value)) profile.yearMonths++;
      // A date that only reads month first (4/13/2024) is a date too; the column's order is settled once it is chosen.
      let date = parseSpendDate(value);
      if (!date.ok) date = parseSpendDate(value, true);
      if (date.ok) {
        if (date.value.precision === 'day' && !/^\d+(\.\d+)?$/.test(value)) profile.dayDates++;
        else if (date.value.precision !== 'day') profile.monthDates++;
      }
      if (/[a-z]/i.test(value)) {
        profile.withLetters++;
        if (LEGAL_WORDS.test(value)) profile.legalWords++;
        if (isRedactedSupplier(value)) profile.redacted++;
      }
    }
    profile.distinct = seen.size;
    profile.meanLength = profile.nonBlank > 0 ? length / profile.nonBlank : 0;
    profiles.push(profile);
  }
  return profiles;
}

function countWords(words: readonly string[], set: ReadonlySet<string>): number {
  let count = 0;
  for (const word of words) if (set.has(word)) count++;
  return count;
}

function synonymFor(header: string): CanonicalField | null {
  return lookupHeader(header)?.field ?? null;
}

/** How strongly a column is the amount; null when its values are not money. */
function amountScore(profile: ColumnProfile): number | null {
  if (profile.nonBlank === 0) return synonymFor(profile.header) === 'amount' ? 1 : null;
  const moneyShare = profile.money / profile.nonBlank;
  const synonym = synonymFor(profile.header);
  const amountWords = countWords(profile.words, AMOUNT_WORDS);
  const against = countWords(profile.words, NOT_AMOUNT_WORDS);
  const net = countWords(profile.words, NET_WORDS);
  const needed = synonym === 'amount' ? 0.5 : amountWords > 0 ? 0.8 : 0.95;
  if (moneyShare < needed) return null;
  let score = 4 * moneyShare;
  if (synonym === 'amount') score += 10;
  else if (synonym !== null) score -= 6;
  if (amountWords > 0) score += 4;
  // "Amount Exc VAT" is an amount, not VAT: the VAT word counts against only when nothing says net.
  score -= 3 * (net > 0 ? against - countWords(profile.words, new Set(['vat', 'tax'])) : against);
  score += 3 * net;
  score -= countWords(profile.words, GROSS_WORDS) > 0 && net === 0 ? 1 : 0;
  if (profile.words.length === 1 && (profile.words[0] === 'vat' || profile.words[0] === 'tax')) score -= 8;
  // Values with pence and credits are amounts; long whole numbers and leading zeros are identifiers.
  score += 2 * (profile.moneyWithPence / profile.nonBlank) + (profile.negatives > 0 ? 1 : 0);
  score -= 4 * (profile.longDigitRuns / profile.nonBlank);
  if (profile.serialLike === profile.nonBlank) score -= 3;
  if (profile.dayDates + profile.monthDates > profile.nonBlank / 2) score -= 6;
  if (profile.distinct <= 2 && profile.nonBlank >= 10) score -= 3;
  return score;
}

/** How strongly a column is the payment date; null when its values are not dates. */
function dateScore(profile: ColumnProfile): number | null {
  if (profile.nonBlank === 0) return synonymFor(profile.header) === 'date' ? 1 : null;
  const synonym = synonymFor(profile.header);
  const dateWords = countWords(profile.words, DATE_WORDS);
  const days = profile.dayDates / profile.nonBlank;
  const serials = profile.serialLike / profile.nonBlank;
  const months = profile.monthDates / profile.nonBlank;
  // A day date, or a spreadsheet serial or a month when the header says date.
  const share = Math.max(days, dateWords > 0 || synonym === 'date' ? Math.max(serials, months) : 0);
  const needed = synonym === 'date' ? 0.5 : dateWords > 0 ? 0.7 : 0.9;
  if (share < needed) return null;
  let score = 4 * share;
  if (synonym === 'date') score += 10 - 0.2 * (lookupHeader(profile.header)?.rank ?? 0);
  else if (synonym !== null) score -= 6;
  if (profile.words.includes('date') || profile.words.includes('dt')) score += 4;
  else if (dateWords > 0) score += 2;
  score += countWords(profile.words, PAYMENT_DATE_WORDS) > 0 ? 1 : 0;
  score -= countWords(profile.words, LATER_DATE_WORDS) > 0 ? 1 : 0;
  if (days < share) score -= 1;
  return score;
}

/** How strongly a column is a period (a month for the whole row, such as 202205 or Apr-23). */
function periodScore(profile: ColumnProfile): number | null {
  if (profile.nonBlank === 0) return null;
  const share = Math.max(profile.yearMonths, profile.monthDates) / profile.nonBlank;
  if (share < 0.9) return null;
  return 4 * share + (countWords(profile.words, PERIOD_WORDS) > 0 ? 4 : 0) + (profile.words.includes('date') ? 2 : 0);
}

/** How strongly a column is the supplier (payee) name; null when its values are not names. */
function supplierScore(profile: ColumnProfile): number | null {
  if (profile.nonBlank === 0) return synonymFor(profile.header) === 'supplierName' ? 1 : null;
  const synonym = synonymFor(profile.header);
  const letters = profile.withLetters / profile.nonBlank;
  if (letters < (synonym === 'supplierName' ? 0.3 : 0.6)) return null;
  const supplierWords = countWords(profile.words, SUPPLIER_WORDS);
  const against = countWords(profile.words, NOT_SUPPLIER_WORDS);
  let score = 2 * letters;
  if (synonym === 'supplierName') score += 10;
  else if (synonym !== null && synonym !== 'organisationName') score -= 4;
  if (supplierWords > 0) score += 5 + (countWords(profile.words, NAME_WORDS) > 0 ? 1 : 0);
  else if (profile.words.length === 1 && profile.words[0] === 'name') score += 2;
  score -= 3 * against;
  // Payees: many different names, often with LTD, PLC, COUNCIL..., and short enough to be names, not narratives.
  score += 3 * (profile.legalWords / profile.nonBlank) + 2 * Math.min(1, profile.distinct / Math.max(1, profile.nonBlank) / 0.3);
  if (profile.meanLength > 60) score -= 2;
  // Withheld names are said only of payees; a column of them is the payee column even though it repeats one value.
  const redacted = profile.redacted / profile.nonBlank;
  score += 10 * redacted;
  if (profile.distinct <= 2 && profile.nonBlank >= 10 && redacted < 0.5) score -= 6;
  return score;
}

const SCORERS: Readonly<Record<ScoredRole, (profile: ColumnProfile) => number | null>> = {
  amount: amountScore,
  date: dateScore,
  supplierName: supplierScore,
  period: periodScore,
};

/** The columns that could hold a role, best first. */
export function rankCandidates(role: ScoredRole, profiles: readonly ColumnProfile[], taken: ReadonlySet<number>): RoleCandidate[] {
  const candidates: RoleCandidate[] = [];
  for (const profile of profiles) {
    if (taken.has(profile.index)) continue;
    const score = SCORERS[role](profile);
    if (score !== null && score > 0)
      candidates.push({ index: profile.index, header: profile.header, score: Math.round(score * 100) / 100 });
  }
  return candidates.sort((a, b) => b.score - a.score || a.index - b.index);
}

/** True when the values look like a body: the same one or two names or codes on every row, naming a council or authority. */
export function looksLikeBodyColumn(profile: ColumnProfile): boolean {
  if (profile.nonBlank < 3 || profile.distinct > 2) return false;
  const words = profile.words;
  const named = words.some((word) =>
    ['body', 'organisation', 'organization', 'authority', 'council', 'auth', 'entity', 'la'].includes(word),
  );
  return named;
}

/** Net amount words, to say in the result why one of several amounts was used. */
export function describesNetAmount(header: string): boolean {
  return countWords(headerWords(header), NET_WORDS) > 0 || /excluding vat|ex vat|exc vat/i.test(header);
}
