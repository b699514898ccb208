/**
 * Date patterns in a Table Schema's `format`. The specification uses strftime/strptime directives
 * (`%d/%m/%Y`); older schemas, such as the Transparency Code ones, write `fmt:DD/MM/YYYY` with letter tokens.
 * Both compile to one parser.
 */
export interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  offsetMinutes: number;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

type Part =
  'year' | 'year2' | 'month' | 'monthName' | 'day' | 'hour' | 'hour12' | 'minute' | 'second' | 'fraction' | 'ampm' | 'zone' | 'skip';

const DIRECTIVES: Record<string, [string, Part]> = {
  Y: ['(\\d{4})', 'year'],
  y: ['(\\d{2})', 'year2'],
  m: ['(\\d{1,2})', 'month'],
  d: ['(\\d{1,2})', 'day'],
  e: ['\\s?(\\d{1,2})', 'day'],
  H: ['(\\d{1,2})', 'hour'],
  I: ['(\\d{1,2})', 'hour12'],
  M: ['(\\d{1,2})', 'minute'],
  S: ['(\\d{1,2})', 'second'],
  f: ['(\\d{1,6})', 'fraction'],
  p: ['(AM|PM|am|pm)', 'ampm'],
  b: ['([A-Za-z]{3})', 'monthName'],
  h: ['([A-Za-z]{3})', 'monthName'],
  B: ['([A-Za-z]+)', 'monthName'],
  a: ['([A-Za-z]{3})', 'skip'],
  A: ['([A-Za-z]+)', 'skip'],
  j: ['(\\d{3})', 'skip'],
  z: ['(Z|[+-]\\d{2}:?\\d{2})', 'zone'],
};

const TOKENS: [string, string, Part][] = [
  ['YYYY', '(\\d{4})', 'year'],
  ['YY', '(\\d{2})', 'year2'],
  ['MMMM', '([A-Za-z]+)', 'monthName'],
  ['MMM', '([A-Za-z]{3})', 'monthName'],
  ['MM', '(\\d{2})', 'month'],
  ['M', '(\\d{1,2})', 'month'],
  ['DD', '(\\d{2})', 'day'],
  ['D', '(\\d{1,2})', 'day'],
  ['HH', '(\\d{2})', 'hour'],
  ['hh', '(\\d{2})', 'hour'],
  ['mm', '(\\d{2})', 'minute'],
  ['ss', '(\\d{2})', 'second'],
];

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A strftime pattern (`%d/%m/%Y`) as an expression's source and the part each group captures. */
function strftimeSource(pattern: string): { source: string; parts: Part[] } {
  let source = '';
  const parts: Part[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] ?? '';
    if (char !== '%') {
      source += escape(char);
      continue;
    }
    const directive = pattern[++i] ?? '';
    if (directive === '%') {
      source += '%';
      continue;
    }
    const known = DIRECTIVES[directive];
    if (!known) throw new Error(`“%${directive}” in “${pattern}” is not a date directive`);
    source += known[0];
    parts.push(known[1]);
  }
  return { source, parts };
}

/** A pattern of letter tokens (`DD/MM/YYYY`) as an expression's source and the part each group captures. */
function tokenSource(pattern: string): { source: string; parts: Part[] } {
  let source = '';
  const parts: Part[] = [];
  let i = 0;
  outer: while (i < pattern.length) {
    for (const [token, expression, part] of TOKENS) {
      if (pattern.startsWith(token, i)) {
        source += expression;
        parts.push(part);
        i += token.length;
        continue outer;
      }
    }
    source += escape(pattern[i] ?? '');
    i++;
  }
  if (parts.length === 0) throw new Error(`“${pattern}” is not a date pattern (use strftime directives such as %d/%m/%Y)`);
  return { source, parts };
}

/** Adds one captured part to the result; false when the text cannot be that part (an unknown month name). */
function readPart(result: DateParts, part: Part | undefined, text: string): boolean {
  switch (part) {
    case 'year':
      result.year = Number(text);
      break;
    case 'year2':
      result.year = Number(text) + (Number(text) < 69 ? 2000 : 1900);
      break;
    case 'month':
      result.month = Number(text);
      break;
    case 'monthName': {
      const lower = text.toLowerCase();
      const month = (lower.length === 3 ? MONTHS : MONTH_NAMES).indexOf(lower);
      if (month === -1) return false;
      result.month = month + 1;
      break;
    }
    case 'day':
      result.day = Number(text);
      break;
    case 'hour':
    case 'hour12':
      result.hour = Number(text);
      break;
    case 'minute':
      result.minute = Number(text);
      break;
    case 'second':
      result.second += Number(text);
      break;
    case 'fraction':
      result.second += Number(`0.${text}`);
      break;
    case 'zone':
      if (text !== 'Z') {
        const digits = text.replace(':', '');
        result.offsetMinutes = (text.startsWith('-') ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
      }
      break;
    default:
      break;
  }
  return true;
}

/** Compiles a pattern; throws an Error naming an unknown directive. */
export function compileDatePattern(pattern: string): (cell: string) => DateParts | null {
  const { source, parts } = pattern.includes('%') ? strftimeSource(pattern) : tokenSource(pattern);
  const expression = new RegExp(`^${source}$`);
  return (cell) => {
    const match = expression.exec(cell);
    if (!match) return null;
    const result: DateParts = { year: 1900, month: 1, day: 1, hour: 0, minute: 0, second: 0, offsetMinutes: 0 };
    let pm: boolean | null = null;
    for (let index = 0; index < parts.length; index++) {
      const text = match[index + 1] ?? '';
      if (parts[index] === 'ampm') pm = text.toLowerCase() === 'pm';
      else if (!readPart(result, parts[index], text)) return null;
    }
    if (pm !== null) {
      if (result.hour < 1 || result.hour > 12) return null;
      result.hour = (result.hour % 12) + (pm ? 12 : 0);
    }
    return result;
  };
}
