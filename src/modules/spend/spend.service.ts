/**
 * Importing one spending file: keep the original, check it belongs to the organisation, read it (here or in a
 * worker), write its rows in short transactions into a staging file no query reads, then publish it in one step, or
 * discard it. Over 400 lines because these steps share one import's state (the staging file, the held group sums,
 * the supplier resolution) and are one flow to read from top to bottom; supplier decisions, the kept originals and
 * the shapes of inputs and outcomes are in files of their own (spend-suppliers.service.ts, spend-originals.ts,
 * spend-import.types.ts).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { Clock } from '../../platform/clock.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import type { OrganisationsService } from '../organisations/index.js';
import { type DetectedLayout, previewSpendBytes, SpendFileError } from './ingest/index.js';
import {
  bodyValues,
  describeOrganisationMismatch,
  findOrganisationMismatch,
  type OrganisationMismatch,
  titleBodyValues,
} from './spend-organisation-check.js';
import {
  EMBEDDED_CHUNK_BYTES,
  openSpendFile,
  type OpenedSpendFile,
  readsInWorker,
  type StagedGroup,
  startSpendFileWorker,
} from './spend-copy-chunks.js';
import { spendPolicy } from './spend.policy.js';
import type { SpendRepository } from './spend.repository.js';
import { ImportSupplierResolution } from './supplier-resolution.js';
import { createSpendSuppliersService } from './spend-suppliers.service.js';
import { readPreviewBytes, storeOriginal } from './spend-originals.js';
import {
  headersKey,
  type ImportSpendFileInput,
  presentFile,
  type SpendColumnMapping,
  type SpendFileReject,
  type SpendFileSummary,
  type SpendImportOutcome,
  type StoredSpendFile,
} from './spend-import.types.js';

export {
  headersKey,
  type ImportSpendFileInput,
  presentFile,
  type SpendColumnMapping,
  type SpendFileReject,
  type SpendFileSummary,
  type SpendImportOutcome,
  type SpendImportProgress,
  type StoredSpendFile,
} from './spend-import.types.js';

function describeFileError(error: SpendFileError): string {
  const where = [error.line !== null ? `line ${error.line}` : null, error.column !== null ? `column ${error.column}` : null].filter(
    Boolean,
  );
  return where.length > 0 ? `${error.message} (${where.join(', ')})` : error.message;
}

/** The outcome of a file none of whose rows were written: one seen before, or one refused as a whole. */
function outcomeWithoutRows(
  fileName: string,
  sha256: string,
  outcome: Pick<SpendImportOutcome, 'status' | 'fileId' | 'dateFrom' | 'dateTo' | 'warnings' | 'errors'>,
): SpendImportOutcome {
  return { fileName, sha256, rowsImported: 0, rowsRejected: 0, rowsSkipped: 0, totalPence: 0, ...outcome };
}

/** Group sums an import holds before writing them to its staging file (a few MB at most). */
const MAX_HELD_GROUPS = 50_000;

/** Group sums of a staging file, added up across chunks until they are written. */
class StagedGroupSums {
  private readonly byKey = new Map<string, StagedGroup>();

  get size(): number {
    return this.byKey.size;
  }

  add(groups: readonly StagedGroup[]): void {
    for (const group of groups) {
      const key = JSON.stringify(group.slice(0, 4));
      const held = this.byKey.get(key);
      if (held) {
        held[4] += group[4];
        held[5] += group[5];
      } else this.byKey.set(key, [...group]);
    }
  }

  take(): StagedGroup[] {
    const taken = [...this.byKey.values()];
    this.byKey.clear();
    return taken;
  }
}

/** Payments of an abandoned staging file deleted per transaction: short enough for other requests to get in between. */
const DISCARD_BATCH_ROWS = 20_000;

/** How old a `.incoming-*` copy must be (untouched) to be taken for one left by a stopped process. */
const STALE_INCOMING_MS = 10 * 60_000;

export function createSpendService({
  spendRepository,
  organisationsService,
  clock,
  filesDirectory,
  parseInWorker,
}: {
  spendRepository: SpendRepository;
  organisationsService: Pick<OrganisationsService, 'getOrganisation' | 'listOrganisations'>;
  clock: Clock;
  /** Where original files are kept (`<data dir>/files`); null where nothing may be imported. */
  filesDirectory: string | null;
  /**
   * Read files in a worker thread: always, never, or 'auto' for big files only. The default is 'auto' on PostgreSQL
   * and never on PGlite, which runs in this thread: measured on a 1 GB file, the chunks moved in from a worker (and
   * PGlite's copies of them) outlived this thread's rare collections, taking peak memory to 1.7 GB against 793 MB
   * read here, at 96,000 rows/s (the goal is 50,000).
   */
  parseInWorker?: 'auto' | boolean;
}) {
  /** Staging files this process is writing now (any other one on PGlite was left by a process that stopped). */
  const stagingHere = new Set<number>();

  /**
   * Writes the rows of an opened file in short transactions into a staging file that no query reads, then makes it
   * visible in one short step (publishFile). On PGlite, the one connection is free between batches, so the site
   * answers during a long import; people still see all of the file or none of it. A failure discards the staging
   * file; a kill leaves it for discardAbandonedImports (run before the next import, and when the runner starts).
   */
  async function writeFile(
    input: ImportSpendFileInput,
    opened: OpenedSpendFile,
    stored: { sha256: string; byteSize: number; storedPath: string },
    mapping: SpendColumnMapping | undefined,
    replaceFileId: number | null,
  ): Promise<SpendImportOutcome> {
    const fileId = await spendRepository.inTransaction(async (repository) => {
      if (replaceFileId !== null) await repository.deleteFile(replaceFileId);
      return repository.insertFile({
        organisation_id: input.organisationId,
        file_name: input.fileName,
        sha256: stored.sha256,
        byte_size: stored.byteSize,
        stored_path: stored.storedPath,
        status: 'staging',
        error: null,
        layout: opened.layout,
        mapping: mapping ?? null,
        period_from: input.period?.from ?? null,
        period_to: input.period?.to ?? null,
        warnings: [],
        imported_at: clock(),
        imported_by: input.actor?.userId ?? null,
      });
    });
    stagingHere.add(fileId);
    try {
      return await spendRepository.whileStaging(fileId, async () => {
        const totals = await writeStagedRows(input, opened, stored, fileId);
        return publishFile(input, opened, stored, mapping, replaceFileId, fileId, totals);
      });
    } catch (error) {
      await discardStagedFile(input.organisationId, fileId);
      throw error;
    } finally {
      stagingHere.delete(fileId);
    }
  }

  /** Writes every chunk of a file into its staging file, one short transaction per chunk; returns the totals. */
  async function writeStagedRows(
    input: ImportSpendFileInput,
    opened: OpenedSpendFile,
    stored: { byteSize: number },
    fileId: number,
  ): Promise<{ rowsImported: number; totalPence: number; dateFrom: string | null; dateTo: string | null }> {
    const totals = { rowsImported: 0, totalPence: 0, dateFrom: null as string | null, dateTo: null as string | null };
    const resolution = new ImportSupplierResolution(fileId);
    // Group sums are gathered here and written a few times per file, not with every chunk: they count only when the
    // file is published, and a stopped import discards them with its rows (measured: a COPY of groups per chunk
    // took a third as long as the rows' own COPY on PGlite).
    const groups = new StagedGroupSums();
    const flushGroups = async () => {
      const taken = groups.take();
      if (taken.length > 0) await spendRepository.copyStagedGroups(fileId, input.organisationId, taken);
    };
    let copying: Promise<void> = Promise.resolve();
    try {
      const chunks = opened.chunks(`${input.organisationId}\t${fileId}\t`, (identities) =>
        spendRepository.inTransaction((repository) => resolution.resolve(repository, identities)),
      );
      for await (const chunk of chunks) {
        // The previous chunk's transaction runs while the next is read; between them, other requests get the connection.
        await copying;
        copying = spendRepository.inTransaction(async (repository) => {
          await repository.insertRejects(
            chunk.rejects.map((reject) => ({
              organisation_id: input.organisationId,
              file_id: fileId,
              line: reject.line,
              column_name: reject.column,
              reason: reject.reason,
              raw: reject.raw,
            })),
          );
          await repository.copyTransactions(chunk.text);
        });
        groups.add(chunk.groups);
        if (groups.size >= MAX_HELD_GROUPS) {
          await copying;
          await flushGroups();
        }
        // Keep the rejection from being reported as unhandled before it is awaited.
        copying.catch(() => undefined);
        totals.rowsImported += chunk.rows;
        totals.totalPence += chunk.totalPence;
        if (chunk.dateFrom !== null && (totals.dateFrom === null || chunk.dateFrom < totals.dateFrom)) totals.dateFrom = chunk.dateFrom;
        if (chunk.dateTo !== null && (totals.dateTo === null || chunk.dateTo > totals.dateTo)) totals.dateTo = chunk.dateTo;
        input.onProgress?.({ rows: totals.rowsImported, bytesRead: chunk.bytesRead, totalBytes: stored.byteSize });
      }
    } finally {
      // Never discard the staging file while a batch is still being written.
      await copying.catch(() => undefined);
    }
    await copying;
    await flushGroups();
    return totals;
  }

  /** The final short step: the staging file's groups join the summaries, and the file and its suppliers become visible. */
  async function publishFile(
    input: ImportSpendFileInput,
    opened: OpenedSpendFile,
    stored: { sha256: string },
    mapping: SpendColumnMapping | undefined,
    replaceFileId: number | null,
    fileId: number,
    {
      rowsImported,
      totalPence,
      dateFrom,
      dateTo,
    }: { rowsImported: number; totalPence: number; dateFrom: string | null; dateTo: string | null },
  ): Promise<SpendImportOutcome> {
    const summary = opened.summary();
    const skipped = summary.skipped;
    const rowsSkipped = skipped.blank + skipped['repeated-header'] + skipped.total;
    // Every reject is stored (drained chunk by chunk), so the reader's "only the first N are listed" does not apply.
    const warnings = summary.warnings.filter((warning) => !/rows were rejected; only the first/.test(warning));
    await spendRepository.inTransaction(async (repository) => {
      await repository.publishStagedFile(fileId);
      await repository.updateFileResult(fileId, {
        status: 'imported',
        imported_at: clock(),
        rows_imported: rowsImported,
        rows_rejected: summary.rejectedCount,
        rows_skipped: rowsSkipped,
        rows_without_dates: summary.undatedCount,
        total_pence: totalPence,
        date_from: dateFrom,
        date_to: dateTo,
        warnings,
        layout: opened.layout,
        mapping: mapping ?? null,
      });
      await repository.recordAudit(input.actor ?? null, {
        action: 'spend-file.imported',
        subjectType: 'spend-file',
        subjectId: fileId,
        organisationId: input.organisationId,
        before: replaceFileId === null ? null : { fileId: replaceFileId, status: 'rejected' },
        after: {
          fileName: input.fileName,
          sha256: stored.sha256,
          rowsImported,
          rowsRejected: summary.rejectedCount,
          rowsSkipped,
          totalPence,
          dateFrom,
          dateTo,
          mapping: mapping ?? null,
        },
      });
      if (input.mapping && Object.keys(input.mapping).length > 0 && opened.layout.headers.length > 0) {
        await repository.saveColumnMapping(
          input.organisationId,
          headersKey(opened.layout.headers),
          opened.layout.headers,
          input.mapping,
          clock(),
        );
      }
    });
    return {
      status: 'imported' as const,
      fileId,
      fileName: input.fileName,
      sha256: stored.sha256,
      rowsImported,
      rowsRejected: summary.rejectedCount,
      rowsSkipped,
      totalPence,
      dateFrom,
      dateTo,
      warnings,
      errors: [],
    };
  }

  /** Removes a staging file in short steps: its payments a batch at a time, then the file (its rejects, groups and suppliers cascade). */
  async function discardStagedFile(organisationId: number, fileId: number): Promise<void> {
    while ((await spendRepository.deleteFileTransactionsBatch(organisationId, fileId, DISCARD_BATCH_ROWS)) > 0);
    await spendRepository.deleteFile(fileId);
  }

  /**
   * Discards the staging files no running import holds (an import stopped by a kill or a crash), so that nothing of
   * them is left and their content can be imported again. Returns how many were discarded.
   */
  async function discardAbandonedImports(): Promise<number> {
    let discarded = 0;
    for (const file of await spendRepository.listStagingFiles()) {
      if (stagingHere.has(file.id) || !(await spendRepository.isStagingAbandoned(file.id))) continue;
      await discardStagedFile(file.organisation_id, file.id);
      discarded++;
    }
    return discarded;
  }

  /** Records a file refused as a whole, replacing an earlier refusal of the same content. */
  async function recordRejectedFile(
    input: ImportSpendFileInput,
    stored: { sha256: string; byteSize: number; storedPath: string },
    message: string,
    layout: DetectedLayout | null,
    replaceFileId: number | null,
  ): Promise<SpendImportOutcome> {
    const fileId = await spendRepository.inTransaction(async (repository) => {
      if (replaceFileId !== null) await repository.deleteFile(replaceFileId);
      const id = await repository.insertFile({
        organisation_id: input.organisationId,
        file_name: input.fileName,
        sha256: stored.sha256,
        byte_size: stored.byteSize,
        stored_path: stored.storedPath,
        status: 'rejected',
        error: message,
        layout,
        mapping: input.mapping ?? null,
        period_from: input.period?.from ?? null,
        period_to: input.period?.to ?? null,
        warnings: [],
        imported_at: clock(),
        imported_by: input.actor?.userId ?? null,
      });
      await repository.recordAudit(input.actor ?? null, {
        action: 'spend-file.refused',
        subjectType: 'spend-file',
        subjectId: id,
        organisationId: input.organisationId,
        before: null,
        after: { fileName: input.fileName, sha256: stored.sha256, error: message },
      });
      return id;
    });
    return outcomeWithoutRows(input.fileName, stored.sha256, {
      status: 'rejected',
      fileId,
      dateFrom: null,
      dateTo: null,
      warnings: [],
      errors: [message],
    });
  }

  /** The refusal of a file that names another body of the register than the organisation it is imported for, or null. */
  async function checkFileOrganisation(
    input: ImportSpendFileInput,
    absolutePath: string,
    mapping: SpendColumnMapping | undefined,
  ): Promise<string | null> {
    if (input.organisationMismatch === 'accept' || !input.organisationCode) return null;
    let preview: Awaited<ReturnType<typeof previewSpendBytes>>;
    try {
      preview = await previewSpendBytes(await readPreviewBytes(absolutePath), {
        fileName: input.fileName,
        ...(mapping ? { mapping } : {}),
        ...(input.sheet ? { sheet: input.sheet } : {}),
      });
    } catch (error) {
      // The reader says why the file cannot be read when it reads it.
      if (error instanceof SpendFileError) return null;
      throw error;
    }
    const mismatch = await mismatchInPreview(preview, input.organisationCode);
    return mismatch ? `${input.fileName}: ${describeOrganisationMismatch(mismatch)}` : null;
  }

  /**
   * The other body of the register a file's first rows or title name, when it is not the organisation coded
   * `organisationCode`, or null: the same check an import makes before it writes a row.
   */
  async function mismatchInPreview(
    preview: Pick<Awaited<ReturnType<typeof previewSpendBytes>>, 'layout' | 'rows' | 'titleRows'>,
    organisationCode: string,
  ): Promise<OrganisationMismatch | null> {
    const columns = [preview.layout.mapping.organisation, preview.layout.mapping.organisationName].filter((index) => index !== undefined);
    const values = [
      ...bodyValues(preview.rows.flatMap((row) => columns.map((index) => row[index]))),
      ...titleBodyValues(preview.titleRows),
    ];
    if (values.length === 0) return null;
    const chosen = await organisationsService.getOrganisation(organisationCode);
    return (await findOrganisationMismatch(values, chosen, organisationsService)) ?? null;
  }

  /** Imports a file already kept in the files directory (see importSpendFile). */
  async function importKept(
    input: ImportSpendFileInput,
    stored: StoredSpendFile,
    absolutePath: string,
    inWorker: 'auto' | boolean,
    earlyWorker: Worker | null,
  ): Promise<SpendImportOutcome> {
    let existing = await spendRepository.findFileByHash(input.organisationId, stored.sha256);
    if (existing?.status === 'staging') {
      if (stagingHere.has(existing.id) || !(await spendRepository.isStagingAbandoned(existing.id)))
        throw new ConflictError(`${input.fileName} is being imported now`);
      await discardStagedFile(existing.organisation_id, existing.id);
      existing = undefined;
    }
    if (existing?.status === 'imported') {
      return outcomeWithoutRows(input.fileName, stored.sha256, {
        status: 'duplicate',
        fileId: existing.id,
        dateFrom: existing.date_from,
        dateTo: existing.date_to,
        warnings: [`the same content was imported before as ${existing.file_name} (file ${existing.id}); nothing was written`],
        errors: [],
      });
    }
    const replaceFileId = existing?.id ?? null;

    let mapping = input.mapping;
    if (!mapping) {
      try {
        const { layout } = await previewSpendBytes(await readPreviewBytes(absolutePath), { fileName: input.fileName });
        const saved = await spendRepository.findColumnMapping(input.organisationId, headersKey(layout.headers));
        if (saved) mapping = saved;
      } catch (error) {
        // The reader below says why the file cannot be read, with the same message.
        if (!(error instanceof SpendFileError)) throw error;
      }
    }

    const wrongOrganisation = await checkFileOrganisation(input, absolutePath, mapping);
    if (wrongOrganisation !== null) return recordRejectedFile(input, stored, wrongOrganisation, null, replaceFileId);

    let opened: OpenedSpendFile;
    try {
      opened = await openSpendFile(
        absolutePath,
        {
          fileName: input.fileName,
          ...(mapping ? { mapping } : {}),
          ...(input.period ? { period: input.period } : {}),
          ...(input.sheet ? { sheet: input.sheet } : {}),
        },
        {
          byteSize: stored.byteSize,
          worker: earlyWorker,
          inWorker,
          ...((await spendRepository.isEmbedded()) ? { chunkBytes: EMBEDDED_CHUNK_BYTES } : {}),
        },
      );
    } catch (error) {
      if (error instanceof SpendFileError) return recordRejectedFile(input, stored, describeFileError(error), null, replaceFileId);
      throw error;
    }
    try {
      return await writeFile(input, opened, stored, mapping, replaceFileId);
    } catch (error) {
      if (error instanceof SpendFileError) return recordRejectedFile(input, stored, describeFileError(error), opened.layout, replaceFileId);
      throw error;
    } finally {
      await opened.close();
    }
  }

  /** An organisation by GSS code, registry code, slug or (unambiguous) name. */
  async function findOrganisationByNameOrCode(nameOrCode: string) {
    try {
      return await organisationsService.getOrganisation(nameOrCode.trim());
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
    const { items } = await organisationsService.listOrganisations({ q: nameOrCode.trim(), page: 1, pageSize: 20 });
    const wanted = nameOrCode.trim().toLowerCase();
    const exact = items.filter((item) => item.name.toLowerCase() === wanted || item.officialName.toLowerCase() === wanted);
    const matches = exact.length > 0 ? exact : items;
    if (matches.length === 1 && matches[0]) return organisationsService.getOrganisation(matches[0].gssCode ?? matches[0].slug);
    if (matches.length === 0) throw new NotFoundError(`No organisation is called or coded ${nameOrCode}`);
    const current = matches.filter((item) => item.current);
    if (current.length === 1 && current[0]) return organisationsService.getOrganisation(current[0].gssCode ?? current[0].slug);
    throw new InputError(
      `"${nameOrCode}" could be ${matches
        .slice(0, 5)
        .map((item) => `${item.name} (${item.gssCode ?? item.slug})`)
        .join(', ')}: give a GSS code`,
    );
  }

  return {
    ...createSpendSuppliersService({ spendRepository, clock }),
    /** True where files can be imported (a files directory is configured). */
    acceptsFiles: filesDirectory !== null,

    /**
     * Imports one spending file for an organisation: keeps the original, recognises content seen before,
     * and writes every row, reject, supplier and roll-up in one transaction, or nothing.
     */
    async importSpendFile(input: ImportSpendFileInput): Promise<SpendImportOutcome> {
      if (filesDirectory === null) throw new InputError('Spend files cannot be imported here: no files directory is configured');
      // A big file on this server: its worker starts loading now, while the original is being kept.
      const inWorker = parseInWorker ?? ((await spendRepository.isEmbedded()) ? false : 'auto');
      const earlyWorker =
        !input.stored && input.path && readsInWorker((await fs.stat(input.path)).size, inWorker) ? startSpendFileWorker() : null;
      try {
        const stored = input.stored ?? (await storeOriginal(input, filesDirectory));
        return await importKept(input, stored, path.join(filesDirectory, stored.storedPath), inWorker, earlyWorker);
      } finally {
        // Ended by the file's reader once handed over; ended here if the import stopped before reading.
        await earlyWorker?.terminate();
      }
    },

    discardAbandonedImports,

    /**
     * Removes `.incoming-*` copies that a stopped process left in the files directory (a kill during the copy): those
     * untouched for STALE_INCOMING_MS, since a copy in progress is written to all the time. Returns how many went.
     */
    async removeStaleIncomingFiles(now = Date.now()): Promise<number> {
      if (filesDirectory === null) return 0;
      const folder = path.join(filesDirectory, 'spend');
      let names: string[];
      try {
        names = await fs.readdir(folder);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
        throw error;
      }
      let removed = 0;
      for (const name of names.filter((entry) => entry.startsWith('.incoming-'))) {
        const file = path.join(folder, name);
        const stat = await fs.stat(file).catch(() => null);
        if (stat === null || now - stat.mtimeMs < STALE_INCOMING_MS) continue;
        await fs.rm(file, { force: true });
        removed++;
      }
      return removed;
    },

    /** Keeps an uploaded original in the files directory under its SHA-256, hashing it as it streams in. */
    async storeSpendUpload(stream: AsyncIterable<Buffer | Uint8Array>): Promise<StoredSpendFile> {
      if (filesDirectory === null) throw new InputError('Spend files cannot be uploaded here: no files directory is configured');
      const { sha256, byteSize, storedPath } = await storeOriginal({ stream }, filesDirectory);
      return { sha256, byteSize, storedPath };
    },

    /** Keeps a copy of a file already on the server (a bulk import's folder) in the files directory. */
    async storeSpendFileFromPath(filePath: string): Promise<StoredSpendFile> {
      if (filesDirectory === null) throw new InputError('Spend files cannot be imported here: no files directory is configured');
      const { sha256, byteSize, storedPath } = await storeOriginal({ path: filePath }, filesDirectory);
      return { sha256, byteSize, storedPath };
    },

    /**
     * The layout of a kept file and its first data rows, as the reader would see them with this mapping; with
     * no mapping, the organisation's saved mapping for files with the same headers is used, if any.
     */
    async previewStoredFile(
      storedPath: string,
      options: { organisationId: number; organisationCode?: string; fileName: string; mapping?: SpendColumnMapping | null },
    ): Promise<{
      layout: DetectedLayout;
      rows: string[][];
      mapping: SpendColumnMapping | null;
      error: string | null;
      /** Set when the file's first rows or title name another body than `organisationCode`'s (as the import would refuse). */
      organisationMismatch: OrganisationMismatch | null;
    }> {
      if (filesDirectory === null) throw new InputError('Spend files cannot be read here: no files directory is configured');
      const head = await readPreviewBytes(path.join(filesDirectory, storedPath));
      let mapping = options.mapping ?? null;
      if (mapping === null) {
        const detected = await previewSpendBytes(head, { fileName: options.fileName });
        mapping = (await spendRepository.findColumnMapping(options.organisationId, headersKey(detected.layout.headers))) ?? null;
      }
      const mismatchOf = async (preview: Awaited<ReturnType<typeof previewSpendBytes>>) =>
        options.organisationCode ? mismatchInPreview(preview, options.organisationCode) : null;
      try {
        const preview = await previewSpendBytes(head, { fileName: options.fileName, ...(mapping ? { mapping } : {}) });
        return { ...preview, mapping, error: null, organisationMismatch: await mismatchOf(preview) };
      } catch (error) {
        if (!(error instanceof SpendFileError)) throw error;
        const preview = await previewSpendBytes(head, { fileName: options.fileName });
        return { ...preview, mapping, error: describeFileError(error), organisationMismatch: await mismatchOf(preview) };
      }
    },

    /**
     * Finds the organisation a command imports spending files for, by GSS code, registry code, slug or (unambiguous)
     * name; a supplier is refused, as on the web, since spending files are published by public bodies.
     */
    async findOrganisation(nameOrCode: string) {
      const organisation = await findOrganisationByNameOrCode(nameOrCode);
      if (!spendPolicy.canHoldSpend(organisation.kind)) throw new NotAllowedError(spendPolicy.whyNoSpend(organisation.name));
      return organisation;
    },

    /** Totals of an organisation's imported spend, by GSS code (or registry code or slug). */
    async getOrganisationSummary(code: string) {
      const organisation = await organisationsService.getOrganisation(code);
      const [summary, files] = await Promise.all([
        spendRepository.summariseOrganisation(organisation.id),
        spendRepository.countImportedFiles(organisation.id),
      ]);
      return {
        transactions: summary.transactions,
        totalPence: summary.total_pence,
        dateFrom: summary.date_from,
        dateTo: summary.date_to,
        suppliers: summary.suppliers,
        files,
      };
    },

    /** One imported (or refused) file with its counts. */
    async getFile(id: number): Promise<SpendFileSummary> {
      const row = await spendRepository.findFileById(id);
      if (!row || row.status === 'staging') throw new NotFoundError(`No spend file has the id ${id}`);
      return presentFile(row);
    },

    /** The rows of a file that could not be read, with line, column and why. */
    async listFileRejects(id: number, page: { page: number; pageSize: number }): Promise<{ total: number; items: SpendFileReject[] }> {
      const file = await spendRepository.findFileById(id);
      if (!file || file.status === 'staging') throw new NotFoundError(`No spend file has the id ${id}`);
      const { total, rows } = await spendRepository.listRejects(id, { offset: (page.page - 1) * page.pageSize, limit: page.pageSize });
      return { total, items: rows.map((row) => ({ line: row.line, column: row.column_name, reason: row.reason, raw: row.raw })) };
    },
  };
}

export type SpendService = ReturnType<typeof createSpendService>;
