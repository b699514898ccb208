import type { Insertable, Kysely, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { KnowledgeTables, KnowledgeWebhookDeliveriesTable, KnowledgeWebhooksTable } from './knowledge.tables.js';
import type { DeliveryRow, WebhookRow } from './knowledge.repository.js';

/** The queries on webhooks and their deliveries. */
export function createWebhooksQueries(db: Kysely<KnowledgeTables>) {
  return {
    async insertWebhook(values: Insertable<KnowledgeWebhooksTable>): Promise<WebhookRow> {
      return db.insertInto('knowledge_webhooks').values(values).returningAll().executeTakeFirstOrThrow();
    },

    async listWebhooksOfOrganisation(organisationId: number): Promise<WebhookRow[]> {
      return db.selectFrom('knowledge_webhooks').selectAll().where('organisation_id', '=', organisationId).orderBy('id').execute();
    },

    async findWebhook(id: number): Promise<WebhookRow | undefined> {
      return db.selectFrom('knowledge_webhooks').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async listActiveWebhooksFor(eventTypes: readonly string[]): Promise<WebhookRow[]> {
      if (eventTypes.length === 0) return [];
      return db
        .selectFrom('knowledge_webhooks')
        .selectAll()
        .where('active', '=', true)
        .where(sql<boolean>`event_types && ${sql.val(eventTypes)}::text[]`)
        .execute();
    },

    async updateWebhook(id: number, values: Updateable<KnowledgeWebhooksTable>): Promise<void> {
      await db.updateTable('knowledge_webhooks').set(values).where('id', '=', id).execute();
    },

    async insertDeliveries(values: readonly Insertable<KnowledgeWebhookDeliveriesTable>[]): Promise<void> {
      if (values.length === 0) return;
      await db.insertInto('knowledge_webhook_deliveries').values(values).execute();
    },

    async listDueDeliveries(now: Date, limit: number): Promise<DeliveryRow[]> {
      return db
        .selectFrom('knowledge_webhook_deliveries')
        .selectAll()
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(limit)
        .execute();
    },

    async updateDelivery(id: number, values: Updateable<KnowledgeWebhookDeliveriesTable>): Promise<void> {
      await db.updateTable('knowledge_webhook_deliveries').set(values).where('id', '=', id).execute();
    },

    async listDeliveriesOfWebhook(webhookId: number, limit: number): Promise<DeliveryRow[]> {
      return db
        .selectFrom('knowledge_webhook_deliveries')
        .selectAll()
        .where('webhook_id', '=', webhookId)
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
    },

    /** Stops the pending deliveries of a disabled webhook. */
    async failPendingDeliveries(webhookId: number, reason: string): Promise<void> {
      await db
        .updateTable('knowledge_webhook_deliveries')
        .set({ status: 'failed', next_attempt_at: null, last_error: reason })
        .where('webhook_id', '=', webhookId)
        .where('status', '=', 'pending')
        .execute();
    },
  };
}
