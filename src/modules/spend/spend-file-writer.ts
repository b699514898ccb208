/**
 * Writing an opened spending file: its rows go in short transactions into a staging file no query reads, then it is
 * published in one step, or discarded. Also the record of a file refused as a whole.
 */
import type { Clock } from '../../platform/clock.js';
import type { DetectedLayout } from './ingest/index.js';
import type { OpenedSpendFile, StagedGroup } from './spend-copy-chunks.js';
import { headersKey, type ImportSpendFileInput, type SpendColumnMapping, type SpendImportOutcome } from './spend-import.types.js';
import type { SpendQueries, SpendRepository } from './spend.repository.js';
import { ImportSupplierResolution } from './supplier-resolution.js';

/** What writing a file needs: the repository, the clock, and the staging files this process is writing now. */
export interface SpendFileWriting {
  spendRepository: SpendRepository;
  clock: Clock;
  /** Staging files this process is writing now (any other one on PGlite was left by a process that stopped). */
  stagingHere: Set<number>;
}

/** Where and how a file is kept. */
type KeptFile = { sha256: string; byteSize: number; storedPath: string };

/** What the rows of a staging file add up to. */
type StagedTotals = { rowsImported: number; totalPence: number; dateFrom: string | null; dateTo: string | null };

/** The outcome of a file none of whose rows were written: one seen before, or one refused as a whole. */
export function outcomeWithoutRows(
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

/**
 * Writes the rows of an opened file in short transactions into a staging file that no query reads, then makes it
 * visible in one short step (publishFile). On PGlite, the one connection is free between batches, so the site
 * answers during a long import; people still see all of the file or none of it. A failure discards the staging
 * file; a kill leaves it for discardAbandonedImports (run before the next import, and when the runner starts).
 */
export async function writeFile(
  writing: SpendFileWriting,
  input: ImportSpendFileInput,
  opened: OpenedSpendFile,
  stored: KeptFile,
  mapping: SpendColumnMapping | undefined,
  replaceFileId: number | null,
): Promise<SpendImportOutcome> {
  const { spendRepository, clock, stagingHere } = writing;
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
      const totals = await writeStagedRows(spendRepository, input, opened, stored, fileId);
      return publishFile(writing, { input, opened, stored, mapping, replaceFileId, fileId }, totals);
    });
  } catch (error) {
    await discardStagedFile(spendRepository, input.organisationId, fileId);
    throw error;
  } finally {
    stagingHere.delete(fileId);
  }
}

/** Writes every chunk of a file into its staging file, one short transaction per chunk; returns the totals. */
async function writeStagedRows(
  spendRepository: SpendRepository,
  input: ImportSpendFileInput,
  opened: OpenedSpendFile,
  stored: { byteSize: number },
  fileId: number,
): Promise<StagedTotals> {
  const totals: StagedTotals = { rowsImported: 0, totalPence: 0, dateFrom: null, dateTo: null };
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

/** The file being published, with what it replaces. */
interface PublishedFile {
  input: ImportSpendFileInput;
  opened: OpenedSpendFile;
  stored: { sha256: string };
  mapping: SpendColumnMapping | undefined;
  replaceFileId: number | null;
  fileId: number;
}

/** The final short step: the staging file's groups join the summaries, and the file and its suppliers become visible. */
async function publishFile(
  { spendRepository, clock }: SpendFileWriting,
  file: PublishedFile,
  totals: StagedTotals,
): Promise<SpendImportOutcome> {
  const { input, opened, stored, mapping, fileId } = file;
  const summary = opened.summary();
  const skipped = summary.skipped;
  const rowsSkipped = skipped.blank + skipped['repeated-header'] + skipped.total;
  // Every reject is stored (drained chunk by chunk), so the reader's "only the first N are listed" does not apply.
  const warnings = summary.warnings.filter((warning) => !/rows were rejected; only the first/.test(warning));
  const counts = { ...totals, rowsRejected: summary.rejectedCount, rowsSkipped };
  await spendRepository.inTransaction(async (repository) => {
    await repository.publishStagedFile(fileId);
    await repository.updateFileResult(fileId, {
      status: 'imported',
      imported_at: clock(),
      rows_imported: totals.rowsImported,
      rows_rejected: summary.rejectedCount,
      rows_skipped: rowsSkipped,
      rows_without_dates: summary.undatedCount,
      total_pence: totals.totalPence,
      date_from: totals.dateFrom,
      date_to: totals.dateTo,
      warnings,
      layout: opened.layout,
      mapping: mapping ?? null,
    });
    await recordPublished(repository, file, counts);
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
    rowsImported: counts.rowsImported,
    rowsRejected: counts.rowsRejected,
    rowsSkipped,
    totalPence: counts.totalPence,
    dateFrom: counts.dateFrom,
    dateTo: counts.dateTo,
    warnings,
    errors: [],
  };
}

/** The audit record of a published file. */
async function recordPublished(
  repository: SpendQueries,
  { input, stored, mapping, replaceFileId, fileId }: PublishedFile,
  counts: StagedTotals & { rowsRejected: number; rowsSkipped: number },
): Promise<void> {
  await repository.recordAudit(input.actor ?? null, {
    action: 'spend-file.imported',
    subjectType: 'spend-file',
    subjectId: fileId,
    organisationId: input.organisationId,
    before: replaceFileId === null ? null : { fileId: replaceFileId, status: 'rejected' },
    after: {
      fileName: input.fileName,
      sha256: stored.sha256,
      rowsImported: counts.rowsImported,
      rowsRejected: counts.rowsRejected,
      rowsSkipped: counts.rowsSkipped,
      totalPence: counts.totalPence,
      dateFrom: counts.dateFrom,
      dateTo: counts.dateTo,
      mapping: mapping ?? null,
    },
  });
}

/** Removes a staging file in short steps: its payments a batch at a time, then the file (its rejects, groups and suppliers cascade). */
export async function discardStagedFile(spendRepository: SpendRepository, organisationId: number, fileId: number): Promise<void> {
  while ((await spendRepository.deleteFileTransactionsBatch(organisationId, fileId, DISCARD_BATCH_ROWS)) > 0);
  await spendRepository.deleteFile(fileId);
}

/**
 * Discards the staging files no running import holds (an import stopped by a kill or a crash), so that nothing of
 * them is left and their content can be imported again. Returns how many were discarded.
 */
export async function discardAbandonedImports({ spendRepository, stagingHere }: SpendFileWriting): Promise<number> {
  let discarded = 0;
  for (const file of await spendRepository.listStagingFiles()) {
    if (stagingHere.has(file.id) || !(await spendRepository.isStagingAbandoned(file.id))) continue;
    await discardStagedFile(spendRepository, file.organisation_id, file.id);
    discarded++;
  }
  return discarded;
}

/** Records a file refused as a whole, replacing an earlier refusal of the same content. */
export async function recordRejectedFile(
  { spendRepository, clock }: SpendFileWriting,
  input: ImportSpendFileInput,
  stored: KeptFile,
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
