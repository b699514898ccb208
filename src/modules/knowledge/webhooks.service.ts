import crypto from 'node:crypto';
import type { Actor } from '../../platform/actor.js';
import { recordAuditEvent } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import type { Mailer } from '../../platform/mail.js';
import { knowledgePolicy } from './knowledge.policy.js';
import { type AddressGuard, createAddressGuard, createGuardedPost, refusalOfWebhookUrl } from './webhook-addresses.js';
import type { DeliveryRow, KnowledgeRepository, KnowledgeTransaction, WebhookRow } from './knowledge.repository.js';
import type { LoggedChange } from './search.service.js';

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

/** The event types a webhook can ask for: each searchable type, added or updated. */
export function eventTypesFor(types: readonly string[]): string[] {
  return types.flatMap((type) => [`${type}.added`, `${type}.updated`]);
}

export type PostWebhook = (url: string, init: { headers: Record<string, string>; body: string }) => Promise<{ status: number }>;

function presentWebhook(row: WebhookRow) {
  return {
    id: row.id,
    url: row.url,
    eventTypes: row.event_types,
    active: row.active,
    consecutiveFailures: row.consecutive_failures,
    disabledAt: row.disabled_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

function presentDelivery(row: DeliveryRow) {
  return {
    deliveryId: row.delivery_id,
    eventType: row.event_type,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    deliveredAt: row.delivered_at?.toISOString() ?? null,
  };
}

/**
 * Organisation webhooks: registration (the secret is shown once), a delivery queued for each logged change a webhook
 * asked for, sending with an HMAC signature and retries with backoff, a delivery log, and disabling after repeated
 * failures with an email to the organisation's admins and the person who registered it.
 */
export function createWebhooksService({
  knowledgeRepository,
  transaction,
  mailer,
  clock,
  addressGuard = createAddressGuard(),
  post = createGuardedPost(addressGuard),
  listOrganisationAdminEmails,
  findUserContact,
  eventTypes,
  publicBaseUrl,
}: {
  knowledgeRepository: KnowledgeRepository;
  transaction: KnowledgeTransaction;
  mailer: Mailer;
  clock: Clock;
  /** Which addresses deliveries may go to (public ones only, unless networks are allowed). */
  addressGuard?: AddressGuard;
  /** How deliveries are sent (by default over HTTP(S), to addresses the guard allows only). */
  post?: PostWebhook;
  listOrganisationAdminEmails: (organisationId: number) => Promise<string[]>;
  findUserContact: (userId: number) => Promise<{ email: string; name: string | null } | null>;
  /** The event types on offer (from the search's types). */
  eventTypes: () => string[];
  publicBaseUrl: string;
}) {
  async function requireManageable(actor: Actor, id: number): Promise<WebhookRow> {
    const webhook = await knowledgeRepository.findWebhook(id);
    if (!webhook) throw new NotFoundError('No such webhook');
    if (!knowledgePolicy.canManageWebhooks(actor, webhook.organisation_id))
      throw new NotAllowedError('Only the organisation’s admins can see or change its webhooks');
    return webhook;
  }

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
    /** Registers a webhook for the person's organisation; returns its id and the secret (shown once). */
    async registerWebhook(actor: Actor, input: { url: string; eventTypes: readonly string[] }): Promise<{ id: number; secret: string }> {
      if (actor.organisationId === null || !knowledgePolicy.canManageWebhooks(actor, actor.organisationId))
        throw new NotAllowedError('Only an organisation admin can register webhooks');
      const problems: { field: string; message: string }[] = [];
      let url: URL | null = null;
      try {
        url = new URL(input.url.trim());
      } catch {
        url = null;
      }
      if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
        problems.push({ field: 'url', message: 'Enter the address that receives deliveries, starting https://' });
      else {
        const refusal = await refusalOfWebhookUrl(url, addressGuard);
        if (refusal) problems.push({ field: 'url', message: `Enter a public address: ${refusal}` });
      }
      const offered = new Set(eventTypes());
      const chosen = [...new Set(input.eventTypes)].filter((type) => offered.has(type));
      if (chosen.length === 0) problems.push({ field: 'eventTypes', message: 'Choose at least one kind of event' });
      if (problems.length > 0 || !url) throw new InputError('There is a problem with the webhook', problems);
      const secret = crypto.randomBytes(32).toString('hex');
      const id = await transaction(async (repository, trx) => {
        const row = await repository.insertWebhook({
          organisation_id: actor.organisationId ?? 0,
          url: url.toString(),
          secret,
          event_types: chosen,
          created_by: actor.userId,
        });
        await recordAuditEvent(trx, actor, {
          action: 'webhook.registered',
          subjectType: 'webhook',
          subjectId: row.id,
          organisationId: row.organisation_id,
          before: null,
          after: { url: row.url, eventTypes: row.event_types },
        });
        return row.id;
      });
      return { id, secret };
    },

    listEventTypes: () => eventTypes(),

    /** The organisation's webhooks. */
    async listWebhooks(actor: Actor) {
      if (actor.organisationId === null || !knowledgePolicy.canManageWebhooks(actor, actor.organisationId))
        throw new NotAllowedError('Only an organisation admin can see its webhooks');
      return (await knowledgeRepository.listWebhooksOfOrganisation(actor.organisationId)).map(presentWebhook);
    },

    /** One webhook with its newest deliveries. */
    async getWebhook(actor: Actor, id: number) {
      const webhook = await requireManageable(actor, id);
      const deliveries = await knowledgeRepository.listDeliveriesOfWebhook(id, 100);
      return { ...presentWebhook(webhook), deliveries: deliveries.map(presentDelivery) };
    },

    /** Turns a disabled webhook back on (its failure count starts again). */
    async enableWebhook(actor: Actor, id: number): Promise<void> {
      const webhook = await requireManageable(actor, id);
      await transaction(async (repository, trx) => {
        await repository.updateWebhook(webhook.id, { active: true, disabled_at: null, consecutive_failures: 0 });
        await recordAuditEvent(trx, actor, {
          action: 'webhook.enabled',
          subjectType: 'webhook',
          subjectId: webhook.id,
          organisationId: webhook.organisation_id,
          before: { active: webhook.active },
          after: { active: true },
        });
      });
    },

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

export type WebhooksService = ReturnType<typeof createWebhooksService>;
