import { SpendFileError } from './spend-types.js';

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Called once per row with its cells and the 1-based physical line the row starts on. */
export type RowHandler = (cells: string[], line: number) => void;

// A row longer than this is an unterminated quote swallowing the file; refusing keeps memory flat.
const MAX_ROW_CHARS = 4 * 1024 * 1024;

/**
 * Incremental CSV tokenizer: RFC 4180 quoting (doubled quotes, quoted delimiters
 * and newlines), any of CRLF/LF/CR as row ends, and physical line numbers.
 *
 * Hand-written because it is several times faster than csv-parse on this
 * workload (see bench/spend-reader.bench.ts) and lets the reader keep line
 * numbers of rows that span lines. Text arrives in chunks; an incomplete last
 * row is carried over to the next chunk.
 */
export class CsvTokenizer {
  private readonly delimiter: number;
  private carry = '';
  private line = 1;
  /** Set when a row ended at end of input inside an open quote. */
  unterminatedQuoteLine: number | null = null;

  constructor(delimiter: string) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  /**
   * Tokenizes the rows completed by `text`; with `final` the remainder is flushed as the last row. A hot loop: it
   * runs over every character of every file, with its state in locals that helper calls would pass back and forth.
   */
  push(text: string, final: boolean, onRow: RowHandler): void {
    const s = this.carry === '' ? text : this.carry + text;
    this.carry = '';
    const n = s.length;
    const delimiter = this.delimiter;
    const delimiterChar = String.fromCharCode(delimiter);
    let i = 0;
    let line = this.line;
    // Next quote / CR at or after i (-1: none left); refreshed lazily for the fast path.
    let nextQuote = s.indexOf('"');
    let nextCr = s.indexOf('\r');

    rows: while (i < n) {
      const rowStart = i;
      const rowLine = line;
      // Fast path: a LF-terminated line without quotes or stray CRs splits natively.
      const newline = s.indexOf('\n', i);
      if (newline !== -1) {
        if (nextQuote !== -1 && nextQuote < i) nextQuote = s.indexOf('"', i);
        if (nextCr !== -1 && nextCr < i) nextCr = s.indexOf('\r', i);
        if (nextQuote === -1 || nextQuote > newline) {
          const end = newline > i && s.charCodeAt(newline - 1) === CR ? newline - 1 : newline;
          if (nextCr === -1 || nextCr >= end) {
            onRow(s.slice(i, end).split(delimiterChar), rowLine);
            line++;
            i = newline + 1;
            continue;
          }
        }
      }
      const cells: string[] = [];
      for (;;) {
        // One field per iteration; i is at its first character.
        if (i < n && s.charCodeAt(i) === QUOTE) {
          let value = '';
          let from = i + 1;
          for (;;) {
            const q = s.indexOf('"', from);
            if (q === -1) {
              if (!final) {
                this.keep(s, rowStart, rowLine);
                return;
              }
              value += s.slice(from);
              line += countLineBreaks(s, from, n);
              this.unterminatedQuoteLine ??= rowLine;
              i = n;
              break;
            }
            line += countLineBreaks(s, from, q);
            value += s.slice(from, q);
            if (q + 1 < n && s.charCodeAt(q + 1) === QUOTE) {
              value += '"';
              from = q + 2;
              continue;
            }
            if (q + 1 >= n && !final) {
              // Cannot tell a closing quote from the first half of a doubled one yet.
              this.keep(s, rowStart, rowLine);
              return;
            }
            i = q + 1;
            break;
          }
          // Lenient: text between a closing quote and the delimiter is kept.
          let j = i;
          while (j < n) {
            const c = s.charCodeAt(j);
            if (c === delimiter || c === LF || c === CR) break;
            j++;
          }
          if (j > i) value += s.slice(i, j);
          i = j;
          cells.push(value);
        } else {
          let j = i;
          while (j < n) {
            const c = s.charCodeAt(j);
            if (c === delimiter || c === LF || c === CR) break;
            j++;
          }
          cells.push(s.slice(i, j));
          i = j;
        }
        if (i >= n) {
          if (!final) {
            this.keep(s, rowStart, rowLine);
            return;
          }
          onRow(cells, rowLine);
          break rows;
        }
        const c = s.charCodeAt(i);
        if (c === delimiter) {
          i++;
          if (i >= n && !final) {
            this.keep(s, rowStart, rowLine);
            return;
          }
          if (i >= n) {
            cells.push('');
            onRow(cells, rowLine);
            break rows;
          }
          continue;
        }
        // Row end: CR LF, LF or CR.
        if (c === CR) {
          if (i + 1 >= n && !final) {
            this.keep(s, rowStart, rowLine);
            return;
          }
          i += i + 1 < n && s.charCodeAt(i + 1) === LF ? 2 : 1;
        } else {
          i++;
        }
        line++;
        onRow(cells, rowLine);
        continue rows;
      }
    }
    this.line = line;
  }

  /** Line number of the next row to be read. */
  get nextLine(): number {
    return this.line;
  }

  private keep(s: string, rowStart: number, rowLine: number): void {
    if (s.length - rowStart > MAX_ROW_CHARS) {
      throw new SpendFileError(
        `row starting at line ${rowLine} is longer than ${MAX_ROW_CHARS} characters; probably an unterminated quote`,
        { line: rowLine },
      );
    }
    this.carry = s.slice(rowStart);
    this.line = rowLine;
  }
}

function countLineBreaks(s: string, from: number, to: number): number {
  let count = 0;
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k);
    if (c === LF) count++;
    else if (c === CR && !(k + 1 < to && s.charCodeAt(k + 1) === LF)) count++;
  }
  return count;
}
