import { LineCounter, parseDocument } from 'yaml';

/** Parse functions bounded-parser.ts offers by name: they run in its worker. */

/** Most aliases a YAML document may use; a few thousand is far beyond any real configuration file. */
const MAX_YAML_ALIASES = 1_000;

/** JSON text to a value. */
export function parseJsonText(text: string): unknown {
  return JSON.parse(text.replace(/^\uFEFF/, ''));
}

/** One YAML document to a plain value; a syntax error, or more aliases than MAX_YAML_ALIASES, throws with its line. */
export function parseYamlText(text: string): unknown {
  const lineCounter = new LineCounter();
  const document = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter, prettyErrors: false });
  const [error] = document.errors;
  if (error) throw Object.assign(new Error(error.message), { name: 'YAMLParseError', line: lineCounter.linePos(error.pos[0]).line });
  return document.toJS({ maxAliasCount: MAX_YAML_ALIASES });
}
