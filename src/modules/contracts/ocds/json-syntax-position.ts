/**
 * Finding where JSON is broken. Node 20's JSON.parse often names only the token
 * ("Unexpected token '}', ... is not valid JSON") without its position, and a council
 * officer needs a line and column, so on failure the text is scanned once more by hand.
 */

export interface TextPosition {
  line: number;
  column: number;
}

class SyntaxFault extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** Returns the offset and reason of the first JSON syntax fault in the text, or null when the text is valid JSON. */
export function findJsonSyntaxFault(text: string): { offset: number; reason: string } | null {
  let offset = 0;

  const skipWhitespace = (): void => {
    while (offset < text.length && ' \t\n\r'.includes(text.charAt(offset))) offset += 1;
  };
  const fault = (reason: string): never => {
    throw new SyntaxFault(offset, offset >= text.length ? 'the text ends too soon' : reason);
  };
  const describe = (): string => `unexpected ${JSON.stringify(text.charAt(offset))}`;

  const readString = (): void => {
    offset += 1;
    while (offset < text.length) {
      const character = text.charAt(offset);
      if (character === '"') {
        offset += 1;
        return;
      }
      if (character < ' ') fault('a control character (such as a line break) inside a string');
      if (character === '\\') {
        const escape = text.charAt(offset + 1);
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(offset + 2, offset + 6))) fault('a broken \\u escape in a string');
          offset += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(escape) || escape === '') fault('a broken escape in a string');
        offset += 2;
        continue;
      }
      offset += 1;
    }
    fault('a string that is never closed');
  };

  const readValue = (): void => {
    skipWhitespace();
    const character = text.charAt(offset);
    if (character === '{') return readContainer('}', true);
    if (character === '[') return readContainer(']', false);
    if (character === '"') return readString();
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(offset, offset + 400));
    if (number !== null && number[0] !== '' && number[0] !== '-') {
      offset += number[0].length;
      return;
    }
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, offset)) {
        offset += literal.length;
        return;
      }
    }
    fault(`${describe()} where a value should be`);
  };

  const readContainer = (close: string, isObject: boolean): void => {
    offset += 1;
    skipWhitespace();
    if (text.charAt(offset) === close) {
      offset += 1;
      return;
    }
    for (;;) {
      if (isObject) {
        skipWhitespace();
        if (text.charAt(offset) !== '"') fault(`${describe()} where a quoted property name should be`);
        readString();
        skipWhitespace();
        if (text.charAt(offset) !== ':') fault(`${describe()} where ":" should follow a property name`);
        offset += 1;
      }
      readValue();
      skipWhitespace();
      const next = text.charAt(offset);
      if (next === ',') {
        offset += 1;
        skipWhitespace();
        if (text.charAt(offset) === close) fault(`a comma before "${close}" (trailing commas are not allowed in JSON)`);
        continue;
      }
      if (next === close) {
        offset += 1;
        return;
      }
      fault(`${describe()} where "," or "${close}" should be`);
    }
  };

  try {
    readValue();
    skipWhitespace();
    if (offset < text.length) fault(`${describe()} after the end of the JSON value`);
    return null;
  } catch (error) {
    if (error instanceof SyntaxFault) return { offset: error.offset, reason: error.reason };
    throw error;
  }
}

/** Converts a character offset into a 1-based line and column, counting \n, \r\n and \r as line ends. */
export function positionOfOffset(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < text.length; index += 1) {
    const character = text.charAt(index);
    if (character === '\n' || (character === '\r' && text.charAt(index + 1) !== '\n')) {
      line += 1;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
