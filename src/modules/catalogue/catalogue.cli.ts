import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { PubliccodeIssue } from './publiccode/index.js';
import type { CatalogueService } from './catalogue.service.js';
import type { PubliccodeImportOutcome } from './catalogue.types.js';

export const IMPORT_PUBLICCODE_USAGE = `Usage: commons import publiccode [--json] FILE|DIRECTORY...

Imports publiccode.yml files (versions 0.2 to 0.4) into the catalogue of components. A directory is searched
for files named publiccode.yml, publiccode.yaml or *.publiccode.yml. Importing a file again updates the
component with the same code repository; it never makes a second one. Every unknown or invalid field is named.

Options:
  --json     one JSON object per file on stdout: {"file", "status", "slug", "warnings", "errors"}

Exit status: 0 when every file imported, 1 when any was rejected, 2 for a usage error.`;

export const REMIND_ADOPTIONS_USAGE = `Usage: commons remind adoptions

Emails the contact of every adoption declaration that has not been confirmed for 11 months or more (at most
once every 30 days), asking them to confirm it before it stops counting at 12 months. Run it daily from a
scheduler (cron, a Kubernetes CronJob). Exit status 0.`;

interface Output {
  write(text: string): unknown;
}

/** Finds the publiccode.yml files named, looking inside directories (not following symbolic links). */
export function collectPubliccodeFiles(targets: readonly string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const visit = (target: string, top: boolean) => {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(target);
    } catch {
      if (top) missing.push(target);
      return;
    }
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(target).sort()) visit(path.join(target, entry), false);
    } else if (stat.isFile() && (top || /(^|\.)publiccode\.ya?ml$/i.test(path.basename(target)))) {
      files.push(target);
    }
  };
  for (const target of targets) visit(target, true);
  return { files, missing };
}

function describeIssue(issue: PubliccodeIssue): string {
  const where = [issue.field === '' ? '' : issue.field, issue.line === undefined ? '' : `line ${issue.line}`].filter(Boolean).join(', ');
  return where === '' ? issue.message : `${where}: ${issue.message}`;
}

/** One line per file for people. */
export function describeImportOutcome(outcome: PubliccodeImportOutcome): string {
  if (outcome.status === 'rejected') return `${outcome.file}: rejected: ${outcome.errors.map(describeIssue).join('; ')}`;
  const warnings = outcome.warnings.length === 0 ? '' : ` (warnings: ${outcome.warnings.map(describeIssue).join('; ')})`;
  return `${outcome.file}: ${outcome.status} /components/${outcome.slug ?? ''}${warnings}`;
}

/** `commons import publiccode`: returns the exit code. */
export async function runImportPubliccodeCommand(
  args: readonly string[],
  { catalogueService, stdout, stderr }: { catalogueService: CatalogueService; stdout: Output; stderr: Output },
): Promise<number> {
  let values: { json?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
    }));
  } catch (error) {
    stderr.write(`${(error as Error).message}\n\n${IMPORT_PUBLICCODE_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    stdout.write(`${IMPORT_PUBLICCODE_USAGE}\n`);
    return 0;
  }
  if (positionals.length === 0) {
    stderr.write(`Name at least one file or directory.\n\n${IMPORT_PUBLICCODE_USAGE}\n`);
    return 2;
  }
  const { files, missing } = collectPubliccodeFiles(positionals);
  const outcomes: PubliccodeImportOutcome[] = missing.map((file) => ({
    file,
    status: 'rejected',
    slug: null,
    warnings: [],
    errors: [{ field: '', message: 'no such file or directory' }],
  }));
  for (const file of files) {
    outcomes.push(
      await catalogueService.importPubliccode(null, { fileName: file, text: fs.readFileSync(file, 'utf8'), directory: path.dirname(file) }),
    );
  }
  if (outcomes.length === 0) {
    stderr.write(`No publiccode.yml files found in ${positionals.join(', ')}\n`);
    return 1;
  }
  for (const outcome of outcomes) {
    stdout.write(`${values.json ? JSON.stringify(outcome) : describeImportOutcome(outcome)}\n`);
  }
  return outcomes.some((outcome) => outcome.status === 'rejected') ? 1 : 0;
}

/** `commons remind adoptions`: returns the exit code. */
export async function runRemindAdoptionsCommand({
  catalogueService,
  stdout,
}: {
  catalogueService: CatalogueService;
  stdout: Output;
}): Promise<number> {
  const { reminded } = await catalogueService.remindAdoptionContacts();
  stdout.write(`Reminded ${reminded} adoption contact${reminded === 1 ? '' : 's'}.\n`);
  return 0;
}
