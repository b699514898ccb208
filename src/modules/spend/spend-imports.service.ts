import path from 'node:path';
import type { Actor } from '../../platform/actor.js';
import type { Clock } from '../../platform/clock.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import type { OrganisationsService } from '../organisations/index.js';
import type { DetectedLayout } from './ingest/index.js';
import type { SpendImportJobRow, SpendRepository } from './spend.repository.js';
import { spendPolicy } from './spend.policy.js';
import type { OrganisationMismatch } from './spend-organisation-check.js';
import { headersKey, type SpendFileReject, type SpendFileSummary, type SpendService } from './spend.service.js';
import { createSpendBulkImports } from './spend-bulk-imports.service.js';
import { type MappingForm, parseMappingForm, parsePeriodForm } from './spend-import-forms.js';
import { type ImportJobView, presentJob } from './spend-import-jobs.presenters.js';

export { MAPPING_FIELDS, type MappingForm, parseMappingForm, parsePeriodForm } from './spend-import-forms.js';
export type { ImportJobView } from './spend-import-jobs.presenters.js';

/** What the column check of an upload shows: the layout, the first rows, and what the import would say of them. */
interface ImportConfirmation {
  layout: DetectedLayout;
  rows: string[][];
  error: string | null;
  organisationMismatch: OrganisationMismatch | null;
  previouslyImported: { fileId: number; fileName: string } | null;
}

type UploadDependencies = {
  spendRepository: SpendRepository;
  spendService: Pick<SpendService, 'storeSpendUpload' | 'previewStoredFile'>;
  clock: Clock;
};

/** Keeps an uploaded file and records it as an import waiting for its columns to be confirmed; returns the job's id. */
async function createUploadJob(
  { spendRepository, spendService, clock }: UploadDependencies,
  actor: Actor,
  organisation: { id: number; gssCode: string | null; slug: string; name: string },
  upload: { fileName: string; stream: AsyncIterable<Buffer | Uint8Array> },
  options: { replacesFileId?: number },
): Promise<number> {
  if (!spendPolicy.canImportFor(actor, organisation.id)) throw new NotAllowedError('You cannot import files for this organisation');
  const fileName = path.basename(upload.fileName.replaceAll('\\', '/')).slice(0, 255) || 'upload.csv';
  const stored = await spendService.storeSpendUpload(upload.stream);
  if (stored.byteSize === 0) throw new InputError('The selected file is empty', [{ field: 'file', message: 'The selected file is empty' }]);
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
}

/** The column check of an upload waiting for confirmation. */
async function confirmationOf(
  { spendRepository, spendService }: Pick<UploadDependencies, 'spendRepository' | 'spendService'>,
  row: SpendImportJobRow & { stored_path: string; organisation_id: number },
): Promise<ImportConfirmation> {
  const preview = await spendService.previewStoredFile(row.stored_path, {
    organisationId: row.organisation_id,
    ...(row.organisation_code ? { organisationCode: row.organisation_code } : {}),
    fileName: row.file_name,
    mapping: row.mapping ?? null,
  });
  const earlier = row.sha256 ? await spendRepository.findFileByHash(row.organisation_id, row.sha256) : undefined;
  return {
    layout: preview.layout,
    rows: preview.rows,
    error: preview.error,
    organisationMismatch: preview.organisationMismatch,
    previouslyImported: earlier?.status === 'imported' ? { fileId: earlier.id, fileName: earlier.file_name } : null,
  };
}

/** A manifest's progress: its files' bytes and rows added up. */
function addUpChildren(job: ImportJobView, children: readonly ImportJobView[], parentDone: boolean): void {
  const total = children.reduce((sum, child) => sum + child.totalBytes, 0);
  const done = children.reduce(
    (sum, child) => sum + (child.status === 'done' || child.status === 'failed' ? child.totalBytes : child.bytesProcessed),
    0,
  );
  job.totalBytes = total;
  job.bytesProcessed = done;
  job.rowsProcessed = children.reduce((sum, child) => sum + child.rowsProcessed, 0);
  job.percent = parentDone ? 100 : total > 0 ? Math.min(99, Math.floor((done / total) * 100)) : 0;
}

/**
 * Web imports of spend files: an upload waits for its column mapping to be confirmed, then a job is queued for
 * the background runner (spend.jobs.ts); a manifest queues many files at once. Every change leaves one audit event.
 * Over 80 lines as a set of short methods sharing one set of dependencies.
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
      return createUploadJob({ spendRepository, spendService, clock }, actor, organisation, upload, options);
    },

    /** Everything an import's page shows: the job, and by its state the mapping to confirm, its progress or its result. */
    async getImport(actor: Actor, id: number, options: { rejectsPage?: number; rejectsPageSize?: number } = {}) {
      const row = await requireJob(actor, id);
      const job = presentJob(row);
      let confirmation: ImportConfirmation | null = null;
      let file: SpendFileSummary | null = null;
      let rejects: { total: number; items: SpendFileReject[]; page: number; pageSize: number } | null = null;
      let children: ImportJobView[] = [];
      if (row.status === 'awaiting-confirmation' && row.stored_path !== null && row.organisation_id !== null)
        confirmation = await confirmationOf(
          { spendRepository, spendService },
          { ...row, stored_path: row.stored_path, organisation_id: row.organisation_id },
        );
      if (row.kind === 'manifest') {
        children = (await spendRepository.listChildJobs(row.id)).map(presentJob);
        addUpChildren(job, children, row.status === 'done');
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

    ...createSpendBulkImports({ spendRepository, spendService, clock, importFolder }),

    /** An organisation's recent web imports, newest first. */
    async listRecentImports(actor: Actor, organisationId: number): Promise<ImportJobView[]> {
      if (!spendPolicy.canViewImport(actor, { organisationId, requestedBy: null })) return [];
      return (await spendRepository.listRecentJobs(organisationId, 10)).map(presentJob);
    },
  };
}

export type SpendImportsService = ReturnType<typeof createSpendImportsService>;
