import { type BoundedParser, ParseBudgetError, siblingModule, WorkerParseError } from '../../platform/parsing/bounded-parser.js';
import type { OcdsParseResult } from './ocds/ocds-types.js';

/** Reads OCDS JSON text to a parse result; the contracts service is given one (in a worker, or here in tests). */
export type OcdsParse = (text: string, fileName?: string) => Promise<OcdsParseResult>;

const PARSER_MODULE = siblingModule(import.meta.url, './ocds/ocds-parser');

/**
 * The OCDS reader run by a bounded parser: in a worker with a time and memory budget, so no file can stop the
 * server. A file that runs past the budget, or makes the reader fail, is refused and the refusal says why.
 */
export function boundedOcdsParse(parser: BoundedParser): OcdsParse {
  return async (text, fileName) => {
    try {
      return await parser.run<OcdsParseResult>(PARSER_MODULE, 'parseOcds', fileName === undefined ? [text] : [text, fileName]);
    } catch (error) {
      if (error instanceof ParseBudgetError) return { ok: false, errors: [{ path: '$', message: error.message, line: 1 }] };
      if (error instanceof WorkerParseError) {
        const line = typeof error.details.line === 'number' ? error.details.line : 1;
        return { ok: false, errors: [{ path: '$', message: `the file could not be read (${error.message})`, line }] };
      }
      throw error;
    }
  };
}
