import { createReadStream } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import {
  type DetectedLayout,
  readSpendFile,
  type SpendReadOptions,
  type SpendReadResult,
  type SpendRecord,
  type SpendReject,
  type SpendSkipReason,
} from './ingest/index.js';
import { openInWorker, startSpendFileWorker } from './spend-copy-worker-client.js';
import { MAX_REMEMBERED_PAYEES, RecentMap, type ResolveSuppliers, SupplierIdentities, type SupplierIdentity } from './spend-payees.js';

export { startSpendFileWorker, type WorkerReply, type WorkerRequest } from './spend-copy-worker-client.js';
export { RecentMap, type ResolveSuppliers, SupplierIdentities, type SupplierIdentity } from './spend-payees.js';

/**
 * A spend file turned into COPY text for spend_transactions, a chunk at a time, with each payee resolved to a
 * supplier id. Reading and encoding run either here or in a worker thread (for big files), so on a machine with
 * two cores the parsing of one chunk overlaps the database writing the one before.
 */

/** COPY text sent in one statement (about 10,000 rows); measured, 1, 2 and 4 MiB were within the noise of one another. */
const CHUNK_BYTES = 2 * 2 ** 20;

/**
 * COPY text per statement on PGlite, which has one connection (and for commands runs in this thread, where each
 * statement holds the event loop): kept short enough for requests to be answered between statements of an import.
 */
export const EMBEDDED_CHUNK_BYTES = 256 * 2 ** 10;

/** Reader batches (1,000 rows each) whose new payees are resolved together; up to two windows are parsed ahead. */
const RESOLUTION_WINDOW_BATCHES = 8;

/** Files at least this big are read in a worker thread; below it, starting a worker costs more than it saves. */
const WORKER_MIN_BYTES = 8 * 2 ** 20;

export interface CopyChunk {
  /** COPY text lines for spend_transactions, TRANSACTION_COPY_COLUMNS order, as UTF-8; empty for a chunk of rejects only. */
  text: Uint8Array<ArrayBuffer>;
  rows: number;
  totalPence: number;
  dateFrom: string | null;
  dateTo: string | null;
  rejects: SpendReject[];
  bytesRead: number;
  /** The chunk's rows summed per supplier × month × expense type × service, for the staged summaries. */
  groups: StagedGroup[];
}

/** [supplier id, month ('YYYY-MM-01'), expense type, service, transactions, total pence]. */
export type StagedGroup = [number | null, string, string | null, string | null, number, number];

/** What the reader found once every chunk has been taken. */
export interface CopyChunksSummary {
  rejectedCount: number;
  /** Records the file gave no date for (dated by the period it was published for). */
  undatedCount: number;
  skipped: Record<SpendSkipReason, number>;
  warnings: string[];
}

/** An opened spend file: its layout is known (or opening threw SpendFileError); its chunks are read once. */
export interface OpenedSpendFile {
  layout: DetectedLayout;
  /** `prefix` starts every line (the organisation and file columns). Throws SpendFileError for a file refused part-way. */
  chunks(prefix: string, resolve: ResolveSuppliers): AsyncIterable<CopyChunk>;
  /** Valid after the chunks have all been taken. */
  summary(): CopyChunksSummary;
  /** Stops reading (and the worker, if any); safe to call more than once. */
  close(): Promise<void>;
}

/**
 * A chunk's rows summed per supplier × month × expense type × service, in nested maps keyed by the values
 * themselves: measured on 1M rows, building a string key per row cost a second of CPU.
 */
class GroupSums {
  private readonly bySupplier = new Map<number | null, Map<string, Map<string | null, Map<string | null, StagedGroup>>>>();
  private readonly groups: StagedGroup[] = [];

  add(supplierId: number | null, record: SpendRecord): void {
    let byMonth = this.bySupplier.get(supplierId);
    if (!byMonth) this.bySupplier.set(supplierId, (byMonth = new Map<string, Map<string | null, Map<string | null, StagedGroup>>>()));
    const month = record.paymentDate.slice(0, 7);
    let byExpenseType = byMonth.get(month);
    if (!byExpenseType) byMonth.set(month, (byExpenseType = new Map<string | null, Map<string | null, StagedGroup>>()));
    let byService = byExpenseType.get(record.expenseType);
    if (!byService) byExpenseType.set(record.expenseType, (byService = new Map<string | null, StagedGroup>()));
    const group = byService.get(record.service);
    if (group) {
      group[4]++;
      group[5] += record.amountPence;
      return;
    }
    const created: StagedGroup = [supplierId, `${month}-01`, record.expenseType, record.service, 1, record.amountPence];
    byService.set(record.service, created);
    this.groups.push(created);
  }

  list(): StagedGroup[] {
    return this.groups;
  }
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIAL_ALL = /[\\\t\n\r]/g;

/** One text value in PostgreSQL COPY text: \N for null, backslash escapes for backslash, tab and line breaks. */
function copyText(value: string | null): string {
  if (value === null) return '\\N';
  return COPY_SPECIAL.test(value) ? value.replace(COPY_SPECIAL_ALL, escapeCopyCharacter) : value;
}

function escapeCopyCharacter(character: string): string {
  return character === '\\' ? '\\\\' : character === '\t' ? '\\t' : character === '\n' ? '\\n' : '\\r';
}

/**
 * One transaction as a line of COPY text after the organisation and file columns, in TRANSACTION_COPY_COLUMNS order.
 * Written out field by field, with no array per row: measured, the generic version cost 9 µs a row.
 */
function copyTransactionLine(record: SpendRecord, supplierId: number | undefined): string {
  return (
    `${record.line}\t${record.paymentDate}\t${record.datePrecision}\t${copyText(record.transactionReference)}\t` +
    `${supplierId === undefined ? '\\N' : supplierId}\t${copyText(record.supplierName)}\t${record.supplierRedacted ? 't' : 'f'}\t` +
    `${record.amountPence}\t${record.irrecoverableVatPence === null ? '\\N' : record.irrecoverableVatPence}\t` +
    `${copyText(record.service)}\t${copyText(record.expenseType)}\t${copyText(record.expenseCode)}\t` +
    `${copyText(record.procurementCategory)}\t${copyText(record.capitalRevenue)}\t${copyText(record.purpose)}\t` +
    `${record.cardTransaction === null ? '\\N' : record.cardTransaction ? 't' : 'f'}\t${copyText(record.body)}\n`
  );
}

/** Rows of some batches waiting for payees to be resolved: the payees new in them go to the database together. */
interface ResolutionWindow {
  batches: number;
  fresh: SupplierIdentity[];
  records: SpendRecord[];
  identities: SupplierIdentity[];
  resolved: Promise<void>;
  ready: boolean;
}

/**
 * Encodes a reader's records as COPY chunks of about `chunkBytes`. A row whose payee is already known (or has none)
 * is encoded at once; the others wait for their window of `window` batches to be resolved, while later batches are
 * read. Rows therefore reach COPY in nearly, not exactly, file order; each keeps its line number.
 *
 * Rows are turned into UTF-8 bytes as soon as they are encoded, and only rows waiting for a payee are held: measured
 * on 1M rows, holding every parsed record until its window was resolved spent a fifth of the time collecting garbage.
 * A hot loop: its closures run for every row of a file and share the chunk being built in local variables.
 */
export async function* encodeCopyChunks(
  reader: SpendReadResult,
  prefix: string,
  resolve: ResolveSuppliers,
  { chunkBytes = CHUNK_BYTES, window = RESOLUTION_WINDOW_BATCHES }: { chunkBytes?: number; window?: number } = {},
): AsyncGenerator<CopyChunk> {
  const identities = new SupplierIdentities();
  const supplierIds = new RecentMap<number>(MAX_REMEMBERED_PAYEES);
  const requested = new RecentMap<true>(MAX_REMEMBERED_PAYEES);
  const encoder = new TextEncoder();

  let parts: Uint8Array[] = [];
  let partBytes = 0;
  let chunk = {
    rows: 0,
    totalPence: 0,
    dateFrom: null as string | null,
    dateTo: null as string | null,
    rejects: [] as SpendReject[],
    bytesRead: 0,
  };
  let text = '';
  let groups = new GroupSums();

  const encodeRow = (record: SpendRecord, supplierId: number | undefined): void => {
    groups.add(supplierId ?? null, record);
    chunk.rows++;
    chunk.totalPence += record.amountPence;
    if (chunk.dateFrom === null || record.paymentDate < chunk.dateFrom) chunk.dateFrom = record.paymentDate;
    if (chunk.dateTo === null || record.paymentDate > chunk.dateTo) chunk.dateTo = record.paymentDate;
    text += prefix + copyTransactionLine(record, supplierId);
  };
  const endText = (): void => {
    if (text === '') return;
    const bytes = encoder.encode(text);
    text = '';
    parts.push(bytes);
    partBytes += bytes.length;
  };
  const take = (): CopyChunk => {
    const bytes = new Uint8Array(partBytes);
    let offset = 0;
    for (const part of parts) {
      bytes.set(part, offset);
      offset += part.length;
    }
    const taken = { ...chunk, text: bytes, groups: groups.list() };
    groups = new GroupSums();
    parts = [];
    partBytes = 0;
    chunk = { rows: 0, totalPence: 0, dateFrom: null, dateTo: null, rejects: [], bytesRead: chunk.bytesRead };
    return taken;
  };

  // Windows are resolved one after another, in file order, so later ones see suppliers made by earlier ones, and
  // fall at the same rows whatever the timing, so a file resolves the same way in a worker or here. Measured, a
  // resolution per 1,000-row batch kept the database connection busy with small queries longer than COPY itself.
  let resolving: Promise<void> = Promise.resolve();
  const newWindow = (): ResolutionWindow => ({
    batches: 0,
    fresh: [],
    records: [],
    identities: [],
    resolved: Promise.resolve(),
    ready: false,
  });
  let open = newWindow();
  const closed: ResolutionWindow[] = [];
  const closeWindow = (): void => {
    const closing = open;
    open = newWindow();
    const fresh = closing.fresh;
    if (fresh.length > 0) {
      resolving = resolving.then(async () => {
        for (const [key, id] of await resolve(fresh)) supplierIds.set(key, id);
      });
    }
    // Ready once this window's payees, and every earlier window's, are known.
    closing.resolved = resolving.then(() => {
      closing.ready = true;
    });
    // Keep a failure from being reported as unhandled before the window is awaited.
    closing.resolved.catch(() => undefined);
    closed.push(closing);
  };

  const parse = (records: SpendRecord[]): void => {
    for (const record of records) {
      const identity = identities.of(record);
      if (!identity) {
        encodeRow(record, undefined);
        continue;
      }
      const id = supplierIds.get(identity.key);
      if (id !== undefined) {
        encodeRow(record, id);
        continue;
      }
      if (!requested.has(identity.key)) {
        requested.set(identity.key, true);
        open.fresh.push(identity);
      }
      open.records.push(record);
      open.identities.push(identity);
    }
    endText();
    for (const reject of reader.stats.rejects.splice(0)) chunk.rejects.push(reject);
    chunk.bytesRead = reader.stats.bytesRead;
    open.batches++;
    if (open.batches >= window) closeWindow();
  };

  const encodeWaiting = async (resolution: ResolutionWindow): Promise<void> => {
    await resolution.resolved;
    for (let index = 0; index < resolution.records.length; index++) {
      const identity = resolution.identities[index] as SupplierIdentity;
      encodeRow(resolution.records[index] as SpendRecord, supplierIds.get(identity.key));
    }
    endText();
  };

  try {
    for await (const records of reader.batches) {
      parse(records);
      // Encode the rows of every resolved window; wait only when two windows are waiting.
      for (let head = closed[0]; head && (head.ready || closed.length > 2); head = closed[0]) {
        await encodeWaiting(head);
        closed.shift();
      }
      if (partBytes >= chunkBytes) yield take();
    }
    parse([]);
    closeWindow();
    for (const resolution of closed.splice(0)) {
      await encodeWaiting(resolution);
      if (partBytes >= chunkBytes) yield take();
    }
    yield take();
  } finally {
    // Never leave a resolution running against a transaction that is about to end.
    await resolving.catch(() => undefined);
  }
}

/** The reader's counts once it has been read to the end. */
export function readerSummary(reader: SpendReadResult): CopyChunksSummary {
  return {
    rejectedCount: reader.stats.rejectedCount,
    undatedCount: reader.stats.undatedCount,
    skipped: { ...reader.stats.skipped },
    warnings: [...reader.stats.warnings],
  };
}

/** Opens a spend file to be read in this thread. */
async function openHere(file: string, options: SpendReadOptions, chunkBytes: number): Promise<OpenedSpendFile> {
  const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
  let reader: SpendReadResult;
  try {
    reader = await readSpendFile(stream, options);
  } catch (error) {
    stream.destroy();
    throw error;
  }
  return {
    layout: reader.layout,
    chunks: (prefix, resolve) => encodeCopyChunks(reader, prefix, resolve, { chunkBytes }),
    summary: () => readerSummary(reader),
    close: () => {
      stream.destroy();
      return Promise.resolve();
    },
  };
}

/** Whether a file of this size is read in a worker: 'auto' means files of WORKER_MIN_BYTES or more. */
export function readsInWorker(byteSize: number, inWorker: 'auto' | boolean = 'auto'): boolean {
  return inWorker === 'auto' ? byteSize >= WORKER_MIN_BYTES : inWorker;
}

/**
 * Opens a spend file for import; throws SpendFileError when the file is refused as a whole. It is read in `worker`
 * when one is given (from startSpendFileWorker), else in a new worker or this thread as `readsInWorker` decides.
 */
export async function openSpendFile(
  file: string,
  options: SpendReadOptions,
  {
    byteSize,
    inWorker = 'auto',
    worker,
    chunkBytes = CHUNK_BYTES,
  }: { byteSize: number; inWorker?: 'auto' | boolean; worker?: Worker | null; chunkBytes?: number },
): Promise<OpenedSpendFile> {
  if (worker) return openInWorker(file, options, worker);
  return readsInWorker(byteSize, inWorker) ? openInWorker(file, options, startSpendFileWorker()) : openHere(file, options, chunkBytes);
}
