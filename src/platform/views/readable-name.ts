/** Words kept in capitals in a readable name: legal forms and bodies known by their letters. */
const CAPITALS = new Set([
  'LTD',
  'PLC',
  'CIC',
  'LLP',
  'LLC',
  'CIO',
  'NHS',
  'UK',
  'GB',
  'EU',
  'HMRC',
  'HM',
  'CCTV',
  'ICT',
  'VAT',
  'UPVC',
  'CCG',
  'ICB',
  'PCC',
  'TV',
  'YMCA',
  'YWCA',
  'RNLI',
  'RSPCA',
  'NSPCC',
  'AECOM',
  'IBM',
  'SAP',
]);

/** Short words written in lower case inside a name ("Isles of Scilly", "Smith and Sons"). */
const SMALL_WORDS = new Set(['A', 'AN', 'AND', 'AS', 'AT', 'BY', 'DE', 'FOR', 'IN', 'OF', 'ON', 'OR', 'THE', 'TO', 'WITH']);

/** Two-letter words that are words, not initials, and so are written as words. */
const TWO_LETTER_WORDS = new Set(['GO', 'MY', 'NO', 'UP', 'DO', 'SO', 'BE', 'WE', 'ME', 'IS', 'IT', 'US', 'OX']);

/** Abbreviations without vowels that are written as words: "Mr", "St", "Co". */
const ABBREVIATIONS = new Set(['MR', 'MRS', 'MS', 'DR', 'ST', 'CO', 'JR', 'SR']);

/**
 * A readable form of a name published all in capitals ("ACME BUILDING SERVICES LTD" becomes "Acme Building Services
 * LTD"): words in title case, small joining words in lower case, while legal forms (LTD, PLC, CIC, LLP), NHS, UK and
 * initialisms (words without vowels, such as KPMG or DHL; two-letter initials; dotted letters) stay in capitals and
 * words with digits (3M, O2) stay as written. A name with any lower-case letter is already as its publisher wrote
 * it, and is given back unchanged.
 */
export function readableName(name: string): string {
  if (/\p{Ll}/u.test(name) || !/\p{Lu}.*\p{Lu}/u.test(name)) return name;
  let first = true;
  return name.replace(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu, (word, offset: number) => {
    const written = readableWord(word, first, name[offset - 1] ?? ' ');
    first = false;
    return written;
  });
}

function readableWord(word: string, first: boolean, before: string): string {
  const letters = word.replace(/['’]/g, '');
  // Initials ("J Smith", "T/A") and words with digits (3M, O2) stay as written; "Mr" and "St" are words.
  if (letters.length === 1 || /\p{N}/u.test(word)) return word;
  if (ABBREVIATIONS.has(letters)) return capitalise(word);
  // "B.T." and "(UK)": dotted letters stay capitals, as do known letters and words with no vowel (KPMG, DHL, BT).
  if (before === '.' || CAPITALS.has(letters)) return word;
  if (letters.length >= 2 && !/[AEIOUY]/.test(letters)) return word;
  if (letters.length === 2 && !SMALL_WORDS.has(letters) && !TWO_LETTER_WORDS.has(letters)) return word;
  if (!first && SMALL_WORDS.has(letters)) return word.toLowerCase();
  return word
    .split(/(['’])/)
    .map((part, index, parts) => {
      if (index % 2 === 1) return part;
      // After an apostrophe: "O'Brien" and "D'Arcy", but "Smith's".
      if (index > 0 && part.length <= 2 && parts[index - 2]?.length !== 1) return part.toLowerCase();
      return capitalise(part);
    })
    .join('');
}

/** "Mcdonald" as "McDonald"; any other word with its first letter in capitals. */
function capitalise(word: string): string {
  const lower = word.toLowerCase();
  if (/^mc\p{L}{2,}/u.test(lower)) return `Mc${lower.charAt(2).toUpperCase()}${lower.slice(3)}`;
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}
