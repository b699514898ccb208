import crypto from 'node:crypto';
import type { Clock } from '../../platform/clock.js';
import type { Mailer } from '../../platform/mail.js';
import type { DeliveryRow, KnowledgeRepository, WebhookRow } from './knowledge.repository.js';
import type { LoggedChange } from './search.service.js';
import type { PostWebhook } from './webhooks.service.js';

/** Attempts per delivery: the first, then retries after 30 seconds, 2, 8 and 32 minutes. */
export const MAX_ATTEMPTS = 5;
/** A webhook is disabled after this many failed attempts in a row (across deliveries), and its owners are told. */
export const DISABLE_AFTER_FAILURES = 5;
const BACKOFF_BASE_MS = 30_000;

/** The wait before a retry: 30 seconds, then four times longer each time. */
export function retryDelayMs(attemptsSoFar: number): number {
  return BACKOFF_BASE_MS * 4 ** Math.max(0, attemptsSoFar - 1);
}

/** The signature header's value: `sha256=` and the hex HMAC-SHA256 of the raw body under the webhook's secret. */
export function signPayload(secret: string, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Webhook deliveries: one queued for each logged change a webhook asked for, sent with an HMAC signature and retried
 * with backoff; a webhook that fails again and again is disabled, with an email to its organisation's admins and the
 * person who registered it. Over 80 lines as a set of short functions sharing one set of dependencies.
 */
export function createWebhookDeliveriesService({
  knowledgeRepository,
  mailer,
  clock,
  post,
  listOrganisationAdminEmails,
  findUserContact,
  publicBaseUrl,
}: {
  knowledgeRepository: KnowledgeRepository;
  mailer: Mailer;
  clock: Clock;
  post: PostWebhook;
  listOrganisationAdminEmails: (organisationId: number) => Promise<string[]>;
  findUserContact: (userId: number) => Promise<{ email: string; name: string | null } | null>;
  publicBaseUrl: string;
}) {
  async function disable(webhook: WebhookRow, reason: string): Promise<void> {
    await knowledgeRepository.updateWebhook(webhook.id, { active: false, disabled_at: clock() });
    await knowledgeRepository.failPendingDeliveries(webhook.id, 'Webhook disabled');
    const recipients = new Set(await listOrganisationAdminEmails(webhook.organisation_id));
    if (webhook.created_by) {
      const creator = await findUserContact(webhook.created_by);
      if (creator) recipients.add(creator.email);
    }
    for (const to of recipients) {
      await mailer.send({
        to,
        subject: 'A webhook has been disabled – Local Digital Commons',
        text: [
          `Your organisation's webhook to ${webhook.url} failed ${DISABLE_AFTER_FAILURES} times in a row, so we have stopped sending to it.`,
          `The last problem: ${reason}`,
          '',
          `See its delivery log and turn it back on when the receiver works: ${publicBaseUrl}/webhooks/${webhook.id}`,
        ].join('\n'),
      });
    }
  }

  /** Sends one due delivery and records what happened. */
  async function attempt(delivery: DeliveryRow): Promise<'delivered' | 'retry' | 'failed'> {
    const webhook = await knowledgeRepository.findWebhook(delivery.webhook_id);
    if (!webhook?.active) {
      await knowledgeRepository.updateDelivery(delivery.id, { status: 'failed', next_attempt_at: null, last_error: 'Webhook disabled' });
      return 'failed';
    }
    let status: number | null = null;
    let error = '';
    try {
      ({ status } = await post(webhook.url, {
        body: delivery.payload,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'LocalDigitalCommons-Webhook/1',
          'x-commons-event': delivery.event_type,
          'x-commons-delivery': delivery.delivery_id,
          'x-commons-signature': signPayload(webhook.secret, delivery.payload),
        },
      }));
      if (status < 200 || status >= 300) error = `The receiver answered ${status}`;
    } catch (caught) {
      error = `Could not reach the receiver: ${caught instanceof Error ? caught.message : String(caught)}`;
    }
    const now = clock();
    const attempts = delivery.attempts + 1;
    if (!error) {
      await knowledgeRepository.updateDelivery(delivery.id, {
        status: 'delivered',
        attempts,
        last_status_code: status,
        last_error: '',
        next_attempt_at: null,
        delivered_at: now,
      });
      await knowledgeRepository.updateWebhook(webhook.id, { consecutive_failures: 0 });
      return 'delivered';
    }
    const last = attempts >= MAX_ATTEMPTS;
    await knowledgeRepository.updateDelivery(delivery.id, {
      status: last ? 'failed' : 'pending',
      attempts,
      last_status_code: status,
      last_error: error,
      next_attempt_at: last ? null : new Date(now.getTime() + retryDelayMs(attempts)),
    });
    const failures = webhook.consecutive_failures + 1;
    await knowledgeRepository.updateWebhook(webhook.id, { consecutive_failures: failures });
    if (failures >= DISABLE_AFTER_FAILURES) await disable(webhook, error);
    return last ? 'failed' : 'retry';
  }

  return {
    /** Queues a delivery of each change to every active webhook that asked for its event type. */
    async queueDeliveries(changes: readonly LoggedChange[]): Promise<number> {
      const eventOf = (change: LoggedChange) => `${change.type}.${change.change}`;
      const webhooks = await knowledgeRepository.listActiveWebhooksFor([...new Set(changes.map(eventOf))]);
      const now = clock();
      const rows = changes.flatMap((change) =>
        webhooks
          .filter((webhook) => webhook.event_types.includes(eventOf(change)))
          .map((webhook) => {
            const deliveryId = crypto.randomUUID();
            return {
              webhook_id: webhook.id,
              delivery_id: deliveryId,
              event_type: eventOf(change),
              payload: JSON.stringify({
                event: eventOf(change),
                delivery: deliveryId,
                occurredAt: change.occurredAt.toISOString(),
                data: {
                  type: change.type,
                  id: change.key,
                  title: change.title,
                  url: `${publicBaseUrl}${change.url}`,
                  summary: change.summary,
                  topics: change.topics,
                },
              }),
              next_attempt_at: now,
            };
          }),
      );
      await knowledgeRepository.insertDeliveries(rows);
      return rows.length;
    },

    /** Sends the deliveries that are due (first attempts and retries); returns what happened to each. */
    async deliverDue(limit = 100): Promise<{ delivered: number; retrying: number; failed: number }> {
      const outcome = { delivered: 0, retrying: 0, failed: 0 };
      for (const delivery of await knowledgeRepository.listDueDeliveries(clock(), limit)) {
        const result = await attempt(delivery);
        if (result === 'delivered') outcome.delivered += 1;
        else if (result === 'retry') outcome.retrying += 1;
        else outcome.failed += 1;
      }
      return outcome;
    },
  };
}
