/**
 * The one slug rule for addresses made from names and titles: ASCII letters and digits joined by single hyphens.
 * Its options keep each register's stored slugs meaning what they meant when they were made.
 */
export interface SlugOptions {
  /**
   * How accented letters are read. 'drop' (the default) keeps the letter and drops its accent: "Ynys Môn" → "ynys-mon".
   * 'split' lower-cases the text before decomposing it, and an accent then splits the word like any other sign:
   * "Crème brûlée" → "cre-me-bru-le-e" (the rule data-sharing agreements were given their slugs by).
   */
  accents?: 'drop' | 'split';
  /** "&" read as "and": "Banbridge & Craigavon" → "banbridge-and-craigavon". */
  ampersandAsAnd?: boolean;
  /** The longest slug, in characters. */
  maxLength?: number;
  /** Whether a hyphen the cut leaves at the end is removed (the default); only with maxLength. */
  trimAfterCut?: boolean;
  /** The slug of a text with no letter or digit (the default is the empty string). */
  fallback?: string;
}

/** A URL-safe slug of a name or title. */
export function slugify(text: string, options: SlugOptions = {}): string {
  const { accents = 'drop', ampersandAsAnd = false, maxLength, trimAfterCut = true, fallback = '' } = options;
  const folded =
    accents === 'drop'
      ? text
          .normalize('NFKD')
          .replace(/[\u0300-\u036f]/g, '')
          .toLowerCase()
      : text.toLowerCase().normalize('NFKD');
  const words = ampersandAsAnd ? folded.replace(/&/g, ' and ') : folded;
  let slug = words.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (maxLength !== undefined) {
    slug = slug.slice(0, maxLength);
    if (trimAfterCut) slug = slug.replace(/-+$/g, '');
  }
  return slug || fallback;
}
