// Letters that Unicode decomposition leaves whole; spelt out so "Straße" becomes "strasse", not "stra-e".
const spelledOutLetters: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
};

const maximumSlugLength = 80;

/** Turns a component name into a kebab-case ASCII slug for its URL, e.g. "Gemeente 's-Hertogenbosch" → "gemeente-s-hertogenbosch". */
export function deriveComponentSlug(name: string): string {
  const ascii = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[ßæœøđðłþ]/g, (letter) => spelledOutLetters[letter] ?? '-')
    // Apostrophes join rather than split words: "council's" reads better as "councils" than "council-s".
    .replace(/['’`]/g, '');
  const slug = ascii
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maximumSlugLength)
    .replace(/-+$/, '');
  return slug === '' ? 'component' : slug;
}
