import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  type DetectedLayout,
  normaliseSupplierName,
  readSpendFile,
  SpendFileError,
  type SpendReadOptions,
  type SpendReadResult,
  type SpendRecord,
  type SpendReject,
  type SpendSkipReason,
} from './ingest/index.js';
import { cleanCompanyNumber, cleanVatNumber } from './supplier-matching.js';

/**
 * A spend file turned into COPY text for spend_transactions, a chunk at a time, with each payee resolved to a
 * supplier id. Reading and encoding run either here or in a worker thread (for big files), so on a machine with
 * two cores the parsing of one chunk overlaps the database writing the one before.
 */

/** COPY text sent in one statement (about 10,000 rows); measured, 1, 2 and 4 MiB were within the noise of one another. */
const CHUNK_BYTES = 2 * 2 ** 20;

/**
 * COPY text per statement on PGlite, which runs in this thread: each statement holds the event loop while it runs,
 * so it is kept short enough for requests to be answered between statements during an import.
 */
export const EMBEDDED_CHUNK_BYTES = 256 * 2 ** 10;

/**
 * The worker's heap. Most of what it allocates (cells, records, COPY text) dies within a chunk: measured on 1M rows,
 * the default young generation promoted enough of it to make imports 12% slower (181,000 against 205,000 rows/s).
 * The old generation holds little for long (payees, bounded by MAX_REMEMBERED_PAYEES); capping it makes the worker
 * collect before it grows, which measured on a 1 GB file took the import's peak resident memory from 517 MB to 407 MB.
 */
const WORKER_YOUNG_GENERATION_MB = 128;
const WORKER_OLD_GENERATION_MB = 256;

/** Distinct payees an import remembers (between this and twice this); more than the batches parsed ahead can name. */
const MAX_REMEMBERED_PAYEES = 50_000;

/** Reader batches (1,000 rows each) whose new payees are resolved together; up to two windows are parsed ahead. */
const RESOLUTION_WINDOW_BATCHES = 8;

/** Files at least this big are read in a worker thread; below it, starting a worker costs more than it saves. */
const WORKER_MIN_BYTES = 8 * 2 ** 20;

/** A payee as the supplier resolver sees it: the raw name and identifiers, cleaned, and the key they are resolved by. */
export interface SupplierIdentity {
  key: string;
  rawName: string;
  normalisedName: string;
  companyNumber: string | null;
  vatNumber: string | null;
}

/** Resolves payees to supplier ids (by key), in the import's transaction. Asked once per payee, or again for one forgotten (RecentMap). */
export type ResolveSuppliers = (identities: SupplierIdentity[]) => Promise<Map<string, number>>;

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

/**
 * Payee identities of one file. Redacted and nameless payees have none (they resolve to no supplier rather than a
 * pseudo-supplier, so supplier counts and concentration are not distorted by withheld names).
 */
export class SupplierIdentities {
  /** By raw name, company number and VAT number: a file names few payees many times (measured: a third of the import's CPU went on building them per row). */
  private readonly byRaw = new Map<string, SupplierIdentity | null>();

  of(record: SpendRecord): SupplierIdentity | null {
    if (record.supplierRedacted) return null;
    const rawKey =
      record.companyNumber === null && record.vatNumber === null
        ? record.supplierName
        : `${record.supplierName}\u0000${record.companyNumber ?? ''}\u0000${record.vatNumber ?? ''}`;
    const known = this.byRaw.get(rawKey);
    if (known !== undefined) return known;
    const normalisedName = normaliseSupplierName(record.supplierName);
    const companyNumber = normalisedName === '' ? null : cleanCompanyNumber(record.companyNumber);
    const vatNumber = normalisedName === '' || companyNumber ? null : cleanVatNumber(record.vatNumber);
    const identity =
      normalisedName === ''
        ? null
        : {
            key: `${companyNumber ?? ''}|${vatNumber ?? ''}|${normalisedName}`,
            rawName: record.supplierName,
            normalisedName,
            companyNumber,
            vatNumber,
          };
    // Names repeat heavily within a file; the cache is cleared rather than grown without bound.
    if (this.byRaw.size > MAX_REMEMBERED_PAYEES) this.byRaw.clear();
    this.byRaw.set(rawKey, identity);
    return identity;
  }
}

/**
 * A map that remembers the last `limit` to `2 × limit` keys set: when full it starts afresh, keeping the previous
 * generation readable, so memory stays flat however many distinct payees a file names. A key is forgotten only
 * after `limit` newer ones, far more than the batches parsed ahead can be waiting on; a payee named again after
 * that is simply resolved again (by its alias).
 */
export class RecentMap<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();

  constructor(private readonly limit: number) {}

  get(key: string): V | undefined {
    return this.current.get(key) ?? this.previous.get(key);
  }

  has(key: string): boolean {
    return this.current.has(key) || this.previous.has(key);
  }

  set(key: string, value: V): void {
    if (this.current.size >= this.limit) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
  }
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

/** Messages between the import and its worker (spend-copy-chunks.worker.ts). */
export type WorkerRequest =
  | { type: 'open'; file: string; options: SpendReadOptions }
  | { type: 'start'; prefix: string }
  | { type: 'resolved'; id: number; entries: [string, number][] }
  | { type: 'resolve-failed'; id: number; message: string }
  | { type: 'taken' };

export type WorkerReply =
  | { type: 'layout'; layout: DetectedLayout }
  | { type: 'resolve'; id: number; identities: SupplierIdentity[] }
  | { type: 'chunk'; chunk: CopyChunk }
  | { type: 'end'; summary: CopyChunksSummary }
  | { type: 'failed'; error: { spendFileError: boolean; message: string; line: number | null; column: string | null; stack?: string } };

/** tsx's ESM API, found through its package.json exports as an `import` would (createRequire alone gives the CommonJS build). */
function tsxApiUrl(): string {
  const manifestPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, { import?: { default?: string } }> };
  const entry = manifest.exports['./esm/api']?.import?.default;
  if (!entry) throw new Error('tsx does not export ./esm/api for import');
  return new URL(entry, pathToFileURL(manifestPath)).href;
}

/**
 * Starts a worker that waits to be given a file: an import can start it while it is still keeping the original, so
 * the worker loads its code meanwhile (measured: 150 ms from start to the first reply). The worker is compiled
 * JavaScript next to this module or, running from the TypeScript sources, a small script that registers tsx in the
 * worker and then imports the TypeScript (Node 20 ignores `--import` in a worker's execArgv).
 */
export function startSpendFileWorker(): Worker {
  const options = {
    execArgv: [],
    stdout: false,
    stderr: false,
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB, maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB },
  };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./spend-copy-chunks.worker.js', import.meta.url), options);
  const tsx = tsxApiUrl();
  const script = new URL('./spend-copy-chunks.worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(script)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}

function errorFrom(reply: Extract<WorkerReply, { type: 'failed' }>['error']): Error {
  if (reply.spendFileError)
    return new SpendFileError(reply.message, {
      ...(reply.line === null ? {} : { line: reply.line }),
      ...(reply.column === null ? {} : { column: reply.column }),
    });
  const error = new Error(`spend file worker: ${reply.message}`);
  if (reply.stack) error.stack = reply.stack;
  return error;
}

/**
 * Opens a spend file to be read in a worker thread. Its chunks arrive as UTF-8 bytes moved (not copied) from the
 * worker; the worker parses at most two chunks ahead of the ones taken, so memory stays flat with file size.
 */
async function openInWorker(file: string, options: SpendReadOptions, worker: Worker): Promise<OpenedSpendFile> {
  const send = (request: WorkerRequest) => worker.postMessage(request);
  const replies: WorkerReply[] = [];
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const waker = wake;
    wake = null;
    waker?.();
  };
  // Payees are resolved as soon as the worker asks, one request after another, so the database answers them
  // between COPY statements while the import is still taking earlier chunks.
  let resolver: ResolveSuppliers | null = null;
  let resolving: Promise<void> = Promise.resolve();
  const startResolving = ({ id, identities }: { id: number; identities: SupplierIdentity[] }) => {
    resolving = resolving.then(async () => {
      if (!resolver) throw new Error('spend file worker asked for suppliers before it was started');
      send({ type: 'resolved', id, entries: [...(await resolver(identities))] });
    });
    resolving.catch((error: unknown) => {
      failure ??= error instanceof Error ? error : new Error(String(error));
      send({ type: 'resolve-failed', id, message: failure.message });
      notify();
    });
  };
  worker.on('message', (reply: WorkerReply) => {
    if (reply.type === 'resolve') startResolving(reply);
    else replies.push(reply);
    notify();
  });
  worker.on('error', (error) => {
    failure ??= error;
    notify();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`spend file worker stopped (exit code ${code})`);
    notify();
  });
  const nextReply = async (): Promise<Exclude<WorkerReply, { type: 'resolve' }>> => {
    for (;;) {
      const reply = replies.shift();
      if (reply && reply.type !== 'resolve') {
        if (reply.type === 'failed') throw errorFrom(reply.error);
        return reply;
      }
      if (failure) throw failure;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  const close = async () => {
    await resolving.catch(() => undefined);
    await worker.terminate();
  };
  send({ type: 'open', file, options });

  let first: WorkerReply;
  try {
    first = await nextReply();
  } catch (error) {
    await close();
    throw error;
  }
  if (first.type !== 'layout') {
    await close();
    throw new Error(`spend file worker: expected the layout, got ${first.type}`);
  }
  let summary: CopyChunksSummary | null = null;
  return {
    layout: first.layout,
    async *chunks(prefix, resolve) {
      resolver = resolve;
      send({ type: 'start', prefix });
      try {
        for (;;) {
          const reply = await nextReply();
          if (reply.type === 'chunk') {
            yield reply.chunk;
            send({ type: 'taken' });
          } else if (reply.type === 'end') {
            summary = reply.summary;
            return;
          } else throw new Error(`spend file worker: unexpected ${reply.type}`);
        }
      } finally {
        // Never leave a resolution running against a transaction that is about to end.
        await resolving.catch(() => undefined);
      }
    },
    summary: () => {
      if (!summary) throw new Error('the spend file has not been read to its end');
      return summary;
    },
    close,
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
