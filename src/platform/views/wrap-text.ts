/** A label broken into lines for an SVG chart, and whether it had to be shortened to fit. */
export interface WrappedText {
  lines: string[];
  /** True when the lines do not hold the whole text (the last one ends with "…"): show the whole in a <title>. */
  shortened: boolean;
}

/**
 * Breaks text into at most `maxLines` lines of at most `maxChars` characters, between words where it can (a word
 * longer than a line is broken inside it); what does not fit is cut, ending the last line with "…".
 */
export function wrapText(text: string, maxChars: number, maxLines: number): WrappedText {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    let rest = word;
    if (current !== '' && current.length + 1 + rest.length <= maxChars) {
      current = `${current} ${rest}`;
      continue;
    }
    if (current !== '') lines.push(current);
    while (rest.length > maxChars) {
      lines.push(rest.slice(0, maxChars));
      rest = rest.slice(maxChars);
    }
    current = rest;
  }
  if (current !== '') lines.push(current);
  if (lines.length <= maxLines) return { lines, shortened: false };
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1] ?? '';
  kept[maxLines - 1] = `${last.length >= maxChars ? last.slice(0, maxChars - 1) : last}…`;
  return { lines: kept, shortened: true };
}
