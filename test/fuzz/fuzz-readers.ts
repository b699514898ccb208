import { Readable } from 'node:stream';
import { parsePubliccode } from '../../src/modules/catalogue/publiccode/publiccode-parser.js';
import { parseOcds } from '../../src/modules/contracts/ocds/index.js';
import { readSpendFile, SpendFileError } from '../../src/modules/spend/ingest/index.js';
import type { ReaderOutcome } from './fuzz-harness.js';

/**
 * Each reader under fuzzing as a function of text to a ReaderOutcome; they run in the bounded parser's worker.
 * A reader's own refusal becomes refusals; anything else it throws propagates and fails the property.
 */

/** The spend CSV reader, read to its end. */
export async function readSpendText(text: string, fileName: string): Promise<ReaderOutcome> {
  try {
    const reader = await readSpendFile(Readable.from([Buffer.from(text, 'latin1')]), { fileName });
    let rows = 0;
    for await (const batch of reader.batches) rows += batch.length;
    const { rejects, rejectedCount, skipped } = reader.stats;
    const skippedCount = Object.values(skipped).reduce((sum, count) => sum + count, 0);
    return {
      accepted: true,
      refusals: rejects.map((reject) => ({
        where: `${fileName} line ${reject.line}${reject.column ? `, ${reject.column}` : ''}`,
        message: reject.reason,
      })),
      work: rows + rejectedCount + skippedCount,
    };
  } catch (error) {
    if (!(error instanceof SpendFileError)) throw error;
    // A whole-file refusal names the file, and the line and column when it is about one of them.
    const where = [fileName, error.line === null ? null : `line ${error.line}`, error.column].filter(Boolean).join(', ');
    return { accepted: false, refusals: [{ where, message: error.message }], work: 1 };
  }
}

/** The publiccode.yml reader. */
export function readPubliccodeText(text: string, fileName: string): ReaderOutcome {
  const result = parsePubliccode(text, fileName);
  const issues = result.ok ? result.warnings : result.errors;
  return {
    accepted: result.ok,
    refusals: (result.ok ? [] : issues).map((issue) => ({
      where: issue.field !== '' ? issue.field : issue.line !== undefined ? `line ${issue.line}` : '',
      message: issue.message,
    })),
    work: issues.length,
  };
}

/** The OCDS reader. */
export async function readOcdsText(text: string): Promise<ReaderOutcome> {
  const result = await parseOcds(text);
  return {
    accepted: result.ok,
    refusals: result.ok ? [] : result.errors.map((issue) => ({ where: issue.paths.join(', '), message: issue.message })),
    work: result.ok ? result.contracts.length + result.warnings.length : result.errors.length,
  };
}
