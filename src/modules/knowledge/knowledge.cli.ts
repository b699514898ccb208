import type { SearchService } from './search.service.js';
import type { SubscriptionsService } from './subscriptions.service.js';
import type { WebhooksService } from './webhooks.service.js';

export const KNOWLEDGE_USAGE = `Usage: commons knowledge <task>

Tasks:
  reindex [--full]        Bring the search index up to date (--full: every record, removing what is gone)
  digest daily|weekly     Email each follower the changes since their last digest (run daily, and weekly)
  deliver-webhooks        Send webhook deliveries that are due, first attempts and retries (run every minute)

The web server does all three as it runs; these are for cron and for imports made outside it.`;

/** `commons knowledge …`: search re-indexing, digests and webhook deliveries. Returns the exit code. */
export async function runKnowledgeCommand(
  args: readonly string[],
  services: {
    searchService: SearchService;
    subscriptionsService: SubscriptionsService;
    webhooksService: WebhooksService;
    stdout: NodeJS.WritableStream;
  },
): Promise<number> {
  const [task, option] = args;
  if (task === 'reindex') {
    await services.searchService.refreshSearchIndex({ full: option === '--full' });
    services.stdout.write(`Search index is up to date${option === '--full' ? ' (rebuilt in full)' : ''}.\n`);
    return 0;
  }
  if (task === 'digest' && (option === 'daily' || option === 'weekly')) {
    await services.searchService.refreshSearchIndex();
    const sent = await services.subscriptionsService.sendDigests(option);
    services.stdout.write(`Sent ${sent} ${option} digest${sent === 1 ? '' : 's'}.\n`);
    return 0;
  }
  if (task === 'deliver-webhooks') {
    const outcome = await services.webhooksService.deliverDue();
    services.stdout.write(`Delivered ${outcome.delivered}, ${outcome.retrying} to retry, ${outcome.failed} given up.\n`);
    return 0;
  }
  services.stdout.write(`${KNOWLEDGE_USAGE}\n`);
  return task === '--help' || task === 'help' ? 0 : 2;
}
