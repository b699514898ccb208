import fs from 'node:fs/promises';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Actor } from '../../platform/actor.js';
import type { Clock } from '../../platform/clock.js';
import { ConflictError, DomainError, InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import type { OrganisationsService } from '../organisations/index.js';
import type { CanonicalField, DetectedLayout } from './ingest/index.js';
import type { SpendImportJobRow, SpendRepository } from './spend.repository.js';
import { spendPolicy } from './spend.policy.js';
import type { OrganisationMismatch } from './spend-organisation-check.js';
import {
  headersKey,
  type SpendColumnMapping,
  type SpendFileReject,
  type SpendFileSummary,
  type SpendService,
  type StoredSpendFile,
} from './spend.service.js';

/** The canonical fields in the order the mapping form lists them, with the names people see. */
export const MAPPING_FIELDS: readonly { field: CanonicalField; label: string; required: boolean }[] = [
  { field: 'date', label: 'Payment date', required: true },
  { field: 'supplierName', label: 'Supplier name', required: true },
  { field: 'amount', label: 'Amount', required: true },
  { field: 'transactionReference', label: 'Transaction reference', required: false },
  { field: 'expenseType', label: 'Expense type', required: false },
  { field: 'expenseCode', label: 'Expense code', required: false },
  { field: 'service', label: 'Service or department', required: false },
  { field: 'procurementCategory', label: 'Procurement category', required: false },
  { field: 'capitalRevenue', label: 'Capital or revenue', required: false },
  { field: 'purpose', label: 'Purpose', required: false },
  { field: 'supplierId', label: 'Supplier ID', required: false },
  { field: 'companyNumber', label: 'Company number', required: false },
  { field: 'vatNumber', label: 'VAT number', required: false },
  { field: 'irrecoverableVat', label: 'Irrecoverable VAT', required: false },
  { field: 'cardTransaction', label: 'Card transaction', required: false },
  { field: 'organisation', label: 'Organisation (body code)', required: false },
  { field: 'organisationName', label: 'Organisation name', required: false },
];

/** What the mapping form sends: `map_<field>` as a column index or '' for "not in this file", and the period. */
export type MappingForm = Record<string, string | undefined>;

export interface ImportJobView {
  id: number;
  kind: 'file' | 'manifest';
  parentId: number | null;
  status: SpendImportJobRow['status'];
  fileName: string;
  organisation: { id: number; code: string; name: string } | null;
  totalBytes: number;
  bytesProcessed: number;
  rowsProcessed: number;
  /** 0 to 100. */
  percent: number;
  periodFrom: string | null;
  periodTo: string | null;
  fileId: number | null;
  outcomeStatus: 'imported' | 'duplicate' | 'rejected' | null;
  errors: string[];
  warnings: string[];
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function presentJob(row: SpendImportJobRow): ImportJobView {
  const outcome = row.outcome as { status?: ImportJobView['outcomeStatus']; errors?: string[]; warnings?: string[] } | null;
  const finished = row.status === 'done' || row.status === 'failed';
  return {
    id: row.id,
    kind: row.kind,
    parentId: row.parent_id,
    status: row.status,
    fileName: row.file_name,
    organisation:
      row.organisation_id === null
        ? null
        : { id: row.organisation_id, code: row.organisation_code ?? String(row.organisation_id), name: row.organisation_name ?? '' },
    totalBytes: row.total_bytes,
    bytesProcessed: row.bytes_processed,
    rowsProcessed: row.rows_processed,
    percent: finished ? 100 : row.total_bytes > 0 ? Math.min(99, Math.floor((row.bytes_processed / row.total_bytes) * 100)) : 0,
    periodFrom: row.period_from,
    periodTo: row.period_to,
    fileId: row.file_id,
    outcomeStatus: outcome?.status ?? null,
    errors: outcome?.errors ?? [],
    warnings: outcome?.warnings ?? [],
    error: row.error,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

/** Reads the mapping form into a column mapping by index, refusing two fields on one column and missing required fields. */
export function parseMappingForm(form: MappingForm, columnCount: number, hasPeriod: boolean): SpendColumnMapping {
  const mapping: SpendColumnMapping = {};
  const problems: { field: string; message: string }[] = [];
  const used = new Map<number, string>();
  for (const { field, label, required } of MAPPING_FIELDS) {
    const value = (form[`map_${field}`] ?? '').trim();
    if (value === '') {
      if (required && !(field === 'date' && hasPeriod))
        problems.push({
          field: `map_${field}`,
          message:
            field === 'date'
              ? 'Choose the column with the payment date, or give the months the file covers'
              : `Choose the column with the ${label.toLowerCase()}`,
        });
      continue;
    }
    const index = Number(value);
    if (!/^\d+$/.test(value) || index >= columnCount) {
      problems.push({ field: `map_${field}`, message: `Choose one of the file’s columns for ${label.toLowerCase()}` });
      continue;
    }
    const other = used.get(index);
    if (other !== undefined) {
      problems.push({ field: `map_${field}`, message: `${label} and ${other.toLowerCase()} cannot both be the same column` });
      continue;
    }
    used.set(index, label);
    mapping[field] = index;
  }
  if (problems.length > 0) throw new InputError('Check the columns', problems);
  return mapping;
}

/** Reads "first month" and "last month" (YYYY-MM) into a period, or none when both are blank. */
export function parsePeriodForm(form: MappingForm): { from: string; to: string } | null {
  const from = (form.periodFrom ?? '').trim();
  const to = (form.periodTo ?? '').trim();
  if (from === '' && to === '') return null;
  const problems: { field: string; message: string }[] = [];
  if (!MONTH.test(from)) problems.push({ field: 'periodFrom', message: 'Enter the first month as a year and month, like 2017-01' });
  if (to !== '' && !MONTH.test(to)) problems.push({ field: 'periodTo', message: 'Enter the last month as a year and month, like 2017-03' });
  if (problems.length === 0 && to !== '' && to < from)
    problems.push({ field: 'periodTo', message: 'The last month must be the same as or after the first month' });
  if (problems.length > 0) throw new InputError('Check the months the file covers', problems);
  return { from, to: to || from };
}

/** One row of a bulk manifest, resolved. */
interface ManifestEntry {
  row: number;
  fileName: string;
  stored: StoredSpendFile;
  organisation: { id: number; code: string; name: string };
  period: { from: string; to: string } | null;
}

/**
 * Web imports of spend files: an upload waits for its column mapping to be confirmed, then a job is queued for
 * the background runner (spend.jobs.ts); a manifest queues many files at once. Every change leaves one audit event.
 */
export function createSpendImportsService({
  spendRepository,
  spendService,
  organisationsService,
  clock,
  importFolder,
}: {
  spendRepository: SpendRepository;
  spendService: SpendService;
  organisationsService: Pick<OrganisationsService, 'getOrganisation' | 'listOrganisationsByIds'>;
  clock: Clock;
  /** The server's folder that bulk manifests may name files in; null where there is none. */
  importFolder: string | null;
}) {
  async function requireJob(actor: Actor, id: number): Promise<SpendImportJobRow> {
    const row = await spendRepository.findImportJob(id);
    // One answer for "no such import" and "not yours", so nobody learns which import ids exist.
    if (!row || !spendPolicy.canViewImport(actor, { organisationId: row.organisation_id, requestedBy: row.requested_by }))
      throw new NotFoundError(`No import you can see has the id ${id}`);
    return row;
  }

  async function requireDraft(actor: Actor, id: number): Promise<SpendImportJobRow & { stored_path: string; organisation_id: number }> {
    const row = await requireJob(actor, id);
    if (row.organisation_id === null || row.stored_path === null || !spendPolicy.canImportFor(actor, row.organisation_id))
      throw new NotAllowedError('You cannot import files for this organisation');
    if (row.status !== 'awaiting-confirmation') throw new ConflictError('This file has already been sent for import');
    return { ...row, stored_path: row.stored_path, organisation_id: row.organisation_id };
  }

  /** The draft's new mapping and period from the form, checked against the columns found when it was uploaded. */
  function readDraftForm(row: SpendImportJobRow, form: MappingForm) {
    const period = parsePeriodForm(form);
    const layout = row.layout as DetectedLayout | null;
    const mapping = parseMappingForm(form, layout?.headers.length ?? 0, period !== null);
    return { period, mapping, headers: layout?.headers ?? [] };
  }

  return {
    /** The organisation a person wants to import files for, if they may. */
    async organisationForImport(actor: Actor, code: string) {
      const organisation = await organisationsService.getOrganisation(code);
      if (!spendPolicy.canHoldSpend(organisation.kind)) throw new NotAllowedError(spendPolicy.whyNoSpend(organisation.name));
      if (!spendPolicy.canImportFor(actor, organisation.id))
        throw new NotAllowedError(`You can import spending files only for your own organisation, not ${organisation.name}`);
      return organisation;
    },

    /**
     * The imported file a person wants to upload a correction of, with its organisation, if they may replace it
     * (an organisation admin of its council, or a platform admin), refused before a byte of the correction is read.
     */
    async fileForReplacement(actor: Actor, fileId: number) {
      const file = await spendService.getFile(fileId);
      if (!spendPolicy.canWithdrawFileOf(actor, file.organisationId))
        throw new NotAllowedError("Only the council's organisation admins can withdraw or replace its spend files");
      if (file.status !== 'imported')
        throw new ConflictError(`${file.fileName} (file ${file.id}) is ${file.status}, not imported: there is nothing to replace`);
      const [organisation] = await organisationsService.listOrganisationsByIds([file.organisationId]);
      if (!organisation) throw new NotFoundError(`No organisation has the id ${file.organisationId}`);
      return { file, organisation };
    },

    /** Keeps an uploaded file and records it as an import waiting for its columns to be confirmed; returns the import's id. */
    async createUpload(
      actor: Actor,
      organisation: { id: number; gssCode: string | null; slug: string; name: string },
      upload: { fileName: string; stream: AsyncIterable<Buffer | Uint8Array> },
      options: { replacesFileId?: number } = {},
    ): Promise<number> {
      if (!spendPolicy.canImportFor(actor, organisation.id)) throw new NotAllowedError('You cannot import files for this organisation');
      const fileName = path.basename(upload.fileName.replaceAll('\\', '/')).slice(0, 255) || 'upload.csv';
      const stored = await spendService.storeSpendUpload(upload.stream);
      if (stored.byteSize === 0)
        throw new InputError('The selected file is empty', [{ field: 'file', message: 'The selected file is empty' }]);
      const preview = await spendService.previewStoredFile(stored.storedPath, { organisationId: organisation.id, fileName });
      return spendRepository.inTransaction(async (repository) => {
        const id = await repository.insertImportJob({
          kind: 'file',
          parent_id: null,
          organisation_id: organisation.id,
          organisation_code: organisation.gssCode ?? organisation.slug,
          organisation_name: organisation.name,
          requested_by: actor.userId,
          actor,
          status: 'awaiting-confirmation',
          file_name: fileName,
          stored_path: stored.storedPath,
          sha256: stored.sha256,
          total_bytes: stored.byteSize,
          layout: preview.layout,
          mapping: preview.mapping,
          period_from: null,
          period_to: null,
          created_at: clock(),
          replaces_file_id: options.replacesFileId ?? null,
        });
        await repository.recordAudit(actor, {
          action: 'spend-upload.created',
          subjectType: 'spend-import',
          subjectId: id,
          organisationId: organisation.id,
          before: null,
          after: { fileName, sha256: stored.sha256, bytes: stored.byteSize, replacesFileId: options.replacesFileId ?? null },
        });
        return id;
      });
    },

    /** Everything an import's page shows: the job, and by its state the mapping to confirm, its progress or its result. */
    async getImport(actor: Actor, id: number, options: { rejectsPage?: number; rejectsPageSize?: number } = {}) {
      const row = await requireJob(actor, id);
      const job = presentJob(row);
      let confirmation: {
        layout: DetectedLayout;
        rows: string[][];
        error: string | null;
        organisationMismatch: OrganisationMismatch | null;
        previouslyImported: { fileId: number; fileName: string } | null;
      } | null = null;
      let file: SpendFileSummary | null = null;
      let rejects: { total: number; items: SpendFileReject[]; page: number; pageSize: number } | null = null;
      let children: ImportJobView[] = [];
      if (row.status === 'awaiting-confirmation' && row.stored_path !== null && row.organisation_id !== null) {
        const preview = await spendService.previewStoredFile(row.stored_path, {
          organisationId: row.organisation_id,
          ...(row.organisation_code ? { organisationCode: row.organisation_code } : {}),
          fileName: row.file_name,
          mapping: row.mapping ?? null,
        });
        const earlier = row.sha256 ? await spendRepository.findFileByHash(row.organisation_id, row.sha256) : undefined;
        confirmation = {
          layout: preview.layout,
          rows: preview.rows,
          error: preview.error,
          organisationMismatch: preview.organisationMismatch,
          previouslyImported: earlier?.status === 'imported' ? { fileId: earlier.id, fileName: earlier.file_name } : null,
        };
      }
      if (row.kind === 'manifest') {
        children = (await spendRepository.listChildJobs(row.id)).map(presentJob);
        const total = children.reduce((sum, child) => sum + child.totalBytes, 0);
        const done = children.reduce(
          (sum, child) => sum + (child.status === 'done' || child.status === 'failed' ? child.totalBytes : child.bytesProcessed),
          0,
        );
        job.totalBytes = total;
        job.bytesProcessed = done;
        job.rowsProcessed = children.reduce((sum, child) => sum + child.rowsProcessed, 0);
        job.percent = row.status === 'done' ? 100 : total > 0 ? Math.min(99, Math.floor((done / total) * 100)) : 0;
      }
      if (row.file_id !== null) {
        file = await spendService.getFile(row.file_id);
        const pageSize = options.rejectsPageSize ?? 25;
        const page = Math.max(1, options.rejectsPage ?? 1);
        rejects = { ...(await spendService.listFileRejects(row.file_id, { page, pageSize })), page, pageSize };
      }
      // A correction says which file it replaces (or replaced, once imported).
      const replaces = row.replaces_file_id === null ? null : await spendService.getFile(row.replaces_file_id);
      return { job, confirmation, file, rejects, children, mapping: row.mapping, replaces };
    },

    /** The progress of an import, for the JSON API. */
    async getProgress(actor: Actor, id: number) {
      const { job, children } = await this.getImport(actor, id, { rejectsPageSize: 1 });
      return { ...job, files: children };
    },

    /** Saves a changed column mapping (and period) on an upload and for the organisation's files with the same headers. */
    async saveMapping(actor: Actor, id: number, form: MappingForm): Promise<void> {
      const row = await requireDraft(actor, id);
      const { period, mapping, headers } = readDraftForm(row, form);
      await spendRepository.inTransaction(async (repository) => {
        const updated = await repository.updateJobDraft(id, {
          mapping,
          period_from: period?.from ?? null,
          period_to: period?.to ?? null,
        });
        if (!updated) throw new ConflictError('This file has already been sent for import');
        if (headers.length > 0) await repository.saveColumnMapping(row.organisation_id, headersKey(headers), headers, mapping, clock());
        await repository.recordAudit(actor, {
          action: 'spend-mapping.saved',
          subjectType: 'spend-import',
          subjectId: id,
          organisationId: row.organisation_id,
          before: { mapping: row.mapping, periodFrom: row.period_from, periodTo: row.period_to },
          after: { mapping, periodFrom: period?.from ?? null, periodTo: period?.to ?? null, headers },
        });
      });
    },

    /** Confirms an upload's columns and queues it for import. */
    async confirmImport(actor: Actor, id: number, form: MappingForm): Promise<void> {
      const row = await requireDraft(actor, id);
      const { period, mapping } = readDraftForm(row, form);
      await spendRepository.inTransaction(async (repository) => {
        await repository.updateJobDraft(id, { mapping, period_from: period?.from ?? null, period_to: period?.to ?? null });
        if (form.organisationMismatch === 'accept') await repository.acceptOrganisationMismatch(id);
        if (!(await repository.queueJob(id))) throw new ConflictError('This file has already been sent for import');
        await repository.recordAudit(actor, {
          action: 'spend-import.queued',
          subjectType: 'spend-import',
          subjectId: id,
          organisationId: row.organisation_id,
          before: { status: 'awaiting-confirmation' },
          after: { status: 'queued', fileName: row.file_name, mapping, periodFrom: period?.from ?? null, periodTo: period?.to ?? null },
        });
      });
    },

    /**
     * Queues every file a manifest lists (columns file, organisation, period). A file is one uploaded with the
     * manifest (matched by name) or one in the server's import folder. Nothing is queued unless every row is good.
     */
    async createBulkImport(
      actor: Actor,
      { manifestName, manifest, uploads }: { manifestName: string; manifest: Buffer; uploads: ReadonlyMap<string, StoredSpendFile> },
    ): Promise<number> {
      if (!spendPolicy.canBulkImport(actor)) throw new NotAllowedError('Only the institute can import many councils’ files at once');
      if (manifest.length === 0) throw new InputError('Choose a manifest file', [{ field: 'manifest', message: 'Choose a manifest file' }]);
      let rows: Record<string, string | undefined>[];
      try {
        rows = parseCsv<Record<string, string | undefined>>(manifest, {
          columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()),
          bom: true,
          skip_empty_lines: true,
          trim: true,
        });
      } catch (error) {
        const message = `The manifest is not a readable CSV file: ${(error as Error).message}`;
        throw new InputError(message, [{ field: 'manifest', message }]);
      }
      if (rows.length === 0)
        throw new InputError('The manifest lists no files', [
          { field: 'manifest', message: 'The manifest lists no files: give one row per file under the headers file, organisation, period' },
        ]);
      const problems: { field: string; message: string }[] = [];
      const entries: ManifestEntry[] = [];
      const organisations = new Map<string, ManifestEntry['organisation']>();
      for (const [index, row] of rows.entries()) {
        const line = index + 2;
        const problem = (message: string) => problems.push({ field: 'manifest', message: `Manifest row ${line}: ${message}` });
        const fileName = row.file ?? '';
        if (fileName === '' || !row.organisation) {
          problem('give both a file and an organisation');
          continue;
        }
        let period: { from: string; to: string } | null = null;
        if (row.period) {
          const match = /^(\d{4}-\d{2})(?:\.\.(\d{4}-\d{2}))?$/.exec(row.period);
          if (!match?.[1] || !MONTH.test(match[1]) || (match[2] !== undefined && (!MONTH.test(match[2]) || match[2] < match[1]))) {
            problem(`the period must look like 2017-01 or 2017-01..2017-03, not "${row.period}"`);
            continue;
          }
          period = { from: match[1], to: match[2] ?? match[1] };
        }
        let organisation = organisations.get(row.organisation);
        if (!organisation) {
          try {
            const found = await spendService.findOrganisation(row.organisation);
            organisation = { id: found.id, code: found.gssCode ?? found.slug, name: found.name };
            organisations.set(row.organisation, organisation);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            problem(error.message);
            continue;
          }
        }
        let stored = uploads.get(path.basename(fileName));
        if (!stored) {
          const inFolder = importFolder === null ? null : path.resolve(importFolder, fileName);
          if (inFolder === null || !inFolder.startsWith(`${path.resolve(importFolder ?? '')}${path.sep}`)) {
            problem(`no file called ${fileName} was uploaded with the manifest`);
            continue;
          }
          const exists = await fs.stat(inFolder).then(
            (stat) => stat.isFile(),
            () => false,
          );
          if (!exists) {
            problem(`no file called ${fileName} was uploaded with the manifest or is in the import folder`);
            continue;
          }
          stored = await spendService.storeSpendFileFromPath(inFolder);
        }
        entries.push({ row: line, fileName: path.basename(fileName), stored, organisation, period });
      }
      if (problems.length > 0) throw new InputError('Check the manifest', problems);
      const now = clock();
      return spendRepository.inTransaction(async (repository) => {
        const parentId = await repository.insertImportJob({
          kind: 'manifest',
          parent_id: null,
          organisation_id: null,
          organisation_code: null,
          organisation_name: null,
          requested_by: actor.userId,
          actor,
          status: 'running',
          file_name: path.basename(manifestName) || 'manifest.csv',
          stored_path: null,
          sha256: null,
          total_bytes: entries.reduce((sum, entry) => sum + entry.stored.byteSize, 0),
          layout: null,
          mapping: null,
          period_from: null,
          period_to: null,
          created_at: now,
        });
        for (const entry of entries) {
          await repository.insertImportJob({
            kind: 'file',
            parent_id: parentId,
            organisation_id: entry.organisation.id,
            organisation_code: entry.organisation.code,
            organisation_name: entry.organisation.name,
            requested_by: actor.userId,
            actor,
            status: 'queued',
            file_name: entry.fileName,
            stored_path: entry.stored.storedPath,
            sha256: entry.stored.sha256,
            total_bytes: entry.stored.byteSize,
            layout: null,
            mapping: null,
            period_from: entry.period?.from ?? null,
            period_to: entry.period?.to ?? null,
            created_at: now,
          });
        }
        await repository.recordAudit(actor, {
          action: 'spend-bulk-import.queued',
          subjectType: 'spend-import',
          subjectId: parentId,
          organisationId: null,
          before: null,
          after: {
            manifest: path.basename(manifestName),
            files: entries.map((entry) => ({ file: entry.fileName, organisation: entry.organisation.code, sha256: entry.stored.sha256 })),
          },
        });
        return parentId;
      });
    },

    /** An organisation's recent web imports, newest first. */
    async listRecentImports(actor: Actor, organisationId: number): Promise<ImportJobView[]> {
      if (!spendPolicy.canViewImport(actor, { organisationId, requestedBy: null })) return [];
      return (await spendRepository.listRecentJobs(organisationId, 10)).map(presentJob);
    },
  };
}

export type SpendImportsService = ReturnType<typeof createSpendImportsService>;
