import { CsvTokenizer } from './csv-tokenizer.js';
import { AdaptiveDecoder, detectEncoding, type EncodingGuess } from './spend-encoding.js';
import { assertTransactionLevel, detectLayout, type SampleRow } from './spend-layout.js';
import { isBlank, RowInterpreter, toBuffer, withoutNul } from './spend-row-interpreter.js';
import { type DetectedLayout, type SpendReadOptions, type SpendReadResult, type SpendRecord } from './spend-types.js';
import { chooseSpendSheet, openSpendWorkbook } from './spend-spreadsheet.js';
import { sniffTabularKind } from '../../../platform/tabular/index.js';

// Enough to hold a long preamble and the first rows; the file is never held whole.
const SAMPLE_BYTES = 64 * 1024;
const BATCH_SIZE = 1000;
/** Hands out whole batches of BATCH_SIZE, leaving the remainder pending. */
function* takeFullBatches(interpreter: RowInterpreter): Generator<SpendRecord[]> {
  const pending = interpreter.pending;
  let start = 0;
  for (; start + BATCH_SIZE <= pending.length; start += BATCH_SIZE) yield pending.slice(start, start + BATCH_SIZE);
  interpreter.pending = start === 0 ? pending : pending.slice(start);
}

function stripBom(bytes: Buffer, guess: EncodingGuess): Buffer {
  return guess.bom ? bytes.subarray(3) : bytes;
}

/**
 * Reads a council "spending over £500" CSV as a stream: detects its layout from
 * the first 64 KB, then yields records in batches as the caller consumes them.
 * Throws SpendFileError (before any record) for files it refuses as a whole.
 */
export async function readSpendFile(input: AsyncIterable<Buffer | Uint8Array>, options: SpendReadOptions = {}): Promise<SpendReadResult> {
  const iterator = input[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  let exhausted = false;
  while (headBytes < SAMPLE_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      exhausted = true;
      break;
    }
    const chunk = toBuffer(next.value);
    head.push(chunk);
    headBytes += chunk.length;
  }
  const sample = Buffer.concat(head, headBytes);
  // Read by content, never by name: a CSV called .xls is a CSV.
  if (sniffTabularKind(sample) !== 'text') return readSpendSpreadsheet(sample, exhausted ? null : iterator, options);
  const guess = detectEncoding(sample);

  let layoutRef: DetectedLayout | null = null;
  let interpreterRef: RowInterpreter | null = null;
  const decoder = new AdaptiveDecoder(
    guess.encoding,
    guess.settled,
    (encoding) => {
      if (layoutRef) layoutRef.encoding = encoding;
      if (encoding === 'windows-1252') interpreterRef?.warn('the file is ASCII until a byte that is not UTF-8; read as Windows-1252');
    },
    () => interpreterRef?.warn('the file has bytes that are not valid UTF-8 after valid UTF-8 text; they were replaced with �'),
  );
  const sampleText = decoder.decode(stripBom(sample, guess));
  const { layout } = detectLayout(sampleText, guess, options, exhausted);
  layout.encoding = decoder.encoding;
  assertTransactionLevel(layout, options);
  layoutRef = layout;

  const interpreter = new RowInterpreter(layout, options);
  interpreterRef = interpreter;
  const stats = interpreter.stats;
  stats.bytesRead = headBytes;
  const tokenizer = new CsvTokenizer(layout.delimiter);
  let started = false;

  async function* readBatches(): AsyncGenerator<SpendRecord[]> {
    if (started) throw new Error('spend file records can be read only once');
    started = true;
    const countNul = (count: number): void => {
      interpreter.nulRemoved += count;
    };
    tokenizer.push(withoutNul(sampleText, countNul), exhausted, interpreter.handleRow);
    while (!exhausted) {
      if (interpreter.pending.length >= BATCH_SIZE) yield* takeFullBatches(interpreter);
      const next = await iterator.next();
      if (next.done) break;
      const chunk = toBuffer(next.value);
      stats.bytesRead += chunk.length;
      tokenizer.push(withoutNul(decoder.decode(chunk), countNul), false, interpreter.handleRow);
    }
    tokenizer.push(withoutNul(decoder.end(), countNul), true, interpreter.handleRow);
    interpreter.finish(tokenizer.unterminatedQuoteLine);
    yield* takeFullBatches(interpreter);
    if (interpreter.pending.length > 0) yield interpreter.pending;
    interpreter.pending = [];
  }

  const batches: AsyncIterable<SpendRecord[]> = { [Symbol.asyncIterator]: readBatches };
  const records: AsyncIterable<SpendRecord> = {
    async *[Symbol.asyncIterator]() {
      for await (const batch of batches) yield* batch;
    },
  };
  return { layout, batches, records, stats };
}

/** Reads a spreadsheet (XLSX, XLS, ODS): held in memory compressed, its sheet's rows streamed to the same rules as a CSV. */
async function readSpendSpreadsheet(
  head: Buffer,
  rest: AsyncIterator<Buffer | Uint8Array> | null,
  options: SpendReadOptions,
): Promise<SpendReadResult> {
  const parts: Buffer[] = [head];
  let bytes = head.length;
  for (let next = await rest?.next(); next && !next.done; next = await rest?.next()) {
    const chunk = toBuffer(next.value);
    parts.push(chunk);
    bytes += chunk.length;
  }
  const workbook = await openSpendWorkbook(parts.length === 1 ? head : Buffer.concat(parts, bytes), options);
  const { detection, sheets } = await chooseSpendSheet(workbook, options);
  const layout = detection.layout;
  assertTransactionLevel(layout, options);
  const interpreter = new RowInterpreter(layout, options);
  interpreter.stats.bytesRead = bytes;
  let started = false;

  async function* readBatches(): AsyncGenerator<SpendRecord[]> {
    if (started) throw new Error('spend file records can be read only once');
    started = true;
    for (const sheet of sheets) {
      // Lines are counted per sheet; with several sheets, what is said of a row names its sheet.
      interpreter.startSheet(sheet.headerLine ?? 0, sheets.length > 1 ? sheet.name : null);
      for await (const rows of workbook.rows(sheet.index)) {
        for (const row of rows) {
          const cells = row.cells.map((cell) => withoutNul(cell, (count) => (interpreter.nulRemoved += count)));
          interpreter.handleRow(cells, row.line);
        }
        if (interpreter.pending.length >= BATCH_SIZE) yield* takeFullBatches(interpreter);
      }
    }
    interpreter.finish(null);
    yield* takeFullBatches(interpreter);
    if (interpreter.pending.length > 0) yield interpreter.pending;
    interpreter.pending = [];
  }
  const batches: AsyncIterable<SpendRecord[]> = { [Symbol.asyncIterator]: readBatches };
  const records: AsyncIterable<SpendRecord> = {
    async *[Symbol.asyncIterator]() {
      for await (const batch of batches) yield* batch;
    },
  };
  return { layout, batches, records, stats: interpreter.stats };
}

/**
 * The layout and first ten data rows of a file given as bytes: the first 64 KB of a CSV, or the whole of a
 * spreadsheet (a spreadsheet cannot be read from its start alone).
 */
export async function previewSpendBytes(
  bytes: Buffer,
  options: SpendReadOptions = {},
): Promise<{ layout: DetectedLayout; rows: string[][]; titleRows: string[][] }> {
  if (sniffTabularKind(bytes) === 'text') return previewSpendFile(bytes, options);
  const { detection } = await chooseSpendSheet(await openSpendWorkbook(bytes, options), options);
  const rows = detection.dataRows
    .filter((row: SampleRow) => !isBlank(row.cells))
    .slice(0, 10)
    .map((row) => row.cells);
  return { layout: detection.layout, rows, titleRows: detection.preambleRows.map((row) => row.cells) };
}

/**
 * Detects the layout of a file from its first bytes and returns its first ten
 * data rows as text, for a "check the columns" page. Unlike readSpendFile it
 * does not refuse a file with missing columns: the mapping shows what is missing.
 */
export function previewSpendFile(
  firstBytes: Buffer,
  options: SpendReadOptions = {},
): { layout: DetectedLayout; rows: string[][]; titleRows: string[][] } {
  const guess = detectEncoding(firstBytes);
  const decoder = new AdaptiveDecoder(guess.encoding, guess.settled);
  const text = decoder.decode(stripBom(firstBytes, guess)) + decoder.end();
  let detection = detectLayout(text, guess, options, false);
  if (detection.dataRows.length < 10) detection = detectLayout(text, guess, options, true);
  detection.layout.encoding = decoder.encoding;
  const rows = detection.dataRows
    .filter((row: SampleRow) => !isBlank(row.cells))
    .slice(0, 10)
    .map((row) => row.cells);
  return { layout: detection.layout, rows, titleRows: detection.preambleRows.map((row) => row.cells) };
}
