/**
 * Validates one CSV stream against a Table Schema (or one inferred from its first rows), reading bytes with
 * the spend module's encoding detection and CSV tokenizer: nothing but the keys is held, so memory stays flat.
 */
import crypto from 'node:crypto';
import { openSpreadsheet, sniffTabularKind, TabularFileError } from '../../../platform/tabular/index.js';
import { AdaptiveDecoder, CsvTokenizer, detectDelimiter, detectEncoding, SpendFileError } from '../../spend/index.js';
import { inferTableSchema } from './infer-schema.js';
import { type KeyLookup, TableChecker } from './table-checker.js';
import { SchemaError, type TableSchema } from './table-schema.js';
import type { DetailedReport, ErrorType } from './validation.types.js';

export const DEFAULT_MAX_ERRORS = 10_000;
const SAMPLE_BYTES = 64 * 1024;
const INFERENCE_ROWS = 1_000;

export interface ValidateTableOptions {
  file: string;
  /** Null: infer one from the first rows. */
  schema: TableSchema | null;
  maxErrors?: number;
  /** Keys of other resources, by resource name, for foreign keys. */
  lookups?: ReadonlyMap<string, KeyLookup>;
  /** A delimiter given by a Data Package's dialect; otherwise detected. */
  delimiter?: string;
}

interface Source {
  bytes: number;
  hash: crypto.Hash;
}

/** Bytes as a stream, or (for tests and small inputs) as a list of chunks. */
export type ByteSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

function iteratorOf(input: ByteSource): AsyncIterator<Uint8Array | string> | Iterator<Uint8Array | string> {
  return Symbol.asyncIterator in input ? input[Symbol.asyncIterator]() : input[Symbol.iterator]();
}

/**
 * A line break written twice over ("\r\r\n", what a CRLF file gets when saved again in text mode on Windows) is one
 * line end, as Python's csv reader that Frictionless uses treats it; a truly empty line is still a blank row.
 */
function undoubleLineEnds(text: string): string {
  return text.includes('\r\r\n') ? text.replaceAll('\r\r\n', '\r\n') : text;
}

function toBytes(chunk: Uint8Array | string): Uint8Array {
  return typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
}

/** Streams the file's rows to `onRow` (header first); returns what was learnt about the bytes. */
async function readRows(
  input: ByteSource,
  source: Source,
  delimiterGiven: string | undefined,
  onRow: (cells: string[]) => void,
  onInvalidUtf8: () => void,
): Promise<{ encoding: string; delimiter: string; unterminatedQuoteRow: boolean }> {
  const iterator = iteratorOf(input);
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let exhausted = false;
  while (headBytes < SAMPLE_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      exhausted = true;
      break;
    }
    const chunk = toBytes(next.value);
    source.hash.update(chunk);
    head.push(chunk);
    headBytes += chunk.length;
  }
  source.bytes = headBytes;
  const sample = Buffer.concat(head, headBytes);
  if (sniffTabularKind(sample) !== 'text') return readSpreadsheetRows(iterator, head, exhausted, source, onRow);
  const guess = detectEncoding(sample);
  const decoder = new AdaptiveDecoder(guess.encoding, guess.settled, undefined, onInvalidUtf8);
  const sampleText = decoder.decode(guess.bom ? sample.subarray(3) : sample);
  const delimiter = delimiterGiven ?? detectDelimiter(sampleText, exhausted);
  const tokenizer = new CsvTokenizer(delimiter);
  tokenizer.push(undoubleLineEnds(sampleText), exhausted, onRow);
  while (!exhausted) {
    const next = await iterator.next();
    if (next.done) break;
    const chunk = toBytes(next.value);
    source.hash.update(chunk);
    source.bytes += chunk.length;
    tokenizer.push(undoubleLineEnds(decoder.decode(chunk)), false, onRow);
  }
  if (!exhausted) tokenizer.push(decoder.end(), true, onRow);
  return { encoding: decoder.encoding, delimiter, unterminatedQuoteRow: tokenizer.unterminatedQuoteLine !== null };
}

/**
 * A spreadsheet (XLSX, XLS or ODS, told by its bytes) read whole, then its first sheet's rows in order, header first.
 * Rows the sheet leaves out are given as blank rows, so row numbers are the sheet's own (as in Frictionless).
 * Dates in date formats arrive as YYYY-MM-DD and numbers as plain digits (src/platform/tabular).
 */
async function readSpreadsheetRows(
  iterator: AsyncIterator<Uint8Array | string> | Iterator<Uint8Array | string>,
  head: Uint8Array[],
  exhausted: boolean,
  source: Source,
  onRow: (cells: string[]) => void,
): Promise<{ encoding: string; delimiter: string; unterminatedQuoteRow: boolean }> {
  const chunks = [...head];
  for (let next = exhausted ? null : await iterator.next(); next && !next.done; next = await iterator.next()) {
    const chunk = toBytes(next.value);
    source.hash.update(chunk);
    source.bytes += chunk.length;
    chunks.push(chunk);
  }
  const workbook = await openSpreadsheet(Buffer.concat(chunks));
  // A sheet stores no cells after a row's last value: rows are padded to the header's width, as a spreadsheet shows
  // them (and as Frictionless reads them), so an empty last column is not a missing cell.
  let expected = 1;
  let width = 0;
  for await (const batch of workbook.rows(0)) {
    for (const row of batch) {
      for (; expected < row.line; expected++) onRow(expected === 1 ? [] : new Array<string>(width).fill(''));
      if (expected === 1) width = row.cells.length;
      onRow(row.cells.length < width ? [...row.cells, ...new Array<string>(width - row.cells.length).fill('')] : row.cells);
      expected = row.line + 1;
    }
  }
  return { encoding: workbook.kind, delimiter: '', unterminatedQuoteRow: false };
}

/** Streams a table's rows (header first) with the same reading as the validator, CSV or spreadsheet; for foreign keys and annotated copies. */
export async function streamCsvRows(input: ByteSource, onRow: (cells: string[]) => void): Promise<void> {
  await readRows(input, { bytes: 0, hash: crypto.createHash('sha256') }, undefined, onRow, () => undefined);
}

type FileProblem = { type: ErrorType; message: string; rowNumber: number | null };

/**
 * Sends rows to the checker: the header first, then data rows, which wait (up to INFERENCE_ROWS of them) for a
 * schema to be inferred when none was given.
 */
class RowRouter {
  checker: TableChecker | null = null;
  labels: string[] | null = null;
  private buffered: string[][] | null;

  constructor(
    private readonly given: TableChecker | null,
    inferring: boolean,
    private readonly options: { maxErrors: number; lookups?: ReadonlyMap<string, KeyLookup> },
  ) {
    this.buffered = inferring ? [] : null;
  }

  readonly onRow = (cells: string[]): void => {
    if (this.checker) return this.checker.checkRow(cells);
    if (this.labels === null) {
      this.labels = cells;
      if (this.given) {
        this.checker = this.given;
        this.checker.checkHeader(cells);
      }
      return;
    }
    this.buffered?.push(cells);
    if (this.buffered && this.buffered.length >= INFERENCE_ROWS) this.flushInference();
  };

  /** Infers the schema from the rows kept so far and checks them; nothing to do once a checker is running. */
  flushInference(): void {
    if (!this.buffered || this.labels === null) return;
    const rows = this.buffered;
    this.buffered = null;
    const checker = new TableChecker(inferTableSchema(this.labels, rows), this.options);
    this.checker = checker;
    checker.checkHeader(this.labels);
    for (const row of rows) checker.checkRow(row);
  }
}

/** A problem of the bytes (not of the rows) as a report entry; other errors are not the file's and are thrown again. */
function fileProblemOf(error: unknown): FileProblem {
  if (error instanceof TabularFileError)
    return { type: 'source-error', rowNumber: null, message: `The spreadsheet could not be read: ${error.message}` };
  if (error instanceof SpendFileError)
    return {
      type: error.message.includes('UTF-16') ? 'encoding-error' : 'source-error',
      rowNumber: null,
      message: `The data source could not be read: ${error.message}`,
    };
  throw error;
}

/** A given schema compiled before a byte is read, so a schema the validator cannot use is reported as such. */
function compileGiven(options: ValidateTableOptions, maxErrors: number): { given: TableChecker | null; schemaProblem: SchemaError | null } {
  try {
    return {
      given: options.schema ? new TableChecker(options.schema, { maxErrors, lookups: options.lookups }) : null,
      schemaProblem: null,
    };
  } catch (error) {
    if (!(error instanceof SchemaError)) throw error;
    return { given: null, schemaProblem: error };
  }
}

/** The report of a table read to its end (or as far as it could be read). */
function buildReport(
  options: ValidateTableOptions,
  checker: TableChecker | null,
  problems: { schema: SchemaError | null; file: FileProblem[] },
  source: Source,
  read: { encoding: string; delimiter: string },
): DetailedReport {
  checker?.finish();
  const finalChecker =
    checker ??
    new TableChecker(
      { fields: [], missingValues: [''], primaryKey: [], foreignKeys: [], uniqueKeys: [] },
      { maxErrors: options.maxErrors ?? DEFAULT_MAX_ERRORS },
    );
  const schemaProblem = problems.schema;
  if (schemaProblem) finalChecker.report('schema-error', null, null, null, null, () => `The schema is not valid: ${schemaProblem.message}`);
  for (const problem of problems.file) finalChecker.report(problem.type, problem.rowNumber, null, null, null, () => problem.message);
  const schema = finalChecker.schema;
  const errors = finalChecker.errorCount;
  return {
    file: options.file,
    valid: errors === 0,
    stats: { rows: finalChecker.rows, fields: schema.fields.length, errors, bytes: source.bytes, sha256: source.hash.digest('hex') },
    errors: finalChecker.issues,
    counts: Object.fromEntries(finalChecker.counts),
    schemaFields: schema.fields.map((field) => ({ name: field.name, type: field.type, format: field.format })),
    inferred: options.schema === null,
    rowsWithErrors: finalChecker.rowsWithErrors,
    encoding: read.encoding,
    delimiter: read.delimiter,
  };
}

/** Validates one table; never throws for a bad file (its problems are in the report), only for I/O failures. */
export async function validateTable(input: ByteSource, options: ValidateTableOptions): Promise<DetailedReport> {
  const maxErrors = options.maxErrors ?? DEFAULT_MAX_ERRORS;
  const source: Source = { bytes: 0, hash: crypto.createHash('sha256') };
  const fileProblems: FileProblem[] = [];
  let { given, schemaProblem } = compileGiven(options, maxErrors);
  const router = new RowRouter(given, options.schema === null, { maxErrors, lookups: options.lookups });
  const read = { encoding: 'utf-8', delimiter: ',' };
  let invalidUtf8 = false;
  try {
    if (schemaProblem) throw schemaProblem;
    const result = await readRows(input, source, options.delimiter, router.onRow, () => (invalidUtf8 = true));
    read.encoding = result.encoding;
    read.delimiter = result.delimiter;
    if (result.unterminatedQuoteRow)
      fileProblems.push({
        type: 'source-error',
        rowNumber: null,
        message: 'The data source has a quote that is opened and never closed: the last row runs to the end of the file',
      });
  } catch (error) {
    if (error instanceof SchemaError) schemaProblem = error;
    else fileProblems.push(fileProblemOf(error));
  }
  try {
    router.flushInference();
  } catch (error) {
    if (!(error instanceof SchemaError)) throw error;
    schemaProblem = error;
  }
  if (router.labels === null && fileProblems.length === 0 && !schemaProblem)
    fileProblems.push({ type: 'source-error', rowNumber: null, message: 'The data source is empty: it has no header row and no data' });
  if (invalidUtf8)
    fileProblems.push({
      type: 'encoding-error',
      rowNumber: null,
      message: 'The data source could not be successfully decoded: it has bytes that are not valid UTF-8 after valid UTF-8 text',
    });
  given = router.checker ?? given;
  return buildReport(options, given, { schema: schemaProblem, file: fileProblems }, source, read);
}
