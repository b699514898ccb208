/**
 * Checking files against the register's standards (or a schema given with the file), keeping each report
 * under an unguessable id so its address can be shared, the annotated copy of small files, and published
 * files registered for re-checking on a schedule with a quality score over time.
 */
import crypto from 'node:crypto';
import type { Actor } from '../../platform/actor.js';
import type { Clock } from '../../platform/clock.js';
import { InputError, NotFoundError } from '../../platform/errors.js';
import { CsvTokenizer } from '../spend/index.js';
import type { DataSharingRepository } from './data-sharing.repository.js';
import type { DataStandardsService } from './data-standards.service.js';
import { createWatchedFilesService } from './watched-files.service.js';
import {
  type DataPackage,
  isDataPackageDescriptor,
  readDataPackage,
  readTableSchema,
  SchemaError,
  type TableSchema,
} from './validation/table-schema.js';
import { type ByteSource, streamCsvRows, validateTable } from './validation/validate-table.js';
import type { DetailedReport, ValidationIssue } from './validation/validation.types.js';

/** The `encoding` a report gives for a spreadsheet: the kind of workbook it was read from. */
const SPREADSHEET_KINDS = new Set(['xlsx', 'xls', 'ods']);

/** Files up to this size are kept with their report, for the annotated download. */
export const KEEP_FILE_BYTES = 5 * 1024 * 1024;

export interface ValidateInput {
  fileName: string;
  stream: ByteSource;
  /** A data standard's slug, or null to check against `schemaDescriptor` or an inferred schema. */
  standardSlug: string | null;
  schemaDescriptor?: unknown;
  previousReportId?: string | null;
  watchedFileId?: number | null;
}

/** The share of data rows with no problem, less ten points for problems with the header or the file itself. */
export function qualityScore(report: DetailedReport): number {
  const headerOrFile = report.errors.some((error) => error.rowNumber === null || error.rowNumber === 1);
  const rowsScore =
    report.stats.rows === 0
      ? report.valid
        ? 100
        : 0
      : Math.round((100 * (report.stats.rows - report.rowsWithErrors)) / report.stats.rows);
  return Math.max(0, Math.min(100, rowsScore - (headerOrFile ? 10 : 0)));
}

function pickResource(pkg: DataPackage, fileName: string): { schema: TableSchema; name: string } {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const resource =
    pkg.resources.find((candidate) => candidate.path.split('/').pop() === base) ??
    pkg.resources.find((candidate) => base.toLowerCase().startsWith(candidate.name.toLowerCase())) ??
    pkg.resources[0];
  if (!resource) throw new InputError('The data package has no tables');
  // A single file cannot be checked against another table's keys: only its own foreign keys are kept.
  return {
    schema: {
      ...resource.schema,
      foreignKeys: resource.schema.foreignKeys.filter((key) => key.resource === '' || key.resource === resource.name),
    },
    name: resource.name,
  };
}

function schemaFrom(descriptor: unknown, fileName: string): TableSchema {
  try {
    return isDataPackageDescriptor(descriptor) ? pickResource(readDataPackage(descriptor), fileName).schema : readTableSchema(descriptor);
  } catch (error) {
    if (error instanceof SchemaError)
      throw new InputError(`The schema is not a Table Schema this validator can read: ${error.message}`, [
        { field: 'schema', message: `The schema is not valid: ${error.message}` },
      ]);
    throw error;
  }
}

/** Keeps the first bytes of a stream (up to the limit) while passing every chunk on. */
function keepingBytes(
  source: ByteSource,
  kept: { chunks: Buffer[]; bytes: number; overflow: boolean },
): AsyncIterable<Uint8Array | string> {
  return {
    async *[Symbol.asyncIterator]() {
      for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        if (!kept.overflow) {
          if (kept.bytes + bytes.length > KEEP_FILE_BYTES) {
            kept.overflow = true;
            kept.chunks = [];
          } else {
            kept.chunks.push(Buffer.from(bytes));
            kept.bytes += bytes.length;
          }
        }
        yield bytes;
      }
    },
  };
}

function quoteCsv(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/**
 * Checking files and keeping their reports: a report, its schema, the annotated copy; registered files are in
 * watched-files.service.ts. Over 80 lines as a set of short methods sharing one set of dependencies.
 */
export function createValidationService({
  repository,
  standards,
  clock,
  fetchTimeoutMs = 60_000,
}: {
  repository: DataSharingRepository;
  standards: DataStandardsService;
  clock: Clock;
  fetchTimeoutMs?: number;
}) {
  async function validateAndKeep(actor: Actor | null, input: ValidateInput): Promise<{ id: string; report: DetailedReport }> {
    let schema: TableSchema | null = null;
    let standard: { id: number; version: string } | null = null;
    let descriptor: unknown = null;
    if (input.standardSlug) {
      const found = await standards.getStandardSchema(input.standardSlug);
      standard = { id: found.id, version: found.version };
      descriptor = found.descriptor;
      schema = found.schema.kind === 'table' ? found.schema.schema : pickResource(found.schema.pkg, input.fileName).schema;
    } else if (input.schemaDescriptor !== undefined) {
      descriptor = input.schemaDescriptor;
      schema = schemaFrom(input.schemaDescriptor, input.fileName);
    }
    const kept = { chunks: [] as Buffer[], bytes: 0, overflow: false };
    const report = await validateTable(keepingBytes(input.stream, kept), { file: input.fileName, schema });
    const id = crypto.randomBytes(12).toString('base64url');
    await repository.insertReport({
      id,
      file_name: input.fileName.slice(0, 500),
      standard_id: standard?.id ?? null,
      standard_version: standard?.version ?? null,
      schema_descriptor: JSON.stringify(descriptor),
      valid: report.valid,
      stats: JSON.stringify(report.stats),
      counts: JSON.stringify(report.counts),
      errors: JSON.stringify(report.errors),
      schema_fields: JSON.stringify(report.schemaFields),
      inferred: report.inferred,
      encoding: report.encoding,
      delimiter: report.delimiter,
      quality_score: qualityScore(report),
      organisation_id: actor?.organisationId ?? null,
      created_by_user_id: actor?.userId ?? null,
      previous_report_id: input.previousReportId && (await repository.findReport(input.previousReportId)) ? input.previousReportId : null,
      watched_file_id: input.watchedFileId ?? null,
      file_content: kept.overflow ? null : Buffer.concat(kept.chunks, kept.bytes),
      // The database's own time, so reports made in the same second still have an order.
    });
    await repository.recordAudit(actor, {
      action: 'validation-report.created',
      subjectType: 'validation-report',
      subjectId: id,
      organisationId: actor?.organisationId ?? null,
      before: null,
      after: { file: report.file, valid: report.valid, errors: report.stats.errors, standard: input.standardSlug },
    });
    return { id, report };
  }

  async function requireReport(id: string) {
    const row = await repository.findReport(id);
    if (!row) throw new NotFoundError('No validation report has this address; reports are kept by their exact link');
    return row;
  }

  return {
    validateAndKeep,

    /** A report as stored, with the standard it was checked against and the report before it, if any. */
    async getReport(id: string) {
      const row = await requireReport(id);
      const standard = row.standard_id === null ? null : (await repository.findStandardsById([row.standard_id]))[0];
      const previous = row.previous_report_id ? await repository.findReport(row.previous_report_id) : undefined;
      return {
        id: row.id,
        fileName: row.file_name,
        valid: row.valid,
        stats: row.stats,
        counts: row.counts,
        errors: row.errors as ValidationIssue[],
        schemaFields: row.schema_fields,
        inferred: row.inferred,
        encoding: row.encoding,
        delimiter: row.delimiter,
        qualityScore: row.quality_score,
        hasFile: row.has_file,
        standard: standard ? { slug: standard.slug, name: standard.name, version: row.standard_version } : null,
        hasOwnSchema: row.standard_id === null && row.schema_descriptor !== null,
        previous: previous ? { id: previous.id, errors: previous.stats.errors, valid: previous.valid } : null,
        createdAt: row.created_at.toISOString(),
      };
    },

    /** The schema a report was checked against (given or from the register), for the re-check and download. */
    async getReportSchema(id: string): Promise<unknown> {
      return (await requireReport(id)).schema_descriptor;
    },

    /**
     * The checked file with a first column saying what is wrong with each row (and the header), so the officer
     * can fix it in a spreadsheet; null when the file was too big to keep.
     */
    async annotatedCsv(id: string): Promise<string | null> {
      const row = await requireReport(id);
      const file = await repository.findReportFile(id);
      if (!file?.file_content) return null;
      const byRow = new Map<number, string[]>();
      for (const error of row.errors) {
        if (error.rowNumber === null) continue;
        const list = byRow.get(error.rowNumber) ?? [];
        const where = error.fieldName ? `${error.fieldName}: ` : error.fieldNumber ? `column ${error.fieldNumber}: ` : '';
        list.push(`${where}${error.type}${error.cell ? ` (“${error.cell}”)` : ''}`);
        byRow.set(error.rowNumber, list);
      }
      const lines: string[] = [];
      let rowNumber = 0;
      const annotate = (cells: string[]) => {
        rowNumber++;
        const note = rowNumber === 1 ? ['problems', ...(byRow.get(1) ?? [])].join('; ') : (byRow.get(rowNumber) ?? []).join('; ');
        lines.push([note, ...cells].map(quoteCsv).join(','));
      };
      if (SPREADSHEET_KINDS.has(row.encoding)) {
        // A spreadsheet's rows, read as the validator read them; the annotated copy is CSV.
        await streamCsvRows([file.file_content], annotate);
      } else {
        const tokenizer = new CsvTokenizer(row.delimiter);
        const text = new TextDecoder(row.encoding === 'windows-1252' ? 'windows-1252' : 'utf-8').decode(file.file_content);
        tokenizer.push(text.replace(/^\ufeff/, '').replaceAll('\r\r\n', '\r\n'), true, annotate);
      }
      return `${lines.join('\r\n')}\r\n`;
    },

    ...createWatchedFilesService({ repository, clock, fetchTimeoutMs, validateAndKeep }),
  };
}

export type ValidationService = ReturnType<typeof createValidationService>;
