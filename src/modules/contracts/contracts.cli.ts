import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ContractsService, OcdsImportOutcome } from './contracts.service.js';

export const IMPORT_OCDS_USAGE = `Usage: commons import ocds [--json] FILE...

Imports Open Contracting Data Standard files (Contracts Finder, Find a Tender), checked against the OCDS 1.1
schemas: release packages, record packages, releases, compiled releases and records, a JSON list of any of
these, concatenated JSON or JSON Lines. Versioned releases are refused. Files of any size are read as a stream.
Each file is written whole or not at all: one error refuses it, with the JSON path of each problem. Importing
a release again updates its contracts instead of adding them twice.

Options:
  --json   one JSON object per file on stdout: {"file", "status", "shapes", "releases", "contracts",
           "created", "updated", "unchanged", "errors", "warnings", "issues"}

Exit status: 0 when every file was imported, 1 when any was refused, 2 for a usage error.`;

interface Output {
  write(text: string): unknown;
}

function describe(outcome: OcdsImportOutcome): string {
  if (outcome.status === 'rejected')
    return `${outcome.file}: refused, nothing written:\n${outcome.errors.map((error) => `  ${error}`).join('\n')}`;
  return (
    `${outcome.file}: imported ${outcome.releases} release(s), ${outcome.contracts} contract(s) ` +
    `(${outcome.created} new, ${outcome.updated} updated, ${outcome.unchanged} unchanged)` +
    outcome.warnings.map((warning) => `\n  warning: ${warning}`).join('')
  );
}

/** Imports one file; a file that cannot be read at all is refused like any other, never left to crash the command. */
async function importOne(contractsService: Pick<ContractsService, 'importOcdsFile'>, file: string): Promise<OcdsImportOutcome> {
  try {
    return await contractsService.importOcdsFile(file);
  } catch (error) {
    const message = `the file could not be imported: ${error instanceof Error ? error.message : String(error)}`;
    return {
      file: path.basename(file),
      status: 'rejected',
      shapes: [],
      releases: 0,
      contracts: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      errors: [`${message}: $`],
      warnings: [],
      issues: { errors: [{ message, paths: ['$'], count: 1 }], warnings: [] },
    };
  }
}

/** `commons import ocds`: imports OCDS files into the contract register. Returns the exit code. */
export async function runImportOcdsCommand(
  args: readonly string[],
  { contractsService, stdout, stderr }: { contractsService: Pick<ContractsService, 'importOcdsFile'>; stdout: Output; stderr: Output },
): Promise<number> {
  let files: string[];
  let json: boolean;
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
    });
    if (values.help) {
      stdout.write(`${IMPORT_OCDS_USAGE}\n`);
      return 0;
    }
    if (positionals.length === 0) throw new Error('name at least one FILE to import');
    files = positionals.map((file) => path.resolve(file));
    const missing = files.find((file) => !fs.existsSync(file));
    if (missing) throw new Error(`No such file: ${missing}`);
    json = values.json;
  } catch (error) {
    stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${IMPORT_OCDS_USAGE}\n`);
    return 2;
  }
  let refused = false;
  for (const file of files) {
    const outcome = await importOne(contractsService, file);
    refused ||= outcome.status === 'rejected';
    if (json) {
      stdout.write(
        `${JSON.stringify({
          file: outcome.file,
          status: outcome.status,
          shapes: outcome.shapes,
          releases: outcome.releases,
          contracts: outcome.contracts,
          created: outcome.created,
          updated: outcome.updated,
          unchanged: outcome.unchanged,
          errors: outcome.errors,
          warnings: outcome.warnings,
          issues: outcome.issues,
        })}\n`,
      );
    } else stdout.write(`${describe(outcome)}\n`);
  }
  return refused ? 1 : 0;
}
