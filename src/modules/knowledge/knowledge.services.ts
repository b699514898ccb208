import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import type { Mailer } from '../../platform/mail.js';
import { createCaseStudiesService, type KnowledgeLookups } from './case-studies.service.js';
import { createFeedbackService } from './feedback.service.js';
import { createKnowledgeRepository, createKnowledgeTransaction } from './knowledge.repository.js';
import type { KnowledgeTables } from './knowledge.tables.js';
import { createSearchRepository } from './search.repository.js';
import { createSearchService } from './search.service.js';
import { createSubscriptionsService } from './subscriptions.service.js';
import { createAddressGuard } from './webhook-addresses.js';
import { createWebhooksService, eventTypesFor, type PostWebhook } from './webhooks.service.js';

/**
 * The knowledge module's services, wired together: case studies feed the search index; the index's change log feeds
 * digests and webhook deliveries. Other modules add their records with `searchService.registerSource` (services.ts).
 */
export function createKnowledgeServices({
  db,
  clock,
  mailer,
  lookups,
  findUserContact,
  listOrganisationAdminEmails,
  publicBaseUrl,
  postWebhook,
  webhookAllowedNetworks = [],
}: {
  db: Kysely<KnowledgeTables>;
  clock: Clock;
  mailer: Mailer;
  lookups: KnowledgeLookups;
  findUserContact: (userId: number) => Promise<{ email: string; name: string | null } | null>;
  listOrganisationAdminEmails: (organisationId: number) => Promise<string[]>;
  publicBaseUrl: string;
  postWebhook?: PostWebhook;
  /** Private or local networks (CIDR ranges) webhook deliveries may still go to; none by default. */
  webhookAllowedNetworks?: readonly string[];
}) {
  const knowledgeRepository = createKnowledgeRepository(db);
  const transaction = createKnowledgeTransaction(db);
  const webhooksService = createWebhooksService({
    knowledgeRepository,
    transaction,
    mailer,
    clock,
    addressGuard: createAddressGuard(webhookAllowedNetworks),
    ...(postWebhook ? { post: postWebhook } : {}),
    listOrganisationAdminEmails,
    findUserContact,
    eventTypes: () => eventTypesFor(searchService.listTypes().map((entry) => entry.type)),
    publicBaseUrl,
  });
  const searchService = createSearchService({
    searchRepository: createSearchRepository(db),
    onChanges: async (changes) => {
      await webhooksService.queueDeliveries(changes);
    },
  });
  const caseStudiesService = createCaseStudiesService({
    knowledgeRepository,
    transaction,
    lookups,
    clock,
    onChanged: () => searchService.refreshSearchIndex({ types: ['case-study'] }),
  });
  searchService.registerSource({
    type: 'case-study',
    label: 'Case studies',
    listSearchDocuments: (since) => caseStudiesService.listSearchDocuments(since),
  });
  const subscriptionsService = createSubscriptionsService({
    knowledgeRepository,
    transaction,
    searchService,
    mailer,
    clock,
    findUserContact,
    publicBaseUrl,
  });
  const feedbackService = createFeedbackService({ db });
  return { caseStudiesService, searchService, subscriptionsService, webhooksService, feedbackService };
}

export type KnowledgeServices = ReturnType<typeof createKnowledgeServices>;
