/**
 * Reads one spend file in a worker thread and sends its COPY chunks to the import (spend-copy-chunks.ts), asking
 * the import to resolve payees it has not seen, since only the import's transaction can.
 */
import { createReadStream } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { readSpendFile, SpendFileError, type SpendReadOptions } from './ingest/index.js';
import { encodeCopyChunks, readerSummary, type SupplierIdentity, type WorkerReply, type WorkerRequest } from './spend-copy-chunks.js';

/** Chunks sent but not yet taken by the import; the worker waits rather than run further ahead. */
const MAX_AHEAD = 2;

const port = parentPort;
if (!port) throw new Error('spend-copy-chunks.worker.ts runs only as a worker thread');

const send = (reply: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);
const resolutions = new Map<number, { resolve: (entries: [string, number][]) => void; reject: (error: Error) => void }>();
let nextResolution = 0;
let opened: ((file: { file: string; options: SpendReadOptions }) => void) | null = null;
let started: ((prefix: string) => void) | null = null;
let taken: (() => void) | null = null;
let ahead = 0;

port.on('message', (request: WorkerRequest) => {
  if (request.type === 'open') opened?.(request);
  else if (request.type === 'start') started?.(request.prefix);
  else if (request.type === 'taken') {
    ahead--;
    const wake = taken;
    taken = null;
    wake?.();
  } else {
    const waiting = resolutions.get(request.id);
    resolutions.delete(request.id);
    if (request.type === 'resolved') waiting?.resolve(request.entries);
    else waiting?.reject(new Error(request.message));
  }
});

async function resolve(identities: SupplierIdentity[]): Promise<Map<string, number>> {
  const id = nextResolution++;
  const entries = await new Promise<[string, number][]>((resolve, reject) => {
    resolutions.set(id, { resolve, reject });
    send({ type: 'resolve', id, identities });
  });
  return new Map(entries);
}

async function run(): Promise<void> {
  const { file, options } = await new Promise<{ file: string; options: SpendReadOptions }>((resolve) => (opened = resolve));
  const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
  const reader = await readSpendFile(stream, options);
  const prefix = await new Promise<string>((resolve) => {
    started = resolve;
    send({ type: 'layout', layout: reader.layout });
  });
  for await (const chunk of encodeCopyChunks(reader, prefix, resolve)) {
    // Its own buffer (never Buffer's shared pool), so it is moved to the import rather than copied.
    send({ type: 'chunk', chunk }, [chunk.text.buffer]);
    ahead++;
    while (ahead >= MAX_AHEAD) await new Promise<void>((wake) => (taken = wake));
  }
  send({ type: 'end', summary: readerSummary(reader) });
}

run().catch((error: unknown) => {
  const spendFileError = error instanceof SpendFileError;
  send({
    type: 'failed',
    error: {
      spendFileError,
      message: error instanceof Error ? error.message : String(error),
      line: spendFileError ? error.line : null,
      column: spendFileError ? error.column : null,
      ...(error instanceof Error && error.stack ? { stack: error.stack } : {}),
    },
  });
});
