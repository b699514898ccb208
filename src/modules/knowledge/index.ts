/** Public surface of the knowledge module: case studies, the one search, subscriptions and webhooks. */
export type { KnowledgeOwnTables, KnowledgeTables } from './knowledge.tables.js';
export { createKnowledgeServices, type KnowledgeServices } from './knowledge.services.js';
export type { CaseStudiesService, KnowledgeLookups, OrganisationFacts } from './case-studies.service.js';
export type { SearchService, SearchDocumentInput, SearchSource } from './search.service.js';
export type { FeedbackService } from './feedback.service.js';
export type { SubscriptionsService } from './subscriptions.service.js';
export type { WebhooksService, PostWebhook } from './webhooks.service.js';
export { registerKnowledgeRoutes } from './knowledge.routes.js';
export { seedKnowledgeDemo } from './knowledge.seed.js';
export { KNOWLEDGE_USAGE, runKnowledgeCommand } from './knowledge.cli.js';
