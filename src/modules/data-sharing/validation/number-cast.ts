/** Numbers and integers of a Table Schema field, with its decimal and group characters, bare or with text around. */
import { type Cast, INVALID, isDigit } from './cast-value.js';
import type { SchemaField } from './table-schema.js';

export const NUMBER_SHAPE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, power) => 10 ** power);

/**
 * The value of an optional sign and digits, or INVALID; by character codes. Up to 15 digits the value is built as
 * it is read (exact); longer numbers are left to Number().
 */
function integerValue(text: string): number | typeof INVALID {
  const length = text.length;
  let index = 0;
  const first = text.charCodeAt(0);
  if (first === 43 || first === 45) index = 1;
  if (index >= length) return INVALID;
  let value = 0;
  for (let at = index; at < length; at++) {
    const code = text.charCodeAt(at);
    if (!isDigit(code)) return INVALID;
    value = value * 10 + code - 48;
  }
  if (length - index > 15) value = Math.abs(Number(text));
  return first === 45 ? -value : value;
}

/**
 * The value of a decimal number (sign, digits, one point, an exponent), or INVALID; by character codes. Up to 15
 * digits without an exponent, digits over a power of ten: both exact, so the division rounds once, to the same
 * double Number() gives. Anything else is checked by shape and left to Number().
 */
function decimalValue(text: string): number | typeof INVALID {
  const length = text.length;
  let index = 0;
  const first = text.charCodeAt(0);
  if (first === 43 || first === 45) index = 1;
  let digits = 0;
  let point = -1;
  let mantissa = 0;
  for (; index < length; index++) {
    const code = text.charCodeAt(index);
    if (isDigit(code)) {
      digits++;
      mantissa = mantissa * 10 + code - 48;
    } else if (code === 46 && point < 0) point = index;
    else break;
  }
  if (digits === 0) return INVALID;
  if (index < length) return NUMBER_SHAPE.test(text) ? Number(text) : INVALID;
  if (digits > 15) return Number(text);
  const fraction = point < 0 ? 0 : length - point - 1;
  const value = fraction === 0 ? mantissa : mantissa / (POWERS_OF_TEN[fraction] as number);
  return first === 45 ? -value : value;
}
const CURRENCY_SYMBOLS = /^[£$€¥\s]+|[£$€¥\s]+$/g;
/** With bareNumber false, Table Schema lets text lead or trail the number ("€95", "10%"). */
const NON_NUMERIC_EDGES = /^[^0-9+\-.]+|[^0-9.]+$/g;

/** An integer from its text: it must be finite (a number may be as large as it likes, as Frictionless reads decimals). */
function integerOf(text: string): number | typeof INVALID {
  const value = integerValue(text);
  return value === INVALID || !Number.isFinite(value) ? INVALID : value;
}

/** A number from its text, the special values included. */
function numberOf(text: string): number | typeof INVALID {
  const value = decimalValue(text);
  if (value !== INVALID) return value;
  return text === 'NaN' ? Number.NaN : text === 'INF' ? Infinity : text === '-INF' ? -Infinity : INVALID;
}

export function numberCast(field: SchemaField, integer: boolean): Cast {
  const { decimalChar, groupChar, bareNumber, format } = field;
  const valueOf = integer ? integerOf : numberOf;
  // Plain numbers, nearly every field: the cell is read as it is, by a function of its own (no closure, no test of the options).
  if (decimalChar === '.' && !groupChar && bareNumber && format !== 'currency') return valueOf;
  return (cell) => {
    let text = cell;
    // The legacy "currency" format (JSON Table Schema) allows currency symbols and thousands separators.
    if (format === 'currency') text = text.replace(CURRENCY_SYMBOLS, '').replaceAll(',', '');
    if (!bareNumber) text = text.replace(NON_NUMERIC_EDGES, '');
    if (groupChar) text = text.split(groupChar).join('');
    if (decimalChar !== '.' && !integer) text = text.split(decimalChar).join('.');
    return valueOf(text);
  };
}
