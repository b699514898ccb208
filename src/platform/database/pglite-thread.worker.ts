/**
 * The database thread: PGlite opened here, so that PostgreSQL's start-up and its queries run beside the web
 * application's own work instead of taking turns with it (pglite-thread.ts is the other side).
 */
import { PGlite } from '@electric-sql/pglite';
import { parentPort, workerData } from 'node:worker_threads';
import { pgliteOptions } from './pglite-options.js';
import type { PGliteSettings } from './pglite-values.js';
import type { ThreadReply, ThreadRequest } from './pglite-thread.js';

const port = parentPort;
if (!port) throw new Error('pglite-thread.worker.ts runs only as a worker thread');

/** A thrown value as plain data: the message, and the fields PostgreSQL's errors carry (code, detail, …). */
function describeError(error: unknown): { message: string; fields: Record<string, string | number | boolean> } {
  if (!(error instanceof Error)) return { message: String(error), fields: {} };
  const fields: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
  }
  return { message: error.message, fields };
}

async function answer(pglite: PGlite, request: Extract<ThreadRequest, { type: 'query' }>): Promise<ThreadReply> {
  try {
    const options = request.blob ? { blob: request.blob } : undefined;
    const { rows, affectedRows, fields } = await pglite.query<Record<string, unknown>>(request.sql, request.params, options);
    return { type: 'result', id: request.id, rows, affectedRows: affectedRows ?? 0, fields };
  } catch (error) {
    return { type: 'error', id: request.id, ...describeError(error) };
  }
}

const send = (reply: ThreadReply) => port.postMessage(reply);
const opening = PGlite.create(pgliteOptions(workerData as PGliteSettings));
opening.then(
  () => send({ type: 'ready' }),
  (error: unknown) => send({ type: 'failed', ...describeError(error) }),
);

port.on('message', (request: ThreadRequest) => {
  void opening.then(async (pglite) => {
    if (request.type === 'query') send(await answer(pglite, request));
    else {
      await pglite.close();
      send({ type: 'closed' });
    }
  });
});
