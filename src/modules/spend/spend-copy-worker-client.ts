import type { Worker } from 'node:worker_threads';
import { startCodeWorker } from '../../platform/code-locations.js';
import { type DetectedLayout, SpendFileError, type SpendReadOptions } from './ingest/index.js';
import type { CopyChunk, CopyChunksSummary, OpenedSpendFile } from './spend-copy-chunks.js';
import type { ResolveSuppliers, SupplierIdentity } from './spend-payees.js';

/**
 * The import's side of the spend file worker (spend-copy-chunks.worker.ts): starting it (compiled, or through tsx
 * from the TypeScript sources), the messages between them, and a file opened in it.
 */

/**
 * The worker's heap. Most of what it allocates (cells, records, COPY text) dies within a chunk: measured on 1M rows,
 * the default young generation promoted enough of it to make imports 12% slower (181,000 against 205,000 rows/s).
 * The old generation holds little for long (payees, bounded by MAX_REMEMBERED_PAYEES); capping it makes the worker
 * collect before it grows, which measured on a 1 GB file took the import's peak resident memory from 517 MB to 407 MB.
 */
const WORKER_YOUNG_GENERATION_MB = 128;
const WORKER_OLD_GENERATION_MB = 256;

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

/**
 * Starts a worker that waits to be given a file: an import can start it while it is still keeping the original, so
 * the worker loads its code meanwhile (measured: 150 ms from start to the first reply).
 */
export function startSpendFileWorker(): Worker {
  const options = {
    execArgv: [],
    stdout: false,
    stderr: false,
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB, maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB },
  };
  return startCodeWorker('modules/spend/spend-copy-chunks.worker', options);
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
export async function openInWorker(file: string, options: SpendReadOptions, worker: Worker): Promise<OpenedSpendFile> {
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
