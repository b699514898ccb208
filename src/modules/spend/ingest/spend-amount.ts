import type { ParseResult } from './spend-types.js';

const CHAR_0 = 48;
const CHAR_9 = 57;

// Beyond this many pounds digits a pence value would exceed Number.MAX_SAFE_INTEGER.
const MAX_POUND_DIGITS = 13;

/**
 * Parses a spend amount into exact integer pence, never throwing.
 *
 * Accepts 1500, "1,100.00", " 504.00 ", £1,100, -12.00, (12.00), 12.00-, .50 and
 * spreadsheet float noise such as 819.8399999999999. Rejects anything it would
 * have to guess: decimal commas ("1.234,56"), several points ("12.5.3"), badly
 * grouped thousands ("1,10"), two signs, exponents, and more than two decimals
 * unless the extra digits are float noise (they begin 0000 or 9999, i.e. the
 * value is within 1e-6 of a pound of a whole penny).
 */
export function parseAmountPence(text: string): ParseResult<number> {
  if (typeof text !== 'string') return { ok: false, reason: 'amount is not text' };
  const s = text.trim();
  if (s === '') return { ok: false, reason: 'amount is empty' };

  let start = 0;
  let end = s.length;
  let negatives = 0;
  let pluses = 0;
  let pounds = 0;

  if (s.charCodeAt(0) === 40 /* ( */) {
    if (s.charCodeAt(end - 1) !== 41 /* ) */) return notANumber(text);
    negatives++;
    start++;
    end--;
  }
  // Leading currency sign, sign and spaces in any order: "£-12", "-£12", "- 12".
  while (start < end) {
    const c = s[start];
    if (c === ' ' || c === '\u00a0') start++;
    else if (c === '£') {
      pounds++;
      start++;
    } else if (c === '-' || c === '\u2212') {
      negatives++;
      start++;
    } else if (c === '+') {
      pluses++;
      start++;
    } else break;
  }
  // Trailing minus is how some ledgers print credits: "12.00-".
  while (end > start) {
    const c = s[end - 1];
    if (c === ' ' || c === '\u00a0') end--;
    else if (c === '-' || c === '\u2212') {
      negatives++;
      end--;
    } else break;
  }
  if (pounds > 1 || negatives + pluses > 1) return { ok: false, reason: `amount '${text}' has conflicting signs` };
  if (start >= end) return notANumber(text);

  // Integer part: digits, optionally grouped in threes by commas.
  let intDigits = '';
  let groupLength = -1; // -1 until the first comma; then digits since the last comma
  let firstGroupLength = 0;
  let i = start;
  for (; i < end; i++) {
    const code = s.charCodeAt(i);
    if (code >= CHAR_0 && code <= CHAR_9) {
      intDigits += s.charAt(i);
      if (groupLength === -1) firstGroupLength++;
      else groupLength++;
    } else if (code === 44 /* , */) {
      if (groupLength === -1) {
        if (firstGroupLength === 0 || firstGroupLength > 3) return badGrouping(text);
      } else if (groupLength !== 3) return badGrouping(text);
      groupLength = 0;
    } else break;
  }
  if (groupLength !== -1 && groupLength !== 3) return badGrouping(text);

  let fraction = '';
  if (i < end) {
    if (s.charCodeAt(i) !== 46 /* . */) return notANumber(text);
    for (i++; i < end; i++) {
      const code = s.charCodeAt(i);
      if (code < CHAR_0 || code > CHAR_9) return notANumber(text);
      fraction += s.charAt(i);
    }
  }
  if (intDigits === '' && fraction === '') return notANumber(text);

  return penceFromDigits(text, intDigits, fraction, negatives === 1);
}

/** The pence of an amount's pounds digits and decimals: two decimals kept, float noise after them rounded away. */
function penceFromDigits(text: string, intDigits: string, fraction: string, negative: boolean): ParseResult<number> {
  let roundUp = 0;
  const extra = fraction.length > 2 ? fraction.slice(2) : '';
  if (extra !== '' && !/^0+$/.test(extra)) {
    if (extra.length >= 4 && extra.startsWith('0000')) roundUp = 0;
    else if (extra.length >= 4 && extra.startsWith('9999')) roundUp = 1;
    else return { ok: false, reason: `amount '${text}' has more than 2 decimal places` };
  }

  const significant = intDigits.replace(/^0+/, '');
  if (significant.length > MAX_POUND_DIGITS) return { ok: false, reason: `amount '${text}' is too large` };
  const pennies = fraction.length === 0 ? 0 : fraction.length === 1 ? Number(fraction) * 10 : Number(fraction.slice(0, 2));
  const pence = Number(significant || '0') * 100 + pennies + roundUp;
  // Avoid -0 so that equality checks and JSON output stay plain.
  return { ok: true, value: negative && pence !== 0 ? -pence : pence };
}

/**
 * A cell a spreadsheet's accounting format wrote for zero: a lone dash, with or without a pound sign and padding
 * ("-", " £ -   "). Read as zero where a payment's amount is expected; never counted as money when columns are scored.
 */
export function isAccountingZero(text: string): boolean {
  return /^[\s\u00a0]*£?[\s\u00a0]*[-\u2212\u2013][\s\u00a0]*$/.test(text);
}

/** Words a ledger writes in an amount cell for none: read as zero in an optional amount such as irrecoverable VAT. */
const NONE_WORDS = new Set(['nil', 'none', 'zero']);

/**
 * An optional amount (irrecoverable VAT): pence, zero for a dash or "Nil", or null when the cell holds something
 * else (a Y/N flag, a note), which the caller counts rather than losing the payment over it.
 */
export function parseOptionalAmountPence(text: string): number | null {
  const amount = parseAmountPence(text);
  if (amount.ok) return amount.value;
  return isAccountingZero(text) || NONE_WORDS.has(text.trim().toLowerCase()) ? 0 : null;
}

function notANumber(text: string): ParseResult<number> {
  return { ok: false, reason: `amount '${text}' is not a number` };
}

function badGrouping(text: string): ParseResult<number> {
  return { ok: false, reason: `amount '${text}' has ambiguous thousands separators` };
}
