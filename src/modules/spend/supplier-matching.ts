import { normaliseSupplierName, supplierNameSimilarity } from './ingest/index.js';

/**
 * Lowest pg_trgm similarity at which an existing supplier is offered to a person as a possible match.
 * Below it, on the labelled variants in test/fixtures/spend/supplier-variants.csv, almost no pair is the same supplier.
 */
export const REVIEW_SIMILARITY = 0.6;

/** Similarity from which a pair whose match keys agree is merged without asking (see isConfidentMatch). */
export const AUTO_MERGE_SIMILARITY = 0.5;

// Words that do not tell suppliers apart, and truncated legal forms ledgers leave at the end of a cut-off name.
const NOISE_WORDS = new Set(['THE', 'AND']);
const TRUNCATED_SUFFIXES = new Set(['LT', 'LTD', 'LIMITE', 'LIMIT', 'LIMI', 'LIM', 'LLTD', 'PL', 'UK']);

/**
 * A stricter key than the normalised name, for automatic merges: drops THE and AND, trailing truncated
 * legal forms ("LT", "LIMITE"), a final S on each longer word (SERVICES/SERVICE, HOMES/HOME) and every space
 * ("CARE TECH"/"CARETECH"). Two names with the same key differ only in ways a ledger clerk introduces.
 */
export function supplierMatchKey(normalisedName: string): string {
  const words = normalisedName.split(' ').filter((word) => word !== '' && !NOISE_WORDS.has(word));
  while (words.length > 1 && TRUNCATED_SUFFIXES.has(words[words.length - 1] ?? '')) words.pop();
  return words.map((word) => (word.length > 3 && word.endsWith('S') && !word.endsWith('SS') ? word.slice(0, -1) : word)).join('');
}

/**
 * True when a new name may join an existing supplier without a person deciding: their match keys are equal
 * and they are at least AUTO_MERGE_SIMILARITY alike. Anything less certain goes to review, because a wrong
 * merge silently moves one company's spend onto another.
 */
export function isConfidentMatch(normalisedName: string, candidateNormalisedName: string, similarity: number): boolean {
  return similarity >= AUTO_MERGE_SIMILARITY && supplierMatchKey(normalisedName) === supplierMatchKey(candidateNormalisedName);
}

/** How two raw names would be treated: 'same' (equal normalised names), 'merge', 'review' or 'separate'. */
export function classifySupplierPair(rawA: string, rawB: string): 'same' | 'merge' | 'review' | 'separate' {
  const a = normaliseSupplierName(rawA);
  const b = normaliseSupplierName(rawB);
  if (a === b) return 'same';
  const similarity = supplierNameSimilarity(a, b);
  if (isConfidentMatch(a, b, similarity)) return 'merge';
  return similarity >= REVIEW_SIMILARITY ? 'review' : 'separate';
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
