/**
 * A UK postcode as Royal Mail writes it ("M1 1AE", "SW1A 2AA"), or null when the cell holds none: an outward code
 * of one or two letters, a digit and an optional digit or letter, then an inward code of a digit and two letters.
 */
export function cleanPostcode(raw: string | null): string | null {
  if (!raw) return null;
  const value = raw.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const parts = /^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$/.exec(value);
  return parts ? `${parts[1]} ${parts[2]}` : null;
}

/** A postcode written as people write one, with its space: "M1 1AE", not a code such as "CC12AB" that only fits its letters. */
const WRITTEN_POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]? +\d[A-Z]{2}$/i;

/**
 * The column of a file's payees' postcodes, when one was not named by a known header: a column whose header speaks
 * of a postcode, or whose values are nearly all postcodes written with their space (finance codes such as cost
 * centres can have a postcode's letters and digits, and would merge unrelated suppliers), and which holds more than
 * one postcode. Null when there is none.
 */
export function findPostcodeColumn(
  headers: readonly string[],
  sample: readonly (readonly string[])[],
  taken: ReadonlySet<number>,
): number | null {
  const width = Math.max(headers.length, ...sample.map((cells) => cells.length));
  for (let index = 0; index < width; index++) {
    if (taken.has(index)) continue;
    const values = sample.map((cells) => (cells[index] ?? '').trim()).filter((value) => value !== '');
    const postcodes = values.map(cleanPostcode).filter((value) => value !== null);
    // One postcode on every row is the council's own address, not its payees'.
    if (new Set(postcodes).size < 2) continue;
    if (/post\s*code|postal\s*code/i.test(headers[index] ?? '')) return index;
    const written = values.filter((value) => WRITTEN_POSTCODE.test(value)).length;
    if (values.length >= 3 && written >= 0.9 * values.length) return index;
  }
  return null;
}
