import fs from 'node:fs';
import type { Worker } from 'node:worker_threads';
import type { Results } from '@electric-sql/pglite';
import { startCodeWorker } from '../code-locations.js';
import type { PGliteSettings } from './pglite-values.js';

/** What the web application's thread asks of the database thread. */
export type ThreadRequest = { type: 'query'; id: number; sql: string; params: unknown[]; blob?: Blob | undefined } | { type: 'close' };

/** What the database thread answers. */
export type ThreadReply =
  | { type: 'ready' }
  | { type: 'closed' }
  | { type: 'failed'; message: string; fields: Record<string, string | number | boolean> }
  | { type: 'result'; id: number; rows: Results['rows']; affectedRows: number; fields: Results['fields'] }
  | { type: 'error'; id: number; message: string; fields: Record<string, string | number | boolean> };

interface Waiting {
  resolve(results: Results): void;
  reject(error: Error): void;
  /** Where the query was asked, for the stack of an error the database thread reports. */
  asked: Error;
}

/** An error from the database thread, with PostgreSQL's fields (code, detail, constraint, …) as PGlite gives them. */
function databaseError(message: string, fields: Record<string, string | number | boolean>, asked?: Error): Error {
  const error = Object.assign(new Error(message), fields);
  if (asked?.stack) error.stack = `${error.name}: ${message}\n${asked.stack.split('\n').slice(1).join('\n')}`;
  return error;
}

/** Starts PostgreSQL in a thread of its own over a data folder, made first (owner-only) if it is new. */
export function startPGliteThread(settings: PGliteSettings): PGliteThread {
  fs.mkdirSync(settings.dataDirectory, { recursive: true, mode: 0o700 });
  return new PGliteThread(settings);
}

/**
 * PGlite in a thread of its own (pglite-thread.worker.ts), answering the part of PGlite's interface the platform
 * uses: `query` (with a Blob for COPY … FROM '/dev/blob') and `close`. PostgreSQL's start-up then runs on a second
 * core while this thread loads and builds the web application, and a long statement (an import's COPY) no longer
 * holds this thread's event loop. The Kysely dialect serialises statements as it does for PGlite itself.
 */
export class PGliteThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private stopped: Error | null = null;
  private closing: Promise<void> | null = null;
  private onClosed: (() => void) | null = null;
  /** Settles when PostgreSQL has started in the database thread (rejects when it could not). */
  readonly ready: Promise<void>;

  constructor(settings: PGliteSettings) {
    this.worker = startCodeWorker('platform/database/pglite-thread.worker', { workerData: settings });
    let started!: () => void;
    let failed!: (error: Error) => void;
    this.ready = new Promise<void>((resolve, reject) => {
      started = resolve;
      failed = reject;
    });
    // Awaited by every query; a failure to start is reported there, never as an unhandled rejection meanwhile.
    this.ready.catch(() => undefined);
    this.worker.on('message', (reply: ThreadReply) => {
      if (reply.type === 'ready') started();
      else if (reply.type === 'failed') failed(databaseError(reply.message, reply.fields));
      else if (reply.type === 'closed') this.onClosed?.();
      else this.settle(reply);
    });
    this.worker.on('error', (error) => this.stop(error));
    this.worker.on('exit', (code) => {
      this.stop(new Error(`The database thread stopped (exit code ${code})`));
      failed(this.stopped ?? new Error('The database thread stopped'));
    });
  }

  async query<Row>(sql: string, params: unknown[] = [], options: { blob?: Blob } = {}): Promise<Results<Row>> {
    await this.ready;
    if (this.stopped) throw this.stopped;
    const id = this.nextId++;
    const asked = new Error('asked here');
    const answered = new Promise<Results>((resolve, reject) => this.waiting.set(id, { resolve, reject, asked }));
    this.worker.postMessage({ type: 'query', id, sql, params, blob: options.blob } satisfies ThreadRequest);
    return answered as Promise<Results<Row>>;
  }

  /** Closes PGlite (it writes its files) and ends the thread; safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await this.ready;
      } catch {
        await this.worker.terminate();
        return;
      }
      if (this.stopped) return;
      await new Promise<void>((resolve) => {
        this.onClosed = resolve;
        this.worker.postMessage({ type: 'close' } satisfies ThreadRequest);
      });
      await this.worker.terminate();
    })();
    return this.closing;
  }

  private settle(reply: Extract<ThreadReply, { type: 'result' | 'error' }>): void {
    const waiting = this.waiting.get(reply.id);
    if (!waiting) return;
    this.waiting.delete(reply.id);
    if (reply.type === 'error') waiting.reject(databaseError(reply.message, reply.fields, waiting.asked));
    else waiting.resolve({ rows: reply.rows, affectedRows: reply.affectedRows, fields: reply.fields });
  }

  private stop(error: Error): void {
    this.stopped ??= error;
    for (const waiting of this.waiting.values()) waiting.reject(this.stopped);
    this.waiting.clear();
    this.onClosed?.();
  }
}
