import crypto from 'node:crypto';
import type { Actor } from '../../platform/actor.js';
import { recordAuditEvent } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import type { Mailer } from '../../platform/mail.js';
import { knowledgePolicy } from './knowledge.policy.js';
import { type AddressGuard, createAddressGuard, createGuardedPost, refusalOfWebhookUrl } from './webhook-addresses.js';
import type { DeliveryRow, KnowledgeRepository, KnowledgeTransaction, WebhookRow } from './knowledge.repository.js';
import { createWebhookDeliveriesService } from './webhook-deliveries.service.js';

export { DISABLE_AFTER_FAILURES, MAX_ATTEMPTS, retryDelayMs, signPayload } from './webhook-deliveries.service.js';

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
 * Organisation webhooks: registration (the secret is shown once), the delivery log, turning one back on; deliveries
 * are queued, sent and retried by webhook-deliveries.service.ts. Over 80 lines as a set of short methods sharing one
 * set of dependencies.
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

    ...createWebhookDeliveriesService({
      knowledgeRepository,
      mailer,
      clock,
      post,
      listOrganisationAdminEmails,
      findUserContact,
      publicBaseUrl,
    }),
  };
}

export type WebhooksService = ReturnType<typeof createWebhooksService>;
