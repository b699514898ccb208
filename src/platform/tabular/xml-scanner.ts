/**
 * A small streaming XML scanner for the spreadsheet parts we read (XLSX sheets, ODS content): it reports start
 * tags with their raw attribute text, end tags and text, and nothing else (no DTDs, no namespaces beyond
 * dropping a tag's prefix when asked). Text arrives in chunks; an incomplete tag is carried to the next chunk.
 */
export interface XmlHandler {
  open(name: string, attributes: string, selfClosing: boolean): void;
  close(name: string): void;
  text(text: string): void;
}

export class XmlScanner {
  private carry = '';

  constructor(
    private readonly handler: XmlHandler,
    private readonly localNames: boolean,
  ) {}

  push(chunk: string): void {
    const s = this.carry === '' ? chunk : this.carry + chunk;
    const handler = this.handler;
    let i = 0;
    const n = s.length;
    while (i < n) {
      const lt = s.indexOf('<', i);
      if (lt === -1) {
        // Text may still be cut in the middle of an entity: keep it for the next chunk.
        this.carry = s.slice(i);
        return;
      }
      if (lt > i) handler.text(decodeXmlText(s.slice(i, lt)));
      const next = s.charCodeAt(lt + 1);
      if (next === 33 /* ! */) {
        if (s.startsWith('<!--', lt)) {
          const end = s.indexOf('-->', lt + 4);
          if (end === -1) return this.keep(s, lt);
          i = end + 3;
          continue;
        }
        if (s.startsWith('<![CDATA[', lt)) {
          const end = s.indexOf(']]>', lt + 9);
          if (end === -1) return this.keep(s, lt);
          handler.text(s.slice(lt + 9, end));
          i = end + 3;
          continue;
        }
        const end = s.indexOf('>', lt);
        if (end === -1) return this.keep(s, lt);
        i = end + 1;
        continue;
      }
      const gt = findTagEnd(s, lt + 1);
      if (gt === -1) return this.keep(s, lt);
      if (next === 63 /* ? */) {
        i = gt + 1;
        continue;
      }
      if (next === 47 /* / */) {
        handler.close(this.nameOf(s.slice(lt + 2, gt).trim()));
      } else {
        const selfClosing = s.charCodeAt(gt - 1) === 47;
        const body = s.slice(lt + 1, selfClosing ? gt - 1 : gt);
        let space = 0;
        while (space < body.length && !isSpace(body.charCodeAt(space))) space++;
        handler.open(this.nameOf(body.slice(0, space)), body.slice(space), selfClosing);
        if (selfClosing) handler.close(this.nameOf(body.slice(0, space)));
      }
      i = gt + 1;
    }
    this.carry = '';
  }

  private keep(s: string, from: number): void {
    this.carry = s.slice(from);
  }

  private nameOf(qualified: string): string {
    if (!this.localNames) return qualified;
    const colon = qualified.indexOf(':');
    return colon === -1 ? qualified : qualified.slice(colon + 1);
  }
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/** The '>' that ends a tag, skipping any inside quoted attribute values; -1 when the tag is not complete yet. */
function findTagEnd(s: string, from: number): number {
  let quote = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 62) return i;
  }
  return -1;
}

/** The value of one attribute in a tag's raw attribute text (qualified name as written, e.g. "r" or "table:name"). */
export function attributeValue(attributes: string, name: string): string | null {
  let from = 0;
  for (;;) {
    const at = attributes.indexOf(name, from);
    if (at === -1) return null;
    const before = at === 0 ? 32 : attributes.charCodeAt(at - 1);
    let i = at + name.length;
    while (isSpace(attributes.charCodeAt(i))) i++;
    if (isSpace(before) && attributes.charCodeAt(i) === 61 /* = */) {
      i++;
      while (isSpace(attributes.charCodeAt(i))) i++;
      const quote = attributes.charAt(i);
      const end = attributes.indexOf(quote, i + 1);
      if (end === -1) return null;
      return decodeXmlText(attributes.slice(i + 1, end));
    }
    from = at + name.length;
  }
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Replaces XML's five named entities and numeric character references. */
export function decodeXmlText(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return safeCodePoint(parseInt(entity.slice(2), 16)) ?? whole;
    if (entity.startsWith('#')) return safeCodePoint(parseInt(entity.slice(1), 10)) ?? whole;
    return NAMED_ENTITIES[entity] ?? whole;
  });
}

function safeCodePoint(code: number): string | null {
  return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : null;
}
