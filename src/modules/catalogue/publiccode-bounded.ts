import { codeModuleUrl } from '../../platform/code-locations.js';
import { type BoundedParser, ParseBudgetError, WorkerParseError } from '../../platform/parsing/bounded-parser.js';
import type { PubliccodeParseResult } from './publiccode/index.js';

/** Reads publiccode.yml text to a parse result; the catalogue service is given one (in a worker, or here in tests). */
/** Parses a publiccode.yml; `directory` is the file's folder on disk, to check relative logo and screenshot paths. */
export type PubliccodeParse = (text: string, fileName: string, options?: { directory?: string }) => Promise<PubliccodeParseResult>;

const PARSER_MODULE = codeModuleUrl('modules/catalogue/publiccode/publiccode-parser');

/**
 * The publiccode.yml reader run by a bounded parser: in a worker with a time and memory budget, so no file can
 * stop the server. A file that runs past the budget, or makes the reader fail, is refused and the refusal says why.
 */
export function boundedPubliccodeParse(parser: BoundedParser): PubliccodeParse {
  return async (text, fileName, options = {}) => {
    try {
      return await parser.run<PubliccodeParseResult>(PARSER_MODULE, 'parsePubliccode', [text, fileName, options]);
    } catch (error) {
      if (error instanceof ParseBudgetError)
        return { ok: false, errors: [{ field: '', message: `${fileName}: ${error.message}`, line: 1 }] };
      if (error instanceof WorkerParseError) {
        const line = typeof error.details.line === 'number' ? error.details.line : 1;
        return { ok: false, errors: [{ field: '', message: `${fileName}: the file could not be read (${error.message})`, line }] };
      }
      throw error;
    }
  };
}
