/**
 * Characters XML 1.0 does not allow anywhere in a document (its `Char` production): the C0 controls other than
 * tab, line feed and carriage return, lone surrogates, and U+FFFE and U+FFFF. Escaping cannot make them legal.
 */
const FORBIDDEN_IN_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Text made safe for XML element content and attribute values (Atom feeds, SVG): characters XML 1.0 forbids
 * are dropped, and markup characters escaped. Every XML or SVG the platform writes goes through this.
 */
export function xmlText(text: string): string {
  return text.replace(FORBIDDEN_IN_XML, '').replace(/[&<>"']/g, (character) => ENTITIES[character] ?? character);
}
