/**
 * A streaming JSON reader for OCDS files of any size. It checks the whole grammar as text arrives in chunks, and
 * hands over small pieces already parsed: each top-level value (or each element of a top-level array) is a "unit";
 * the members of an object unit are handed over one by one, except its "releases" and "records" lists, whose
 * elements are handed over one at a time, so a 500 MB release package never sits in memory whole. Limits on nesting
 * depth and on the size of any one piece keep untrusted files from exhausting the stack or the memory.
 * One state machine over characters is the whole job, so it stays in one file.
 */

/** Where a unit sits in the file: an element of a top-level array, or a top-level value (several for JSON Lines). */
export type UnitPlace = 'array-element' | 'top-level';

export interface JsonStreamHandler {
  /** A unit begins; `isObject` says whether members will follow. */
  unitStart(unit: number, place: UnitPlace, isObject: boolean, line: number): void;
  /** A member of an object unit other than a streamed list, parsed. */
  member(unit: number, key: string, value: unknown): void;
  /** A streamed list ("releases" or "records") of an object unit begins. */
  listStart(unit: number, key: string): void;
  /** One element of a streamed list, parsed, with the length of its text. */
  item(unit: number, key: string, index: number, value: unknown, chars: number): void;
  /** A unit ends; `value` is the whole value when the unit is not an object. */
  unitEnd(unit: number, value: unknown): void;
  /** The file's top-level list ends, after `count` units. */
  topArrayEnd(count: number): void;
}

export interface JsonStreamLimits {
  /** Deepest nesting of objects and lists allowed. */
  maxDepth: number;
  /** Largest single piece (a member, a list element or a non-object unit), in characters. */
  maxPieceChars: number;
}

/** A fault in the text, with its place; the message says what was expected. */
export class JsonStreamError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

const STREAMED_LISTS = new Set(['releases', 'records']);

type Role = 'top-array' | 'unit-object' | 'stream-array' | 'plain';
type Expect = 'key-or-end' | 'key' | 'colon' | 'value' | 'value-or-end' | 'comma-or-end';

interface Frame {
  isObject: boolean;
  role: Role;
  expect: Expect;
  count: number;
  unit: number;
  key: string;
}

interface Capture {
  pieces: string[];
  start: number;
  chars: number;
  depth: number;
  purpose: 'key' | 'member' | 'item' | 'unit';
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
/** The characters that may follow a backslash in a JSON string, other than u: " \ / b f n r t. */
const SIMPLE_ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);

function isHexDigit(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}
const SCALAR = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/;

/**
 * Reads chunks of JSON text and reports units, members and list items to the handler; throws JsonStreamError on a fault.
 * Over 80 lines as one state machine: its small steps share the parser's state in closure variables, which the hot
 * loop in write reads for every character.
 */
export function createJsonStream(handler: JsonStreamHandler, limits: JsonStreamLimits) {
  const stack: Frame[] = [];
  let line = 1;
  let lineStart = 0;
  let offset = 0; // characters before the current chunk
  let units = 0;
  let topLevelValues = 0;
  let inString = false;
  // 0 outside an escape; 1 after a backslash; 2 to 5 while reading the four hex digits of \u.
  let escape = 0;
  let token = '';
  let capture: Capture | null = null;
  let sawBom = false;

  const fault = (message: string, at: number): never => {
    throw new JsonStreamError(message, line, at - lineStart + 1);
  };

  const tooLarge = (at: number): never =>
    fault(`one value is larger than the limit of ${limits.maxPieceChars.toLocaleString('en-GB')} characters`, at);

  const startCapture = (chunkIndex: number, purpose: Capture['purpose']): void => {
    capture = { pieces: [], start: chunkIndex, chars: 0, depth: stack.length, purpose };
  };

  const finishCapture = (chunk: string, endIndex: number): string => {
    const held = capture as Capture;
    held.pieces.push(chunk.slice(held.start, endIndex + 1));
    capture = null;
    return held.pieces.length === 1 ? (held.pieces[0] as string) : held.pieces.join('');
  };

  /** A value begins at chunk[index]; decides what it is to the handler and starts a capture when it is handed over whole. */
  const valueStarts = (index: number, opener: number): void => {
    const parent = stack[stack.length - 1];
    if (parent === undefined) {
      const isArray = opener === 0x5b;
      if (topLevelValues === 0 && isArray) return; // the first top-level array's elements become units
      startUnit(index, opener, 'top-level');
      return;
    }
    if (capture !== null) return;
    if (parent.role === 'top-array') {
      startUnit(index, opener, 'array-element');
      return;
    }
    if (parent.role === 'unit-object') {
      if (opener === 0x5b && STREAMED_LISTS.has(parent.key)) return; // becomes a stream-array frame
      startCapture(index, 'member');
      return;
    }
    if (parent.role === 'stream-array') startCapture(index, 'item');
  };

  const startUnit = (index: number, opener: number, place: UnitPlace): void => {
    const unit = units++;
    const isObject = opener === 0x7b;
    handler.unitStart(unit, place, isObject, line);
    if (!isObject) startCapture(index, 'unit');
  };

  const roleOfNewFrame = (isObject: boolean): Role => {
    const parent = stack[stack.length - 1];
    if (capture !== null) return 'plain';
    if (parent === undefined) return isObject ? 'unit-object' : topLevelValues === 0 ? 'top-array' : 'plain';
    if (parent.role === 'top-array') return isObject ? 'unit-object' : 'plain';
    if (parent.role === 'unit-object' && !isObject && STREAMED_LISTS.has(parent.key)) return 'stream-array';
    return 'plain';
  };

  /** A value has ended at chunk[index]; hands over a finished capture and moves the parent on. */
  const valueEnds = (chunk: string, index: number): void => {
    const parent = stack[stack.length - 1];
    if (capture !== null && capture.depth === stack.length && capture.purpose !== 'key') {
      const purpose = capture.purpose;
      const text = finishCapture(chunk, index);
      if (text.length > limits.maxPieceChars) tooLarge(offset + index);
      const value: unknown = JSON.parse(text);
      if (purpose === 'unit') handler.unitEnd(units - 1, value);
      else if (purpose === 'member' && parent) handler.member(parent.unit, parent.key, value);
      else if (purpose === 'item' && parent)
        handler.item(parent.unit, stack[stack.length - 2]?.key ?? '', parent.count, value, text.length);
    }
    if (parent === undefined) {
      topLevelValues += 1;
      return;
    }
    parent.expect = 'comma-or-end';
    parent.count += 1;
  };

  const openContainer = (index: number, isObject: boolean): void => {
    if (stack.length >= limits.maxDepth) fault(`the JSON is nested more than ${limits.maxDepth} levels deep`, offset + index);
    valueStarts(index, isObject ? 0x7b : 0x5b);
    const role = roleOfNewFrame(isObject);
    const parent = stack[stack.length - 1];
    const unit = role === 'unit-object' ? units - 1 : (parent?.unit ?? -1);
    if (role === 'stream-array' && parent) handler.listStart(parent.unit, parent.key);
    stack.push({ isObject, role, expect: isObject ? 'key-or-end' : 'value-or-end', count: 0, unit, key: '' });
  };

  const closeContainer = (chunk: string, index: number, isObject: boolean): void => {
    const frame = stack[stack.length - 1];
    const closer = isObject ? '}' : ']';
    if (frame === undefined || frame.isObject !== isObject) fault(`unexpected "${closer}"`, offset + index);
    const ok = (frame as Frame).expect === 'comma-or-end' || (frame as Frame).expect === (isObject ? 'key-or-end' : 'value-or-end');
    if (!ok) fault(`a comma before "${closer}" (trailing commas are not allowed in JSON)`, offset + index);
    stack.pop();
    if ((frame as Frame).role === 'unit-object') handler.unitEnd((frame as Frame).unit, undefined);
    if ((frame as Frame).role === 'top-array') handler.topArrayEnd((frame as Frame).count);
    valueEnds(chunk, index);
  };

  const expectValue = (at: number, what: string): void => {
    const frame = stack[stack.length - 1];
    if (frame === undefined) return;
    if (frame.expect === 'value' || frame.expect === 'value-or-end') return;
    if (frame.expect === 'colon') fault(`${what} where ":" should follow a property name`, at);
    if (frame.expect === 'comma-or-end') fault(`${what} where "," or "${frame.isObject ? '}' : ']'}" should be`, at);
    if (what !== 'a string') fault(`${what} where a quoted property name should be`, at);
  };

  const endScalar = (chunk: string, index: number): void => {
    if (!SCALAR.test(token))
      fault(`unexpected ${JSON.stringify(token.slice(0, 20))} where a value should be`, offset + index - token.length);
    token = '';
    // The scalar ended just before chunk[index]; a capture that began with it ends there.
    valueEnds(chunk, index - 1);
  };

  // A hot loop: every character of the file passes through it; strings, most of an OCDS file, are skipped inline.
  function write(chunk: string): void {
    let index = 0;
    if (!sawBom) {
      sawBom = true;
      if (chunk.charCodeAt(0) === 0xfeff) index = 1;
    }
    const length = chunk.length;
    while (index < length) {
      if (inString) {
        // Strings are most of an OCDS file: skip their ordinary characters quickly.
        while (index < length) {
          const code = chunk.charCodeAt(index);
          if (escape === 1) {
            if (code === 0x75) escape = 5;
            else if (SIMPLE_ESCAPES.has(code)) escape = 0;
            else fault('a broken escape in a string', offset + index);
          } else if (escape > 1) {
            if (!isHexDigit(code)) fault('a broken \\u escape in a string', offset + index);
            escape = escape === 2 ? 0 : escape - 1;
          } else if (code === 0x5c) {
            escape = 1;
          } else if (code === 0x22) {
            break;
          } else if (code < 0x20) {
            fault('a control character (such as a line break) inside a string', offset + index);
          }
          index += 1;
        }
        if (index >= length) break;
        inString = false;
        const frame = stack[stack.length - 1];
        if (frame !== undefined && frame.expect === 'key') {
          frame.key = capture !== null && capture.purpose === 'key' ? (JSON.parse(finishCapture(chunk, index)) as string) : '';
          frame.expect = 'colon';
        } else {
          valueEnds(chunk, index);
        }
        index += 1;
        continue;
      }
      const code = chunk.charCodeAt(index);
      if (token !== '') {
        if (code === 0x2c || code === 0x7d || code === 0x5d || WHITESPACE.has(code)) {
          endScalar(chunk, index);
        } else {
          if (token.length > 400) fault('a number or word that is far too long', offset + index);
          token += chunk.charAt(index);
          index += 1;
          continue;
        }
      }
      if (WHITESPACE.has(code)) {
        if (code === 0x0a) {
          line += 1;
          lineStart = offset + index + 1;
        }
        index += 1;
        continue;
      }
      const frame = stack[stack.length - 1];
      switch (code) {
        case 0x7b:
          expectValue(offset + index, 'unexpected "{"');
          openContainer(index, true);
          break;
        case 0x5b:
          expectValue(offset + index, 'unexpected "["');
          openContainer(index, false);
          break;
        case 0x7d:
          closeContainer(chunk, index, true);
          break;
        case 0x5d:
          closeContainer(chunk, index, false);
          break;
        case 0x22:
          if (frame !== undefined && (frame.expect === 'key' || frame.expect === 'key-or-end')) {
            frame.expect = 'key';
            if (frame.role === 'unit-object' && capture === null) startCapture(index, 'key');
          } else {
            expectValue(offset + index, 'a string');
            valueStarts(index, code);
          }
          inString = true;
          break;
        case 0x3a:
          if (frame === undefined || frame.expect !== 'colon') fault('unexpected ":"', offset + index);
          (frame as Frame).expect = 'value';
          break;
        case 0x2c:
          if (frame === undefined || frame.expect !== 'comma-or-end') fault('unexpected ","', offset + index);
          (frame as Frame).expect = (frame as Frame).isObject ? 'key' : 'value';
          break;
        default:
          expectValue(offset + index, `unexpected ${JSON.stringify(chunk.charAt(index))}`);
          valueStarts(index, code);
          token = chunk.charAt(index);
      }
      index += 1;
    }
    const held = capture;
    if (held !== null) {
      held.pieces.push(chunk.slice(held.start));
      held.chars += length - held.start;
      held.start = 0;
      if (held.chars > limits.maxPieceChars) tooLarge(offset + length);
    }
    offset += length;
  }

  function end(): { topLevelValues: number; units: number } {
    if (token !== '') endScalar('', 0);
    if (inString) fault('a string that is never closed (the text ends too soon)', offset);
    if (stack.length > 0) fault('the text ends too soon', offset);
    if (topLevelValues === 0) fault('the file is empty', offset);
    return { topLevelValues, units };
  }

  return { write, end };
}
