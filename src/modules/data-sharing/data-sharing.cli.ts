import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  type DataPackage,
  type DataResource,
  isDataPackageDescriptor,
  readDataPackage,
  readTableSchema,
  SchemaError,
  type TableSchema,
} from './validation/table-schema.js';
import { validatePackage } from './validation/validate-package.js';
import { validateTable } from './validation/validate-table.js';
import { type DetailedReport, type FileReport, toFileReport } from './validation/validation.types.js';

export const VALIDATE_USAGE = `Usage: commons validate [--schema SLUG_OR_FILE] [--json] FILE...

Checks CSV files against a Frictionless Table Schema and reports every problem by row and field.

  --schema SLUG_OR_FILE   a data standard's slug from the register, or a Table Schema or Data Package file;
                          without it, each file is checked against a schema inferred from its first rows
  --json                  one JSON object per file: {"file", "valid", "stats", "errors"}
  FILE                    a CSV file, or a datapackage.json (each of its resources is checked)

Exit status: 0 when every file is valid, 1 when any is invalid, 2 when a file cannot be read.`;

/** A standard's schema descriptor by slug, from the register; absent when the command runs without a database. */
export type FindStandardSchema = (slug: string) => Promise<unknown>;

interface Output {
  write(text: string): unknown;
}

class UnreadableError extends Error {}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new UnreadableError(`${file}: ${error instanceof SyntaxError ? `not valid JSON (${error.message})` : 'cannot be read'}`);
  }
}

/** True when the --schema value names a file rather than a slug (the CLI then needs no database). */
export function schemaArgumentIsFile(value: string | undefined): boolean {
  return value === undefined || fs.existsSync(value) || value.endsWith('.json');
}

/** The `--schema` value from the arguments, if any (for the caller deciding whether to open the database). */
export function schemaArgument(args: readonly string[]): string | undefined {
  const index = args.findIndex((arg) => arg === '--schema' || arg.startsWith('--schema='));
  if (index === -1) return undefined;
  const arg = args[index] ?? '';
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[index + 1];
}

type Plan =
  { kind: 'table'; file: string; schema: TableSchema | null } | { kind: 'package'; pkg: DataPackage; base: string; only: string[] | null };

function openResource(base: string) {
  return (resource: DataResource) => {
    if (/^[a-z]+:\/\//i.test(resource.path)) return null;
    const file = path.resolve(base, resource.path);
    return fs.existsSync(file) ? fs.createReadStream(file) : null;
  };
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function describe(report: FileReport): string {
  const head = report.valid
    ? `${report.file}: valid (${plural(report.stats.rows, 'row')}, ${plural(report.stats.fields, 'field')})`
    : `${report.file}: not valid: ${plural(report.stats.errors, 'problem')} in ${plural(report.stats.rows, 'row')}`;
  const lines = report.errors.slice(0, 50).map((error) => {
    const where = [
      error.rowNumber === null ? null : `row ${error.rowNumber}`,
      error.fieldNumber === null ? null : `field ${error.fieldNumber}${error.fieldName ? ` (${error.fieldName})` : ''}`,
    ]
      .filter(Boolean)
      .join(', ');
    return `  ${error.type}${where ? ` at ${where}` : ''}: ${error.message}`;
  });
  if (report.errors.length > 50) lines.push(`  … and ${report.stats.errors - 50} more (use --json for all)`);
  return [head, ...lines].join('\n');
}

async function planFor(file: string, schemaArg: string | undefined, findStandardSchema: FindStandardSchema | undefined): Promise<Plan> {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UnreadableError(`${file}: no such file`);
  if (file.endsWith('.json')) {
    const descriptor = readJson(file);
    if (isDataPackageDescriptor(descriptor))
      return { kind: 'package', pkg: readDataPackage(descriptor), base: path.dirname(file), only: null };
  }
  if (schemaArg === undefined) return { kind: 'table', file, schema: null };
  let descriptor: unknown;
  if (fs.existsSync(schemaArg)) descriptor = readJson(schemaArg);
  else {
    descriptor = findStandardSchema ? await findStandardSchema(schemaArg) : undefined;
    if (descriptor === undefined || descriptor === null)
      throw new UnreadableError(`--schema ${schemaArg}: no such file, and no data standard has that slug`);
  }
  if (isDataPackageDescriptor(descriptor)) {
    const pkg = readDataPackage(descriptor);
    const resource =
      pkg.resources.find((candidate) => path.basename(candidate.path) === path.basename(file)) ??
      (pkg.resources.length === 1 ? pkg.resources[0] : undefined);
    if (!resource)
      throw new UnreadableError(
        `${file}: the data package has no resource with this file name (${pkg.resources.map((r) => path.basename(r.path)).join(', ')})`,
      );
    return { kind: 'table', file, schema: resource.schema };
  }
  return { kind: 'table', file, schema: readTableSchema(descriptor) };
}

async function reportsFor(plan: Plan, stderr: Output): Promise<DetailedReport[]> {
  if (plan.kind === 'table') return [await validateTable(fs.createReadStream(plan.file), { file: plan.file, schema: plan.schema })];
  const result = await validatePackage(plan.pkg, openResource(plan.base));
  for (const resource of result.absent)
    stderr.write(`${resource.path}: not present; the package's resource "${resource.name}" was not checked\n`);
  return result.reports.map((report) => ({ ...report, file: path.join(plan.base, report.file) }));
}

/** `commons validate`: returns the exit status. */
export async function runValidateCommand(
  args: readonly string[],
  { stdout, stderr, findStandardSchema }: { stdout: Output; stderr: Output; findStandardSchema?: FindStandardSchema },
): Promise<number> {
  let values: { schema?: string; json?: boolean; help?: boolean };
  let files: string[];
  try {
    const parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { schema: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
    });
    values = parsed.values;
    files = parsed.positionals;
  } catch (error) {
    stderr.write(`${(error as Error).message}\n\n${VALIDATE_USAGE}\n`);
    return 2;
  }
  if (values.help || files.length === 0) {
    (values.help ? stdout : stderr).write(`${VALIDATE_USAGE}\n`);
    return values.help ? 0 : 2;
  }
  let status = 0;
  for (const file of files) {
    try {
      const reports = await reportsFor(await planFor(file, values.schema, findStandardSchema), stderr);
      for (const report of reports) {
        stdout.write(values.json ? `${JSON.stringify(toFileReport(report))}\n` : `${describe(report)}\n`);
        if (!report.valid) status = Math.max(status, 1);
      }
    } catch (error) {
      if (error instanceof UnreadableError) stderr.write(`${error.message}\n`);
      else if (error instanceof SchemaError)
        stderr.write(`${values.schema ?? file}: not a Table Schema the validator can use: ${error.message}\n`);
      else if ((error as NodeJS.ErrnoException).code !== undefined) stderr.write(`${file}: cannot be read (${(error as Error).message})\n`);
      else throw error;
      status = 2;
    }
  }
  return status;
}

export const REMIND_AGREEMENTS_USAGE = `Usage: commons remind agreements

Emails the contact of each data-sharing agreement in force whose review date is within 30 days (or past),
or the lead organisation's admins when no contact is recorded. Each agreement is reminded once per review date;
safe to run daily.`;

/** `commons remind agreements`: returns the exit status. */
export async function runRemindAgreementsCommand(
  args: readonly string[],
  { sendReviewReminders, stdout }: { sendReviewReminders: () => Promise<number>; stdout: Output },
): Promise<number> {
  if (args.includes('--help')) {
    stdout.write(`${REMIND_AGREEMENTS_USAGE}\n`);
    return 0;
  }
  const reminded = await sendReviewReminders();
  stdout.write(`Reminded the contacts of ${plural(reminded, 'agreement')} due for review.\n`);
  return 0;
}

export const REVALIDATE_USAGE = `Usage: commons revalidate

Fetches every published file registered for re-checking and validates it against its data standard,
adding a report (and a quality score) to its history. Run it on a schedule, for example daily.`;

/** `commons revalidate`: exit 0 when every file was fetched, 1 when any could not be. */
export async function runRevalidateCommand(
  args: readonly string[],
  {
    recheck,
    stdout,
    stderr,
  }: { recheck: () => Promise<{ checked: number; failed: { url: string; reason: string }[] }>; stdout: Output; stderr: Output },
): Promise<number> {
  if (args.includes('--help')) {
    stdout.write(`${REVALIDATE_USAGE}\n`);
    return 0;
  }
  const { checked, failed } = await recheck();
  stdout.write(`Checked ${plural(checked, 'registered file')}.\n`);
  for (const failure of failed) stderr.write(`${failure.url}: could not be fetched (${failure.reason})\n`);
  return failed.length > 0 ? 1 : 0;
}
