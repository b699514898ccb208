import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseCsv } from 'csv-parse/sync';
import { DomainError } from '../../platform/errors.js';
import type { SpendColumnMapping, SpendImportOutcome, SpendImportProgress, SpendService } from './spend.service.js';
import type { SpendWithdrawalsService } from './spend-withdrawals.service.js';

export const IMPORT_SPEND_USAGE = `Usage: commons import spend --org GSS_CODE_OR_NAME [options] FILE...
       commons import spend --manifest manifest.csv [options]

Imports councils' "spending over £500" files. Each file is written whole or not at all;
the same content imported again for the same organisation is recognised and skipped.

Options:
  --org CODE_OR_NAME     the publishing organisation: GSS code, registry code or name
  --period YYYY-MM[..YYYY-MM]
                         months the files cover, for files whose rows carry no usable date
  --mapping field=column,...
                         columns for fields the reader cannot find (column by header or 0-based index);
                         saved for the organisation's later files with the same headers
  --sheet NAME           the sheet to read in a spreadsheet (XLSX, XLS, ODS) with several; by default the
                         sheet that holds transactions
  --organisation-mismatch=accept
                         import a file even though it names another body (its organisation column or
                         title row); by default such a file is refused
  --manifest FILE        a CSV with columns file, organisation, period: import every file it lists
  --json                 one JSON object per file on stdout
  --progress             show progress even when stderr is not a terminal

Exit status: 0 when no file was rejected, 1 when any was, 2 for a usage error.`;

interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

interface Job {
  file: string;
  organisation: string;
  period: { from: string; to: string } | undefined;
}

class UsageError extends Error {}

/** Parses "2017-01" or "2017-01..2017-03" into the months a file covers. */
export function parsePeriod(text: string): { from: string; to: string } {
  const match = /^(\d{4}-\d{2})(?:\.\.(\d{4}-\d{2}))?$/.exec(text.trim());
  if (!match?.[1]) throw new UsageError(`--period must look like 2017-01 or 2017-01..2017-03, not "${text}"`);
  return { from: match[1], to: match[2] ?? match[1] };
}

/** Parses "date=Paid Date,amount=5" into a column mapping (digits mean a 0-based column index). */
export function parseMapping(text: string): SpendColumnMapping {
  const mapping: Record<string, string | number> = {};
  for (const pair of text.split(',')) {
    const [field, ...rest] = pair.split('=');
    const column = rest.join('=').trim();
    if (!field?.trim() || column === '') throw new UsageError(`--mapping takes field=column pairs separated by commas, not "${pair}"`);
    mapping[field.trim()] = /^\d+$/.test(column) ? Number(column) : column;
  }
  return mapping;
}

function parseOrganisationMismatch(value: string | undefined): 'refuse' | 'accept' {
  if (value === undefined || value === 'refuse') return 'refuse';
  if (value === 'accept') return 'accept';
  throw new UsageError(`--organisation-mismatch takes accept or refuse, not "${value}"`);
}

function readManifest(manifestPath: string): Job[] {
  const folder = path.dirname(path.resolve(manifestPath));
  const rows = parseCsv<Record<string, string | undefined>>(fs.readFileSync(manifestPath), {
    columns: true,
    bom: true,
    skip_empty_lines: true,
    trim: true,
  });
  return rows.map((row, index) => {
    if (!row.file || !row.organisation) throw new UsageError(`${manifestPath} row ${index + 2}: file and organisation are required`);
    return {
      file: path.resolve(folder, row.file),
      organisation: row.organisation,
      period: row.period ? parsePeriod(row.period) : undefined,
    };
  });
}

function formatPounds(pence: number): string {
  const sign = pence < 0 ? '-' : '';
  const abs = Math.abs(pence);
  return `${sign}£${Math.floor(abs / 100).toLocaleString('en-GB')}.${String(abs % 100).padStart(2, '0')}`;
}

function describeOutcome(outcome: SpendImportOutcome): string {
  if (outcome.status === 'duplicate') return `${outcome.fileName}: already imported (file ${outcome.fileId ?? '?'}); nothing written`;
  if (outcome.status === 'rejected') return `${outcome.fileName}: rejected: ${outcome.errors.join('; ')}`;
  const dates = outcome.dateFrom ? `, ${outcome.dateFrom} to ${outcome.dateTo ?? outcome.dateFrom}` : '';
  return (
    `${outcome.fileName}: imported ${outcome.rowsImported.toLocaleString('en-GB')} rows ` +
    `(${outcome.rowsRejected} rejected, ${outcome.rowsSkipped} skipped), ${formatPounds(outcome.totalPence)}${dates} as file ${outcome.fileId ?? '?'}` +
    outcome.warnings.map((warning) => `\n  warning: ${warning}`).join('')
  );
}

/** How `commons import spend` imports its files. */
interface ImportOptions {
  json: boolean;
  progress: boolean;
  mapping: SpendColumnMapping | undefined;
  manifest: boolean;
  sheet: string | undefined;
  organisationMismatch: 'refuse' | 'accept';
}

/** The files to import and how, from the command's arguments; null when only the usage was asked for. */
function parseImportArgs(args: readonly string[], stderr: Output): { jobs: Job[]; options: ImportOptions } | null {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      org: { type: 'string' },
      period: { type: 'string' },
      mapping: { type: 'string' },
      sheet: { type: 'string' },
      'organisation-mismatch': { type: 'string' },
      manifest: { type: 'string' },
      json: { type: 'boolean', default: false },
      progress: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return null;
  let jobs: Job[];
  if (values.manifest) {
    if (positionals.length > 0 || values.org) throw new UsageError('--manifest lists the files and organisations; give no others');
    jobs = readManifest(values.manifest);
  } else {
    if (!values.org) throw new UsageError('--org is required (or --manifest)');
    if (positionals.length === 0) throw new UsageError('name at least one FILE to import');
    const period = values.period ? parsePeriod(values.period) : undefined;
    const organisation = values.org;
    jobs = positionals.map((file) => ({ file: path.resolve(file), organisation, period }));
  }
  for (const job of jobs) if (!fs.existsSync(job.file)) throw new UsageError(`No such file: ${job.file}`);
  const options = {
    json: values.json,
    progress: values.progress || stderr.isTTY === true,
    mapping: values.mapping ? parseMapping(values.mapping) : undefined,
    manifest: values.manifest !== undefined,
    sheet: values.sheet,
    organisationMismatch: parseOrganisationMismatch(values['organisation-mismatch']),
  };
  return { jobs, options };
}

type Organisation = Awaited<ReturnType<SpendService['findOrganisation']>>;

/** Imports one file of the command; a file refused for a domain reason (no such organisation...) is a rejected outcome. */
async function importJob(
  spendService: SpendService,
  organisations: Map<string, Organisation>,
  job: Job,
  options: ImportOptions,
  onProgress: ((progress: SpendImportProgress) => void) | undefined,
): Promise<{ outcome: SpendImportOutcome; organisationLabel: string }> {
  const fileName = path.basename(job.file);
  let organisationLabel = job.organisation;
  try {
    let organisation = organisations.get(job.organisation);
    if (!organisation) {
      organisation = await spendService.findOrganisation(job.organisation);
      organisations.set(job.organisation, organisation);
    }
    organisationLabel = organisation.gssCode ?? organisation.slug;
    const outcome = await spendService.importSpendFile({
      organisationId: organisation.id,
      path: job.file,
      fileName,
      ...(job.period ? { period: job.period } : {}),
      ...(options.mapping ? { mapping: options.mapping } : {}),
      ...(options.sheet ? { sheet: options.sheet } : {}),
      organisationCode: organisation.gssCode ?? organisation.slug,
      organisationMismatch: options.organisationMismatch,
      ...(onProgress ? { onProgress } : {}),
    });
    return { outcome, organisationLabel };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const outcome: SpendImportOutcome = {
      status: 'rejected',
      fileId: null,
      fileName,
      sha256: '',
      rowsImported: 0,
      rowsRejected: 0,
      rowsSkipped: 0,
      totalPence: 0,
      dateFrom: null,
      dateTo: null,
      warnings: [],
      errors: [error.message],
    };
    return { outcome, organisationLabel };
  }
}

/** One file's outcome as a JSON line. */
function outcomeJson(job: Job, organisationLabel: string, outcome: SpendImportOutcome): string {
  return JSON.stringify({
    file: job.file,
    organisation: organisationLabel,
    status: outcome.status,
    fileId: outcome.fileId,
    rowsImported: outcome.rowsImported,
    rowsRejected: outcome.rowsRejected,
    rowsSkipped: outcome.rowsSkipped,
    totalPence: outcome.totalPence,
    dateFrom: outcome.dateFrom,
    dateTo: outcome.dateTo,
    warnings: outcome.warnings,
    errors: outcome.errors,
  });
}

/** `commons import spend`: imports files for one organisation or from a manifest. Returns the exit code. */
export async function runImportSpendCommand(
  args: readonly string[],
  { spendService, stdout, stderr }: { spendService: SpendService; stdout: Output; stderr: Output },
): Promise<number> {
  let parsed: { jobs: Job[]; options: ImportOptions } | null;
  try {
    parsed = parseImportArgs(args, stderr);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      stderr.write(`${error.message}\n\n${IMPORT_SPEND_USAGE}\n`);
      return 2;
    }
    throw error;
  }
  if (parsed === null) {
    stdout.write(`${IMPORT_SPEND_USAGE}\n`);
    return 0;
  }
  const { jobs, options } = parsed;

  const organisations = new Map<string, Organisation>();
  const totalBytes = jobs.reduce((sum, job) => sum + fs.statSync(job.file).size, 0);
  let bytesDone = 0;
  let rowsDone = 0;
  let anyRejected = false;
  const interactive = stderr.isTTY === true;
  const showProgress = (label: string, progress: SpendImportProgress) => {
    const done = options.manifest ? bytesDone + progress.bytesRead : progress.bytesRead;
    const of = options.manifest ? totalBytes : progress.totalBytes;
    const percent = of > 0 ? Math.min(100, Math.floor((done / of) * 100)) : 100;
    const line = `${label}: ${(rowsDone + progress.rows).toLocaleString('en-GB')} rows, ${percent}%`;
    stderr.write(interactive ? `\r${line}\u001b[K` : `${line}\n`);
  };

  for (const [index, job] of jobs.entries()) {
    const label = options.manifest ? `files ${index + 1}/${jobs.length}` : path.basename(job.file);
    const onProgress = options.progress ? (progress: SpendImportProgress) => showProgress(label, progress) : undefined;
    const { outcome, organisationLabel } = await importJob(spendService, organisations, job, options, onProgress);
    bytesDone += fs.statSync(job.file).size;
    rowsDone += outcome.rowsImported;
    if (options.progress && interactive) stderr.write('\r\u001b[K');
    if (outcome.status === 'rejected') anyRejected = true;
    stdout.write(`${options.json ? outcomeJson(job, organisationLabel, outcome) : describeOutcome(outcome)}\n`);
  }
  return anyRejected ? 1 : 0;
}

export const WITHDRAW_SPEND_USAGE = `Usage: commons withdraw spend FILE_ID [--reason TEXT]
       commons replace spend FILE_ID [--reason TEXT] [--period ...] [--mapping ...] [--sheet NAME] CORRECTED_FILE

withdraw: takes an imported file's payments out of every figure (its record, original and an audit entry stay).
replace:  imports a corrected version for the same organisation, then withdraws the old file; if the corrected
          file is refused, the old one stays as it was.
FILE_ID is the number an import reported ("as file 12") and /api/v1/spend/files/{id} shows.`;

/** `commons withdraw spend` and `commons replace spend`. Returns the exit code. */
export async function runWithdrawSpendCommand(
  verb: 'withdraw' | 'replace',
  args: readonly string[],
  { spendWithdrawalsService, stdout, stderr }: { spendWithdrawalsService: SpendWithdrawalsService; stdout: Output; stderr: Output },
): Promise<number> {
  let fileId: number;
  let file: string | undefined;
  let values: { reason?: string | undefined; period?: string | undefined; mapping?: string | undefined; sheet?: string | undefined };
  try {
    const parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { reason: { type: 'string' }, period: { type: 'string' }, mapping: { type: 'string' }, sheet: { type: 'string' } },
    });
    values = parsed.values;
    const [id, corrected, ...extra] = parsed.positionals;
    if (!id || !/^\d+$/.test(id)) throw new UsageError('give the FILE_ID of the imported file');
    fileId = Number(id);
    if (verb === 'replace' && (!corrected || extra.length > 0)) throw new UsageError('give one CORRECTED_FILE after the FILE_ID');
    if (verb === 'withdraw' && corrected) throw new UsageError('withdraw takes only a FILE_ID');
    file = corrected ? path.resolve(corrected) : undefined;
    if (file && !fs.existsSync(file)) throw new UsageError(`No such file: ${file}`);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      stderr.write(`${error.message}\n\n${WITHDRAW_SPEND_USAGE}\n`);
      return 2;
    }
    throw error;
  }
  try {
    if (verb === 'withdraw' || !file) {
      const withdrawn = await spendWithdrawalsService.withdrawSpendFile({ fileId, reason: values.reason ?? null });
      stdout.write(
        `${withdrawn.fileName} (file ${withdrawn.id}): withdrawn; its ${withdrawn.rowsImported.toLocaleString('en-GB')} payments no longer count\n`,
      );
      return 0;
    }
    const { outcome, replaced } = await spendWithdrawalsService.replaceSpendFile({
      fileId,
      reason: values.reason ?? null,
      input: {
        path: file,
        fileName: path.basename(file),
        ...(values.period ? { period: parsePeriod(values.period) } : {}),
        ...(values.mapping ? { mapping: parseMapping(values.mapping) } : {}),
        ...(values.sheet ? { sheet: values.sheet } : {}),
      },
    });
    stdout.write(`${describeOutcome(outcome)}\n`);
    if (!replaced) {
      stdout.write(`file ${fileId} was not replaced and still counts\n`);
      return 1;
    }
    stdout.write(`${replaced.fileName} (file ${replaced.id}): withdrawn, replaced by file ${outcome.fileId ?? '?'}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      stderr.write(`${error.message}\n`);
      return 2;
    }
    if (!(error instanceof DomainError)) throw error;
    stderr.write(`${error.message}\n`);
    return 1;
  }
}
