import type { Worker } from 'node:worker_threads';
import { codeModuleUrl, startCodeWorker } from '../code-locations.js';

/**
 * Untrusted documents parsed off the request thread, in a worker with a time and memory budget, so that no single
 * upload (a YAML alias bomb, a JSON file of a million keys) can stop the server answering everyone else. A parse
 * that runs past its budget is stopped by ending its worker, and refused with ParseBudgetError.
 */

/** How long one parse may take and how much heap its worker may use. */
export interface ParseBudget {
  timeLimitMs: number;
  memoryLimitMb: number;
}

/** A parse stopped because it ran past its budget; its message says which and is fit to show to the uploader. */
export class ParseBudgetError extends Error {
  override name = 'ParseBudgetError';
  constructor(
    readonly exceeded: 'time' | 'memory',
    budget: ParseBudget,
  ) {
    super(
      exceeded === 'time'
        ? `the file took longer than ${budget.timeLimitMs / 1000} seconds to read, so it was refused`
        : `reading the file needed more than ${budget.memoryLimitMb} MB of memory, so it was refused`,
    );
  }
}

/** A parse function that threw in the worker: its name and message, and any plain location fields it carried. */
export class WorkerParseError extends Error {
  constructor(
    readonly originalName: string,
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
    this.name = originalName;
  }
}

/** Messages between the parser and its worker (bounded-parser.worker.ts). */
export interface ParseTask {
  id: number;
  /** A module URL and the name of the function it exports; the function is called with `args` and may be async. */
  moduleUrl: string;
  exportName: string;
  args: unknown[];
}

export type ParseReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { name: string; message: string; details: Record<string, unknown> } };

function startWorker(budget: ParseBudget): Worker {
  return startCodeWorker('platform/parsing/bounded-parser.worker', {
    execArgv: [],
    stdout: false,
    stderr: false,
    resourceLimits: { maxOldGenerationSizeMb: budget.memoryLimitMb, maxYoungGenerationSizeMb: Math.min(32, budget.memoryLimitMb) },
  });
}

/** Runs parse functions in workers within a budget. Idle workers are kept (one) for the next parse, and never keep the process alive. */
export interface BoundedParser {
  readonly budget: ParseBudget;
  /** Calls `exportName` of `moduleUrl` with `args` in a worker; rejects with ParseBudgetError or WorkerParseError. */
  run<T>(moduleUrl: string, exportName: string, args: unknown[]): Promise<T>;
  /** JSON.parse in a worker. */
  parseJson(text: string): Promise<unknown>;
  /** YAML (one document, aliases limited) in a worker; a YAML error rejects with WorkerParseError carrying `line`. */
  parseYaml(text: string): Promise<unknown>;
  /** Ends every worker. */
  close(): Promise<void>;
}

const BUILT_INS = codeModuleUrl('platform/parsing/bounded-parser.builtins');

/** A bounded parser with this budget. */
export function createBoundedParser(budget: ParseBudget): BoundedParser {
  let idle: Worker | null = null;
  const busy = new Set<Worker>();
  let nextId = 1;

  function takeWorker(): Worker {
    const worker = idle ?? startWorker(budget);
    idle = null;
    worker.ref();
    busy.add(worker);
    return worker;
  }

  function giveBack(worker: Worker): void {
    busy.delete(worker);
    worker.removeAllListeners('message');
    worker.removeAllListeners('error');
    worker.removeAllListeners('exit');
    if (idle === null) {
      idle = worker;
      worker.unref();
      // An idle worker that stops for any reason is simply forgotten.
      worker.once('exit', () => {
        if (idle === worker) idle = null;
      });
    } else void worker.terminate();
  }

  function run<T>(moduleUrl: string, exportName: string, args: unknown[]): Promise<T> {
    const worker = takeWorker();
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = (action: () => void, keepWorker: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (keepWorker) giveBack(worker);
        else {
          busy.delete(worker);
          void worker.terminate();
        }
        action();
      };
      const timer = setTimeout(() => settle(() => reject(new ParseBudgetError('time', budget)), false), budget.timeLimitMs);
      worker.on('message', (reply: ParseReply) => {
        if (reply.id !== id) return;
        if (reply.ok) settle(() => resolve(reply.value as T), true);
        else settle(() => reject(new WorkerParseError(reply.error.name, reply.error.message, reply.error.details)), true);
      });
      worker.on('error', (error: Error & { code?: string }) => {
        const outOfMemory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
        settle(() => reject(outOfMemory ? new ParseBudgetError('memory', budget) : error), false);
      });
      worker.on('exit', (code) => settle(() => reject(new Error(`the parsing worker stopped (exit code ${code})`)), false));
      const task: ParseTask = { id, moduleUrl, exportName, args };
      worker.postMessage(task);
    });
  }

  return {
    budget,
    run,
    parseJson: (text) => run(BUILT_INS, 'parseJsonText', [text]),
    parseYaml: (text) => run(BUILT_INS, 'parseYamlText', [text]),
    async close() {
      const workers = [...busy, ...(idle ? [idle] : [])];
      idle = null;
      busy.clear();
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
