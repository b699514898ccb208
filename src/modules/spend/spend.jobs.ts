import type { Actor } from '../../platform/actor.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logging.js';
import type { SpendImportJobRow, SpendRepository } from './spend.repository.js';
import type { SpendService } from './spend.service.js';
import type { SpendWithdrawalsService } from './spend-withdrawals.service.js';

export interface SpendImportRunnerOptions {
  spendRepository: SpendRepository;
  spendService: SpendService;
  /** Imports an upload that corrects a file, then withdraws that file; without it such uploads fail. */
  replaceSpendFile?: SpendWithdrawalsService['replaceSpendFile'];
  clock: Clock;
  logger: Pick<Logger, 'info' | 'error'>;
  /** How often an idle runner looks for queued jobs (other nodes may queue them). */
  pollMilliseconds?: number;
  /** How often a running job's progress and heartbeat are written. */
  heartbeatMilliseconds?: number;
  /** A running job whose heartbeat is older than this belongs to a runner that stopped: it is queued again. */
  staleMilliseconds?: number;
  /** A job that stopped this many times is failed rather than run again. */
  maxAttempts?: number;
}

/** What importing a job's file takes: the kept file, its mapping and period, and where its progress goes. */
function importInput(job: SpendImportJobRow, sha256: string, storedPath: string, progress: { rows: number; bytes: number }) {
  return {
    fileName: job.file_name,
    stored: { sha256, byteSize: job.total_bytes, storedPath },
    ...(job.mapping ? { mapping: job.mapping } : {}),
    ...(job.period_from ? { period: { from: job.period_from, to: job.period_to ?? job.period_from } } : {}),
    ...(job.organisation_code ? { organisationCode: job.organisation_code } : {}),
    organisationMismatch: job.organisation_mismatch === 'accept' ? ('accept' as const) : ('refuse' as const),
    onProgress: (update: { rows: number; bytesRead: number }) => {
      progress.rows = update.rows;
      progress.bytes = update.bytesRead;
    },
  };
}

/** Runs one claimed job: imports (or replaces) its file, writing progress as it goes, then records how it ended. */
async function runJob(
  {
    spendRepository,
    spendService,
    replaceSpendFile,
    clock,
    logger,
    heartbeatMilliseconds,
  }: Pick<SpendImportRunnerOptions, 'spendRepository' | 'spendService' | 'replaceSpendFile' | 'clock' | 'logger'> & {
    heartbeatMilliseconds: number;
  },
  job: SpendImportJobRow,
): Promise<void> {
  const progress = { rows: 0, bytes: 0 };
  const pending: { write: Promise<void> | null } = { write: null };
  // One progress write at a time: on PGlite it waits for the import's transaction to end, so they must not pile up.
  const beat = () => {
    if (pending.write) return;
    pending.write = spendRepository
      .recordJobProgress(job.id, progress, clock())
      .catch((error: unknown) => logger.error({ err: error, job: job.id }, 'could not record spend import progress'))
      .finally(() => {
        pending.write = null;
      });
  };
  const heartbeat = setInterval(beat, heartbeatMilliseconds);
  try {
    if (job.stored_path === null || job.organisation_id === null || job.sha256 === null) throw new Error('the job names no stored file');
    const actor = (job.actor as Actor | null) ?? null;
    const input = importInput(job, job.sha256, job.stored_path, progress);
    let outcome;
    if (job.replaces_file_id === null)
      outcome = await spendService.importSpendFile({ ...input, organisationId: job.organisation_id, actor });
    else if (replaceSpendFile) ({ outcome } = await replaceSpendFile({ fileId: job.replaces_file_id, actor, input }));
    else throw new Error('this server cannot replace files');
    clearInterval(heartbeat);
    await pending.write;
    const rows = outcome.status === 'duplicate' ? 0 : outcome.rowsImported + outcome.rowsRejected;
    await spendRepository.finishJob(
      job.id,
      { status: 'done', file_id: outcome.fileId, outcome, error: null, rows, bytes: job.total_bytes },
      clock(),
    );
    logger.info({ job: job.id, file: job.file_name, status: outcome.status, rows: outcome.rowsImported }, 'spend import finished');
  } catch (error) {
    clearInterval(heartbeat);
    await pending.write;
    const message = error instanceof Error ? error.message : String(error);
    logger.error({ err: error, job: job.id, file: job.file_name }, 'spend import failed');
    await spendRepository.finishJob(
      job.id,
      { status: 'failed', file_id: null, outcome: null, error: message, rows: progress.rows, bytes: progress.bytes },
      clock(),
    );
  }
  if (job.parent_id !== null) await spendRepository.settleParentJob(job.parent_id, clock());
}

/** Removes what a process stopped mid-import left: staging files no import holds, and half-copied originals. */
async function cleanUpLeftovers(spendService: SpendService, logger: Pick<Logger, 'info' | 'error'>): Promise<void> {
  try {
    const files = await spendService.discardAbandonedImports();
    const copies = await spendService.removeStaleIncomingFiles();
    if (files + copies > 0) logger.info({ files, copies }, 'removed what stopped spend imports left');
  } catch (error) {
    logger.error({ err: error }, 'could not remove what stopped spend imports left');
  }
}

/**
 * The in-process runner of spend import jobs: one file at a time, oldest first. Safe to run on several nodes
 * (a job is claimed with FOR UPDATE SKIP LOCKED) and to kill at any moment: a file's rows are staged where no one
 * sees them and published in one short final step, and a file is recognised by its content hash, so a job
 * interrupted before or after publishing is simply run again (its staged leftovers are discarded first; a second
 * run after publishing reports the file as already imported and points at it).
 */
export function createSpendImportRunner({
  spendRepository,
  spendService,
  replaceSpendFile,
  clock,
  logger,
  pollMilliseconds = 1_000,
  heartbeatMilliseconds = 1_000,
  staleMilliseconds = 30_000,
  maxAttempts = 3,
}: SpendImportRunnerOptions) {
  let running = false;
  let loop: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let wakeUp: (() => void) | null = null;

  /** Runs queued jobs until none is left; returns how many ran. */
  async function drain(): Promise<number> {
    let count = 0;
    await spendRepository.requeueStalledJobs(new Date(clock().getTime() - staleMilliseconds), maxAttempts, clock());
    for (;;) {
      const job = await spendRepository.claimNextJob(clock());
      if (!job) return count;
      await runJob({ spendRepository, spendService, replaceSpendFile, clock, logger, heartbeatMilliseconds }, job);
      count++;
    }
  }

  async function run(): Promise<void> {
    await cleanUpLeftovers(spendService, logger);
    while (running) {
      try {
        await drain();
      } catch (error) {
        logger.error({ err: error }, 'the spend import runner could not read its queue');
      }
      if (!running) break;
      await new Promise<void>((resolve) => {
        wakeUp = resolve;
        timer = setTimeout(resolve, pollMilliseconds);
      });
      wakeUp = null;
    }
  }

  return {
    /** Starts taking jobs, beginning with any left queued or running by an earlier process. */
    start(): void {
      if (running) return;
      running = true;
      loop = run();
    },

    /** Stops taking jobs, and waits for the one running (if any) to finish. */
    async stop(): Promise<void> {
      running = false;
      if (timer) clearTimeout(timer);
      wakeUp?.();
      await loop;
      loop = null;
    },

    /** Looks at the queue now rather than at the next poll (after a job is queued on this node). */
    wake(): void {
      wakeUp?.();
    },

    /** Runs every queued job now and returns how many ran (for commands and tests). */
    drain,
  };
}

export type SpendImportRunner = ReturnType<typeof createSpendImportRunner>;
