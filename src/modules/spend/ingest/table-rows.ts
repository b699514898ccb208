import { openSpreadsheet, sniffTabularKind, TabularFileError, type TabularKind, type TabularRow } from '../../../platform/tabular/index.js';
import { CsvTokenizer } from './csv-tokenizer.js';
import { AdaptiveDecoder, detectEncoding } from './spend-encoding.js';
import { detectDelimiter } from './spend-layout.js';

const SAMPLE_BYTES = 64 * 1024;
const BATCH_ROWS = 1000;

export interface TableRows {
  kind: TabularKind;
  /** The sheets of a spreadsheet; empty for text. */
  sheets: string[];
  /** The sheet read (spreadsheets), the detected delimiter (text). */
  sheet: string | null;
  delimiter: string | null;
  /** Every row with its 1-based row (spreadsheets) or physical line (text), in batches. */
  rows: AsyncIterable<TabularRow[]>;
}

/**
 * File bytes to rows of cell text, whatever the file is: CSV or other delimited text (UTF-8 or Windows-1252, any
 * line ending, RFC 4180 quoting) or a spreadsheet (XLSX, XLS, ODS; the sheet named, else the first). Decided by
 * content, never by file name. Knows nothing of spending: the data-sharing validator can read files with it.
 */
export async function readTableRows(input: AsyncIterable<Buffer | Uint8Array>, options: { sheet?: string } = {}): Promise<TableRows> {
  const iterator = input[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  let exhausted = false;
  while (size < SAMPLE_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      exhausted = true;
      break;
    }
    const chunk = Buffer.from(next.value);
    head.push(chunk);
    size += chunk.length;
  }
  if (sniffTabularKind(Buffer.concat(head, size)) !== 'text') {
    for (let next = exhausted ? null : await iterator.next(); next && !next.done; next = await iterator.next())
      head.push(Buffer.from(next.value));
    const workbook = await openSpreadsheet(Buffer.concat(head));
    const names = workbook.sheets.map((sheet) => sheet.name);
    const index =
      options.sheet === undefined ? 0 : names.findIndex((name) => name.trim().toLowerCase() === options.sheet?.trim().toLowerCase());
    if (index === -1)
      throw new TabularFileError(`no sheet "${options.sheet ?? ''}"; the sheets are ${names.map((name) => `"${name}"`).join(', ')}`);
    return { kind: workbook.kind, sheets: names, sheet: names[index] ?? null, delimiter: null, rows: workbook.rows(index) };
  }
  const sample = Buffer.concat(head, size);
  const guess = detectEncoding(sample);
  const decoder = new AdaptiveDecoder(guess.encoding, guess.settled);
  const sampleText = decoder.decode(guess.bom ? sample.subarray(3) : sample);
  const delimiter = detectDelimiter(sampleText, exhausted);
  async function* rows(): AsyncGenerator<TabularRow[]> {
    const tokenizer = new CsvTokenizer(delimiter);
    let batch: TabularRow[] = [];
    const onRow = (cells: string[], line: number): void => {
      batch.push({ cells, line });
    };
    tokenizer.push(sampleText, exhausted, onRow);
    for (let next = exhausted ? null : await iterator.next(); next && !next.done; next = await iterator.next()) {
      tokenizer.push(decoder.decode(Buffer.from(next.value)), false, onRow);
      if (batch.length >= BATCH_ROWS) {
        yield batch;
        batch = [];
      }
    }
    if (!exhausted) tokenizer.push(decoder.end(), true, onRow);
    if (batch.length > 0) yield batch;
  }
  return { kind: 'text', sheets: [], sheet: null, delimiter, rows: rows() };
}
