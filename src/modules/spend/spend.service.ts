/**
 * Importing one spending file: keep the original, check it belongs to the organisation, read it (here or in a
 * worker), then write it (spend-file-writer.ts: rows in short transactions into a staging file no query reads,
 * published in one step, or discarded). Supplier decisions, the kept originals, the organisation checks and the
 * shapes of inputs and outcomes are in files of their own (spend-suppliers.service.ts, spend-originals.ts,
 * spend-organisation-lookup.ts, spend-import.types.ts).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { Clock } from '../../platform/clock.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import type { OrganisationsService } from '../organisations/index.js';
import { type DetectedLayout, previewSpendBytes, SpendFileError } from './ingest/index.js';
import { describeOrganisationMismatch, type OrganisationMismatch } from './spend-organisation-check.js';
import { findOrganisationByNameOrCode, mismatchInPreview } from './spend-organisation-lookup.js';
import { EMBEDDED_CHUNK_BYTES, openSpendFile, type OpenedSpendFile, readsInWorker, startSpendFileWorker } from './spend-copy-chunks.js';
import {
  discardAbandonedImports,
  discardStagedFile,
  outcomeWithoutRows,
  recordRejectedFile,
  type SpendFileWriting,
  writeFile,
} from './spend-file-writer.js';
import { spendPolicy } from './spend.policy.js';
import type { SpendRepository } from './spend.repository.js';
import { createSpendSuppliersService } from './spend-suppliers.service.js';
import { readPreviewBytes, removeStaleIncomingFiles, storeOriginal } from './spend-originals.js';
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

/** What an import needs: writing files, plus the organisations service to check a file names the right body. */
interface SpendImporting extends SpendFileWriting {
  organisationsService: Pick<OrganisationsService, 'getOrganisation' | 'listOrganisations'>;
}

/** The refusal of a file that names another body of the register than the organisation it is imported for, or null. */
async function checkFileOrganisation(
  { organisationsService }: SpendImporting,
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
  const mismatch = await mismatchInPreview(organisationsService, preview, input.organisationCode);
  return mismatch ? `${input.fileName}: ${describeOrganisationMismatch(mismatch)}` : null;
}

/**
 * The outcome of a file whose content was imported before, or the earlier refusal of the same content that this
 * import replaces (null for none). A staging file of the same content is discarded if abandoned, or refused if not.
 */
async function findEarlierImport(
  { spendRepository, stagingHere }: SpendImporting,
  input: ImportSpendFileInput,
  stored: StoredSpendFile,
): Promise<{ duplicate: SpendImportOutcome } | { replaceFileId: number | null }> {
  let existing = await spendRepository.findFileByHash(input.organisationId, stored.sha256);
  if (existing?.status === 'staging') {
    if (stagingHere.has(existing.id) || !(await spendRepository.isStagingAbandoned(existing.id)))
      throw new ConflictError(`${input.fileName} is being imported now`);
    await discardStagedFile(spendRepository, existing.organisation_id, existing.id);
    existing = undefined;
  }
  if (existing?.status === 'imported') {
    return {
      duplicate: outcomeWithoutRows(input.fileName, stored.sha256, {
        status: 'duplicate',
        fileId: existing.id,
        dateFrom: existing.date_from,
        dateTo: existing.date_to,
        warnings: [`the same content was imported before as ${existing.file_name} (file ${existing.id}); nothing was written`],
        errors: [],
      }),
    };
  }
  return { replaceFileId: existing?.id ?? null };
}

/** The mapping given with the import, or else the organisation's saved mapping for files with the same headers. */
async function mappingFor(
  { spendRepository }: SpendImporting,
  input: ImportSpendFileInput,
  absolutePath: string,
): Promise<SpendColumnMapping | undefined> {
  if (input.mapping) return input.mapping;
  try {
    const { layout } = await previewSpendBytes(await readPreviewBytes(absolutePath), { fileName: input.fileName });
    const saved = await spendRepository.findColumnMapping(input.organisationId, headersKey(layout.headers));
    if (saved) return saved;
  } catch (error) {
    // The reader below says why the file cannot be read, with the same message.
    if (!(error instanceof SpendFileError)) throw error;
  }
  return undefined;
}

/** Imports a file already kept in the files directory (see importSpendFile). */
async function importKept(
  importing: SpendImporting,
  input: ImportSpendFileInput,
  stored: StoredSpendFile,
  absolutePath: string,
  reading: { inWorker: 'auto' | boolean; earlyWorker: Worker | null },
): Promise<SpendImportOutcome> {
  const earlier = await findEarlierImport(importing, input, stored);
  if ('duplicate' in earlier) return earlier.duplicate;
  const { replaceFileId } = earlier;
  const mapping = await mappingFor(importing, input, absolutePath);

  const wrongOrganisation = await checkFileOrganisation(importing, input, absolutePath, mapping);
  if (wrongOrganisation !== null) return recordRejectedFile(importing, input, stored, wrongOrganisation, null, replaceFileId);

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
        worker: reading.earlyWorker,
        inWorker: reading.inWorker,
        ...((await importing.spendRepository.isEmbedded()) ? { chunkBytes: EMBEDDED_CHUNK_BYTES } : {}),
      },
    );
  } catch (error) {
    if (error instanceof SpendFileError) return recordRejectedFile(importing, input, stored, describeFileError(error), null, replaceFileId);
    throw error;
  }
  try {
    return await writeFile(importing, input, opened, stored, mapping, replaceFileId);
  } catch (error) {
    if (error instanceof SpendFileError)
      return recordRejectedFile(importing, input, stored, describeFileError(error), opened.layout, replaceFileId);
    throw error;
  } finally {
    await opened.close();
  }
}

/** What a preview of a kept file shows. */
export interface StoredFilePreview {
  layout: DetectedLayout;
  rows: string[][];
  mapping: SpendColumnMapping | null;
  error: string | null;
  /** Set when the file's first rows or title name another body than `organisationCode`'s (as the import would refuse). */
  organisationMismatch: OrganisationMismatch | null;
}

/** See previewStoredFile in createSpendService. */
async function previewKeptFile(
  { spendRepository, organisationsService }: SpendImporting,
  absolutePath: string,
  options: { organisationId: number; organisationCode?: string; fileName: string; mapping?: SpendColumnMapping | null },
): Promise<StoredFilePreview> {
  const head = await readPreviewBytes(absolutePath);
  let mapping = options.mapping ?? null;
  if (mapping === null) {
    const detected = await previewSpendBytes(head, { fileName: options.fileName });
    mapping = (await spendRepository.findColumnMapping(options.organisationId, headersKey(detected.layout.headers))) ?? null;
  }
  const mismatchOf = async (preview: Awaited<ReturnType<typeof previewSpendBytes>>) =>
    options.organisationCode ? mismatchInPreview(organisationsService, preview, options.organisationCode) : null;
  try {
    const preview = await previewSpendBytes(head, { fileName: options.fileName, ...(mapping ? { mapping } : {}) });
    return { ...preview, mapping, error: null, organisationMismatch: await mismatchOf(preview) };
  } catch (error) {
    if (!(error instanceof SpendFileError)) throw error;
    const preview = await previewSpendBytes(head, { fileName: options.fileName });
    return { ...preview, mapping, error: describeFileError(error), organisationMismatch: await mismatchOf(preview) };
  }
}

/**
 * Spending files: importing and previewing them, discarding abandoned imports, and reading imported files back.
 * Over 80 lines as a set of short methods sharing one set of dependencies.
 */
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
   * and never on PGlite, which runs in this process: measured on a 1 GB file, the chunks moved in from a worker (and
   * PGlite's copies of them) outlived this thread's rare collections, taking peak memory to 1.7 GB against 793 MB
   * read here, at 96,000 rows/s (the goal is 50,000).
   */
  parseInWorker?: 'auto' | boolean;
}) {
  const importing: SpendImporting = { spendRepository, clock, organisationsService, stagingHere: new Set<number>() };

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
        return await importKept(importing, input, stored, path.join(filesDirectory, stored.storedPath), { inWorker, earlyWorker });
      } finally {
        // Ended by the file's reader once handed over; ended here if the import stopped before reading.
        await earlyWorker?.terminate();
      }
    },

    /**
     * Discards the staging files no running import holds (an import stopped by a kill or a crash), so that nothing of
     * them is left and their content can be imported again. Returns how many were discarded.
     */
    discardAbandonedImports: () => discardAbandonedImports(importing),

    /**
     * Removes `.incoming-*` copies that a stopped process left in the files directory (a kill during the copy): those
     * untouched for STALE_INCOMING_MS, since a copy in progress is written to all the time. Returns how many went.
     */
    async removeStaleIncomingFiles(now = Date.now()): Promise<number> {
      return filesDirectory === null ? 0 : removeStaleIncomingFiles(filesDirectory, now);
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
    ): Promise<StoredFilePreview> {
      if (filesDirectory === null) throw new InputError('Spend files cannot be read here: no files directory is configured');
      return previewKeptFile(importing, path.join(filesDirectory, storedPath), options);
    },

    /**
     * Finds the organisation a command imports spending files for, by GSS code, registry code, slug or (unambiguous)
     * name; a supplier is refused, as on the web, since spending files are published by public bodies.
     */
    async findOrganisation(nameOrCode: string) {
      const organisation = await findOrganisationByNameOrCode(organisationsService, nameOrCode);
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
