/**
 * The text as a string of its own. A cell cut from a file's decoded text is a view of that whole text (hundreds of
 * kilobytes), so a cache or map that keeps the cell keeps the whole text alive: an import remembering payees of a
 * file that names a new one every few rows held every chunk it read, and ran out of memory. Copy what is
 * remembered, once per distinct value.
 */
export function ownCopy(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}
