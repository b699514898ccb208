import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ContractsService, OcdsImportOutcome } from './contracts.service.js';

export const IMPORT_OCDS_USAGE = `Usage: commons import ocds [--json] FILE...

Imports Open Contracting Data Standard files (Contracts Finder, Find a Tender): release packages, record
packages, bare releases, lists of releases and records. Each file is written whole or not at all; importing
a release again updates its contracts instead of adding them twice.

Options:
  --json   one JSON object per file on stdout: {"file", "status", "releases", "contracts", "errors"}

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
    const outcome = await contractsService.importOcdsFile(file);
    refused ||= outcome.status === 'rejected';
    if (json) {
      stdout.write(
        `${JSON.stringify({
          file: outcome.file,
          status: outcome.status,
          releases: outcome.releases,
          contracts: outcome.contracts,
          created: outcome.created,
          updated: outcome.updated,
          unchanged: outcome.unchanged,
          errors: outcome.errors,
          warnings: outcome.warnings,
        })}\n`,
      );
    } else stdout.write(`${describe(outcome)}\n`);
  }
  return refused ? 1 : 0;
}
