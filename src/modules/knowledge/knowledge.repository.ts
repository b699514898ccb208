import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type {
  CaseStudiesTable,
  CaseStudyLinksTable,
  CaseStudyOutcomesTable,
  CaseStudyReplicationsTable,
  CaseStudyStatus,
  DigestFrequency,
  KnowledgeTables,
  KnowledgeWebhookDeliveriesTable,
  KnowledgeWebhooksTable,
  LinkKind,
} from './knowledge.tables.js';

/**
 * The knowledge module's SQL for case studies, subscriptions and webhooks (the search index has its own file,
 * search.repository.ts). One named query per purpose; longer than most because the module owns three small jobs
 * that share tables (case studies feed the digests and webhooks).
 */

export type CaseStudyRow = Selectable<CaseStudiesTable>;
export type CaseStudyInsert = Insertable<CaseStudiesTable>;
export type OutcomeRow = Selectable<CaseStudyOutcomesTable>;
export type LinkRow = Selectable<CaseStudyLinksTable>;
export type ReplicationRow = Selectable<CaseStudyReplicationsTable>;
export type WebhookRow = Selectable<KnowledgeWebhooksTable>;
export type DeliveryRow = Selectable<KnowledgeWebhookDeliveriesTable>;

export interface OutcomeInput {
  metric: string;
  baseline: string;
  result: string;
  period: string;
  method: CaseStudyOutcomesTable['method'];
}

export interface LinkInput {
  kind: LinkKind;
  reference: string;
  pointNumber: number | null;
  label: string;
}

export interface CaseStudyListFilter {
  statuses: readonly CaseStudyStatus[];
  serviceArea?: string;
  minimumLevel?: number;
  organisationId?: number;
  /** Also drafts of this organisation (its own people see them). */
  includeDraftsOf?: number | null;
  sort: 'newest' | 'title' | 'evidence';
  limit: number;
  offset: number;
}

/** Creates the repository over a database handle (or a transaction). */
export function createKnowledgeRepository(db: Kysely<KnowledgeTables>) {
  const listFilter = (filter: CaseStudyListFilter) => {
    let query = db.selectFrom('case_studies');
    query = query.where((eb) =>
      filter.includeDraftsOf
        ? eb.or([eb('status', 'in', filter.statuses), eb('organisation_id', '=', filter.includeDraftsOf)])
        : eb('status', 'in', filter.statuses),
    );
    if (filter.serviceArea) query = query.where('service_area', '=', filter.serviceArea);
    if (filter.minimumLevel) query = query.where('confirmed_level', '>=', filter.minimumLevel);
    if (filter.organisationId) query = query.where('organisation_id', '=', filter.organisationId);
    return query;
  };

  return {
    async insertCaseStudy(values: CaseStudyInsert): Promise<CaseStudyRow> {
      return db.insertInto('case_studies').values(values).returningAll().executeTakeFirstOrThrow();
    },

    async updateCaseStudy(id: number, values: Updateable<CaseStudiesTable>): Promise<CaseStudyRow> {
      return db.updateTable('case_studies').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    },

    async findCaseStudyBySlug(slug: string): Promise<CaseStudyRow | undefined> {
      return db.selectFrom('case_studies').selectAll().where('slug', '=', slug).executeTakeFirst();
    },

    async slugExists(slug: string): Promise<boolean> {
      return (await db.selectFrom('case_studies').select('id').where('slug', '=', slug).executeTakeFirst()) !== undefined;
    },

    async listCaseStudies(filter: CaseStudyListFilter): Promise<CaseStudyRow[]> {
      const order =
        filter.sort === 'title'
          ? sql`lower(title)`
          : filter.sort === 'evidence'
            ? sql`coalesce(confirmed_level, 0) desc, published_at desc nulls last`
            : sql`coalesce(published_at, updated_at) desc`;
      return listFilter(filter).selectAll().orderBy(order).orderBy('id').limit(filter.limit).offset(filter.offset).execute();
    },

    async countCaseStudies(filter: CaseStudyListFilter): Promise<number> {
      const row = await listFilter(filter)
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      return row.count;
    },

    /** Case studies changed since an instant (all when none): the search source. */
    async listCaseStudiesChangedSince(since: Date | undefined): Promise<CaseStudyRow[]> {
      let query = db.selectFrom('case_studies').selectAll();
      if (since) query = query.where('updated_at', '>=', since);
      return query.orderBy('id').execute();
    },

    async replaceOutcomes(caseStudyId: number, replicationId: number | null, outcomes: readonly OutcomeInput[]): Promise<void> {
      let deletion = db.deleteFrom('case_study_outcomes').where('case_study_id', '=', caseStudyId);
      deletion =
        replicationId === null ? deletion.where('replication_id', 'is', null) : deletion.where('replication_id', '=', replicationId);
      await deletion.execute();
      if (outcomes.length === 0) return;
      await db
        .insertInto('case_study_outcomes')
        .values(
          outcomes.map((outcome, index) => ({
            case_study_id: caseStudyId,
            replication_id: replicationId,
            position: index + 1,
            ...outcome,
          })),
        )
        .execute();
    },

    async replaceLinks(caseStudyId: number, links: readonly LinkInput[]): Promise<void> {
      await db.deleteFrom('case_study_links').where('case_study_id', '=', caseStudyId).execute();
      if (links.length === 0) return;
      await db
        .insertInto('case_study_links')
        .values(
          links.map((link) => ({
            case_study_id: caseStudyId,
            kind: link.kind,
            reference: link.reference,
            point_number: link.pointNumber,
            label: link.label,
          })),
        )
        .execute();
    },

    async listOutcomes(caseStudyIds: readonly number[]): Promise<OutcomeRow[]> {
      if (caseStudyIds.length === 0) return [];
      return db.selectFrom('case_study_outcomes').selectAll().where('case_study_id', 'in', caseStudyIds).orderBy('position').execute();
    },

    async listLinks(caseStudyIds: readonly number[]): Promise<LinkRow[]> {
      if (caseStudyIds.length === 0) return [];
      return db
        .selectFrom('case_study_links')
        .selectAll()
        .where('case_study_id', 'in', caseStudyIds)
        .orderBy('kind')
        .orderBy('id')
        .execute();
    },

    async listReplications(caseStudyIds: readonly number[]): Promise<ReplicationRow[]> {
      if (caseStudyIds.length === 0) return [];
      return db.selectFrom('case_study_replications').selectAll().where('case_study_id', 'in', caseStudyIds).orderBy('id').execute();
    },

    async insertReplication(values: Insertable<CaseStudyReplicationsTable>): Promise<ReplicationRow> {
      return db.insertInto('case_study_replications').values(values).returningAll().executeTakeFirstOrThrow();
    },

    async replicationExists(caseStudyId: number, organisationId: number): Promise<boolean> {
      const row = await db
        .selectFrom('case_study_replications')
        .select('id')
        .where('case_study_id', '=', caseStudyId)
        .where('organisation_id', '=', organisationId)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** Published case studies linked to a record (e.g. a component's slug), best evidenced first. */
    async listPublishedLinkedTo(kind: LinkKind, reference: string): Promise<(CaseStudyRow & { point_number: number | null })[]> {
      return db
        .selectFrom('case_study_links')
        .innerJoin('case_studies', 'case_studies.id', 'case_study_links.case_study_id')
        .selectAll('case_studies')
        .select('case_study_links.point_number')
        .where('case_study_links.kind', '=', kind)
        .where('case_study_links.reference', '=', reference)
        .where('case_studies.status', '=', 'published')
        .orderBy(sql`coalesce(case_studies.confirmed_level, 0)`, 'desc')
        .orderBy('case_studies.id')
        .execute();
    },

    /** References of every kind linked to published case studies with their best level (evidence gaps). */
    async listBestLevelByReference(kind: LinkKind): Promise<{ reference: string; best: number | null; count: number }[]> {
      const rows = await db
        .selectFrom('case_study_links')
        .innerJoin('case_studies', 'case_studies.id', 'case_study_links.case_study_id')
        .select(['case_study_links.reference as reference'])
        .select((eb) => [eb.fn.max('case_studies.confirmed_level').as('best'), eb.fn.countAll<number>().as('count')])
        .where('case_study_links.kind', '=', kind)
        .where('case_studies.status', '=', 'published')
        .groupBy('case_study_links.reference')
        .execute();
      return rows.map((row) => ({ reference: row.reference, best: row.best, count: row.count }));
    },

    // ---- Subscriptions ----

    async findDigest(userId: number, frequency: DigestFrequency) {
      return db
        .selectFrom('knowledge_digests')
        .selectAll()
        .where('user_id', '=', userId)
        .where('frequency', '=', frequency)
        .executeTakeFirst();
    },

    async insertDigest(values: { user_id: number; frequency: DigestFrequency; unsubscribe_token: string; last_change_id: number }) {
      return db.insertInto('knowledge_digests').values(values).returningAll().executeTakeFirstOrThrow();
    },

    async addSubscription(digestId: number, topic: string): Promise<void> {
      await db
        .insertInto('knowledge_subscriptions')
        .values({ digest_id: digestId, topic })
        .onConflict((conflict) => conflict.columns(['digest_id', 'topic']).doNothing())
        .execute();
    },

    async listSubscriptionsOfUser(userId: number) {
      return db
        .selectFrom('knowledge_subscriptions')
        .innerJoin('knowledge_digests', 'knowledge_digests.id', 'knowledge_subscriptions.digest_id')
        .select([
          'knowledge_subscriptions.id',
          'knowledge_subscriptions.topic',
          'knowledge_digests.frequency',
          'knowledge_subscriptions.created_at',
        ])
        .where('knowledge_digests.user_id', '=', userId)
        .orderBy('knowledge_subscriptions.topic')
        .execute();
    },

    async deleteSubscription(userId: number, subscriptionId: number): Promise<boolean> {
      const result = await db
        .deleteFrom('knowledge_subscriptions')
        .where('id', '=', subscriptionId)
        .where('digest_id', 'in', db.selectFrom('knowledge_digests').select('id').where('user_id', '=', userId))
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async findDigestByToken(token: string) {
      return db.selectFrom('knowledge_digests').selectAll().where('unsubscribe_token', '=', token).executeTakeFirst();
    },

    /** Ends a digest and every subscription in it (one-click unsubscribe). */
    async deleteDigest(id: number): Promise<void> {
      await db.deleteFrom('knowledge_digests').where('id', '=', id).execute();
    },

    /** Digests of a frequency. */
    async listDigests(frequency: DigestFrequency) {
      return db.selectFrom('knowledge_digests').selectAll().where('frequency', '=', frequency).orderBy('id').execute();
    },

    async listTopicsOfDigest(digestId: number): Promise<string[]> {
      const rows = await db
        .selectFrom('knowledge_subscriptions')
        .select('topic')
        .where('digest_id', '=', digestId)
        .orderBy('topic')
        .execute();
      return rows.map((row) => row.topic);
    },

    /** Moves a digest's cursor from one change to another; false when someone else moved it first (that batch is theirs). */
    async advanceDigest(id: number, fromChangeId: number, toChangeId: number, at: Date): Promise<boolean> {
      const result = await db
        .updateTable('knowledge_digests')
        .set({ last_change_id: toChangeId, last_sent_at: at })
        .where('id', '=', id)
        .where('last_change_id', '=', fromChangeId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    // ---- Webhooks ----

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

export type KnowledgeRepository = ReturnType<typeof createKnowledgeRepository>;

export type KnowledgeTransaction = <Result>(
  work: (repository: KnowledgeRepository, trx: Kysely<KnowledgeTables>) => Promise<Result>,
) => Promise<Result>;

/** Runs work in one transaction with a repository bound to it. */
export function createKnowledgeTransaction(db: Kysely<KnowledgeTables>): KnowledgeTransaction {
  return (work) => db.transaction().execute((trx) => work(createKnowledgeRepository(trx), trx));
}
