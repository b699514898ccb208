// Legal-form words dropped from the end of a name: they vary between councils' ledgers for one company.
const LEGAL_SUFFIXES = new Set(['LTD', 'LIMITED', 'PLC', 'LLP', 'CO', 'COMPANY', 'INC', 'CIC', 'LP', 'CYF', 'CYFYNGEDIG', 'INCORPORATED']);

// Whole names (after normalising) that stand for a withheld payee.
const REDACTED_NAMES = new Set([
  'PERSONAL DATA',
  'PERSONAL INFORMATION',
  'PERSONAL DETAILS',
  'PERSONAL',
  'WITHHELD',
  'DATA PROTECTION',
  'DATA PROTECTION ACT',
  'COMMERCIAL CONFIDENTIALITY',
  'COMMERCIALLY CONFIDENTIAL',
  'CONFIDENTIAL',
  'NOT DISCLOSED',
  'UNDISCLOSED',
  'PRIVATE INDIVIDUAL',
  'INDIVIDUAL',
  'SENSITIVE DATA',
  'NOT APPLICABLE PERSONAL DATA',
]);

const MAYBE_REDACTED = /redact|personal|withheld|confiden|disclos|protection|individual|sensitive|removed|^\s*$/i;

const TRADING_AS = /\s+(?:T\s*\/\s*A|T\/AS|TRADING\s+AS)\s+|\s*\(\s*(?:T\s*\/\s*A|TRADING\s+AS)\s+/i;

/** Splits "JOHN SMITH T/A SMITHS PLUMBING" into its legal name and trading name (null if none); text is only trimmed. */
export function splitTradingName(raw: string): { legal: string; tradingAs: string | null } {
  const text = raw.trim();
  const match = TRADING_AS.exec(text);
  if (!match || match.index === 0) return { legal: text, tradingAs: null };
  const legal = text.slice(0, match.index).trim();
  let tradingAs = text.slice(match.index + match[0].length).trim();
  // "(T/A ACME)" opened a bracket: drop its closing one.
  if (match[0].includes('(')) tradingAs = tradingAs.replace(/\)\s*$/, '').trim();
  return tradingAs === '' ? { legal: text, tradingAs: null } : { legal, tradingAs };
}

function normaliseText(raw: string): string {
  return (
    raw
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toUpperCase()
      .replace(/&/g, ' AND ')
      .replace(/\+/g, ' AND ')
      // Apostrophes and full stops join ("O'BRIEN", "B.T.") rather than split words.
      .replace(/['’.]/g, '')
      .replace(/[^A-Z0-9]+/g, ' ')
      .trim()
  );
}

/**
 * Normalises a supplier name for matching: the legal part of a "T/A" name,
 * upper case, accents and punctuation removed, "&" as AND, single spaces, and
 * trailing legal forms (LTD, LIMITED, PLC, LLP, CO, COMPANY, INC, CIC, "(UK)",
 * "UK LTD") dropped. A name made only of such words is kept as it is.
 */
export function normaliseSupplierName(raw: string): string {
  const legal = splitTradingName(raw).legal;
  const words = normaliseText(legal)
    .split(' ')
    .filter((word) => word !== '');
  // "(UK)" is dropped wherever it closes the name; a bare trailing UK only before a legal form.
  const parenthesisedUk = /\(\s*UK\s*\)\s*(?:[A-Za-z.\s]*)$/i.test(legal);
  let end = words.length;
  let removedSuffix = false;
  for (;;) {
    const last = words[end - 1];
    if (end <= 1 || last === undefined) break;
    if (LEGAL_SUFFIXES.has(last)) {
      end--;
      removedSuffix = true;
      // "AND CO" is a legal form too ("SMITH AND CO").
      if (last === 'CO' && words[end - 1] === 'AND' && end > 1) end--;
      continue;
    }
    if (last === 'UK' && (removedSuffix || parenthesisedUk)) {
      end--;
      continue;
    }
    break;
  }
  return words.slice(0, end).join(' ');
}

/** True when a supplier cell withholds the payee: blank, "REDACTED…", "Personal data", "Withheld" and similar. */
export function isRedactedSupplier(raw: string): boolean {
  // Called for every row: most names contain none of the telling words, so skip the normalising.
  if (!MAYBE_REDACTED.test(raw)) return raw.trim() === '';
  const name = normaliseText(raw);
  if (name === '') return true;
  if (/\bREDACTED\b/.test(name)) return true;
  if (REDACTED_NAMES.has(name)) return true;
  return /^(WITHHELD|NOT DISCLOSED|REMOVED)\b/.test(name);
}

/** The set of pg_trgm trigrams of a text: lower-cased words of letters and digits, each padded with two spaces before and one after. */
export function trigrams(text: string): Set<string> {
  const result = new Set<string>();
  for (const word of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (word === '') continue;
    const padded = `  ${word} `;
    const chars = Array.from(padded);
    for (let i = 0; i + 3 <= chars.length; i++) result.add(chars.slice(i, i + 3).join(''));
  }
  return result;
}

/** Trigram similarity as pg_trgm's similarity(a, b): shared trigrams over all distinct trigrams, 0 when either has none. */
export function supplierNameSimilarity(a: string, b: string): number {
  const left = trigrams(a);
  const right = trigrams(b);
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const gram of left) if (right.has(gram)) shared++;
  return shared / (left.size + right.size - shared);
}
