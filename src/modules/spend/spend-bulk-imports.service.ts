import fs from 'node:fs/promises';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Actor } from '../../platform/actor.js';
import type { Clock } from '../../platform/clock.js';
import { DomainError, InputError, NotAllowedError } from '../../platform/errors.js';
import type { SpendRepository } from './spend.repository.js';
import { spendPolicy } from './spend.policy.js';
import type { SpendService, StoredSpendFile } from './spend.service.js';
import { MONTH } from './spend-import-forms.js';

/** One row of a bulk manifest, resolved. */
interface ManifestEntry {
  row: number;
  fileName: string;
  stored: StoredSpendFile;
  organisation: { id: number; code: string; name: string };
  period: { from: string; to: string } | null;
}

type BulkSpendService = Pick<SpendService, 'findOrganisation' | 'storeSpendFileFromPath'>;

/** The rows of a manifest, by lower-case header; refused when it is no readable CSV or lists no files. */
function readManifestRows(manifest: Buffer): Record<string, string | undefined>[] {
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
  return rows;
}

/** A manifest row's period ("2017-01" or "2017-01..2017-03"), or null when it is not one. */
function parseManifestPeriod(text: string): { from: string; to: string } | null {
  const match = /^(\d{4}-\d{2})(?:\.\.(\d{4}-\d{2}))?$/.exec(text);
  if (!match?.[1] || !MONTH.test(match[1]) || (match[2] !== undefined && (!MONTH.test(match[2]) || match[2] < match[1]))) return null;
  return { from: match[1], to: match[2] ?? match[1] };
}

/** The file a manifest row names: one uploaded with it, else one kept from the import folder; a string says why none. */
async function findManifestFile(
  spendService: BulkSpendService,
  importFolder: string | null,
  uploads: ReadonlyMap<string, StoredSpendFile>,
  fileName: string,
): Promise<StoredSpendFile | string> {
  const uploaded = uploads.get(path.basename(fileName));
  if (uploaded) return uploaded;
  const inFolder = importFolder === null ? null : path.resolve(importFolder, fileName);
  if (inFolder === null || !inFolder.startsWith(`${path.resolve(importFolder ?? '')}${path.sep}`))
    return `no file called ${fileName} was uploaded with the manifest`;
  const exists = await fs.stat(inFolder).then(
    (stat) => stat.isFile(),
    () => false,
  );
  if (!exists) return `no file called ${fileName} was uploaded with the manifest or is in the import folder`;
  return spendService.storeSpendFileFromPath(inFolder);
}

/** Every manifest row resolved to its file, organisation and period; refused with every row's problem if any has one. */
async function resolveManifest(
  spendService: BulkSpendService,
  importFolder: string | null,
  rows: readonly Record<string, string | undefined>[],
  uploads: ReadonlyMap<string, StoredSpendFile>,
): Promise<ManifestEntry[]> {
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
      period = parseManifestPeriod(row.period);
      if (period === null) {
        problem(`the period must look like 2017-01 or 2017-01..2017-03, not "${row.period}"`);
        continue;
      }
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
    const stored = await findManifestFile(spendService, importFolder, uploads, fileName);
    if (typeof stored === 'string') {
      problem(stored);
      continue;
    }
    entries.push({ row: line, fileName: path.basename(fileName), stored, organisation, period });
  }
  if (problems.length > 0) throw new InputError('Check the manifest', problems);
  return entries;
}

/** Queues a manifest's job and one job per file under it, with an audit entry; returns the manifest's job id. */
async function queueManifest(
  spendRepository: SpendRepository,
  actor: Actor,
  manifestName: string,
  entries: readonly ManifestEntry[],
  now: Date,
): Promise<number> {
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
}

/** Bulk imports through a manifest (columns file, organisation, period): every file it lists is queued at once. */
export function createSpendBulkImports({
  spendRepository,
  spendService,
  clock,
  importFolder,
}: {
  spendRepository: SpendRepository;
  spendService: BulkSpendService;
  clock: Clock;
  /** The server's folder that bulk manifests may name files in; null where there is none. */
  importFolder: string | null;
}) {
  return {
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
      const rows = readManifestRows(manifest);
      const entries = await resolveManifest(spendService, importFolder, rows, uploads);
      return queueManifest(spendRepository, actor, manifestName, entries, clock());
    },
  };
}
