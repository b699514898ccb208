import type { FastifyInstance } from 'fastify';
import { systemClock } from '../platform/clock.js';
import type { Logger } from '../platform/logging.js';
import { createSpendImportRunner, type SpendImportRunner } from '../modules/spend/index.js';
import type { Services } from './services.js';

export interface BackgroundWork {
  /** The spend import runner, for the routes that queue jobs and wake it. */
  spendImportRunner: SpendImportRunner;
}

/**
 * The work a web node does beside answering requests: the spend import runner (files queued through the web) and,
 * outside tests, one refresh of the search index for whatever commands changed while the server was down.
 *
 * Both start `startDelayMs` after the app is ready, so a server that has just started answers its first requests
 * first: on PGlite every statement shares one connection, and the refresh alone can hold it for a second. The runner's
 * clock is the system's, whatever the services' clock: other nodes judge its heartbeats by theirs.
 */
export function registerBackgroundWork(
  app: FastifyInstance,
  services: Services,
  options: { logger: Logger; refreshSearch: boolean; startDelayMs: number },
): BackgroundWork {
  const { spendService, spendRepository, spendWithdrawalsService, searchService } = services;
  const spendImportRunner = createSpendImportRunner({
    spendRepository,
    spendService,
    // An upload that corrects a file withdraws that file once it is imported.
    replaceSpendFile: (replacement) => spendWithdrawalsService.replaceSpendFile(replacement),
    clock: systemClock,
    logger: options.logger,
  });
  let startTimer: NodeJS.Timeout | null = null;
  const start = () => {
    startTimer = null;
    if (spendService.acceptsFiles) spendImportRunner.start();
    if (options.refreshSearch) {
      void searchService.requestRefresh((error) => options.logger.error({ err: error }, 'knowledge background work failed'));
    }
  };
  app.addHook('onReady', (done) => {
    if (options.startDelayMs <= 0) start();
    else startTimer = setTimeout(start, options.startDelayMs).unref();
    done();
  });
  app.addHook('onClose', async () => {
    if (startTimer) clearTimeout(startTimer);
    await spendImportRunner.stop();
  });
  return { spendImportRunner };
}
