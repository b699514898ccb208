import { parentPort } from 'node:worker_threads';
import type { ParseReply, ParseTask } from './bounded-parser.js';

/** The worker of bounded-parser.ts: runs one parse function at a time and answers with its result or its error. */

/** Plain fields of an error worth carrying back (a line, a column, a path), so a refusal can say where. */
function detailsOf(error: unknown): Record<string, unknown> {
  if (typeof error !== 'object' || error === null) return {};
  const details: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (['string', 'number', 'boolean'].includes(typeof value) || value === null) details[key] = value;
    else if (Array.isArray(value) && value.every((item) => typeof item === 'number' || typeof item === 'string')) details[key] = value;
  }
  return details;
}

parentPort?.on('message', (task: ParseTask) => {
  void (async () => {
    let reply: ParseReply;
    try {
      const loaded = (await import(task.moduleUrl)) as Record<string, unknown>;
      const parse = loaded[task.exportName];
      if (typeof parse !== 'function') throw new Error(`${task.exportName} is not a function of ${task.moduleUrl}`);
      reply = { id: task.id, ok: true, value: await (parse as (...args: unknown[]) => unknown)(...task.args) };
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      reply = { id: task.id, ok: false, error: { name, message, details: detailsOf(error) } };
    }
    try {
      parentPort?.postMessage(reply);
    } catch (error) {
      // A result that cannot be sent (a function, a class with private state) is reported, not lost.
      const message = `the result of ${task.exportName} cannot be sent back: ${error instanceof Error ? error.message : String(error)}`;
      parentPort?.postMessage({ id: task.id, ok: false, error: { name: 'Error', message, details: {} } } satisfies ParseReply);
    }
  })();
});
