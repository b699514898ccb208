import type { Insertable, Kysely, Selectable } from 'kysely';
import { createCaseStudiesQueries } from './case-studies.queries.js';
import type {
  CaseStudiesTable,
  CaseStudyLinksTable,
  CaseStudyOutcomesTable,
  CaseStudyReplicationsTable,
  CaseStudyStatus,
  KnowledgeTables,
  KnowledgeWebhookDeliveriesTable,
  KnowledgeWebhooksTable,
  LinkKind,
} from './knowledge.tables.js';
import { createSubscriptionsQueries } from './subscriptions.queries.js';
import { createWebhooksQueries } from './webhooks.queries.js';

/**
 * The knowledge module's SQL for case studies, subscriptions and webhooks, each in a queries file of its own (the
 * search index has its own file, search.repository.ts). One named query per purpose.
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
  return { ...createCaseStudiesQueries(db), ...createSubscriptionsQueries(db), ...createWebhooksQueries(db) };
}

export type KnowledgeRepository = ReturnType<typeof createKnowledgeRepository>;

export type KnowledgeTransaction = <Result>(
  work: (repository: KnowledgeRepository, trx: Kysely<KnowledgeTables>) => Promise<Result>,
) => Promise<Result>;

/** Runs work in one transaction with a repository bound to it. */
export function createKnowledgeTransaction(db: Kysely<KnowledgeTables>): KnowledgeTransaction {
  return (work) => db.transaction().execute((trx) => work(createKnowledgeRepository(trx), trx));
}
