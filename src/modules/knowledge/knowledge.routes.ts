import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ChallengesService } from '../challenges/index.js';
import { registerCaseStudyRoutes } from './case-studies.routes.js';
import type { CaseStudiesService } from './case-studies.service.js';
import { registerFeedbackRoutes } from './feedback.routes.js';
import type { FeedbackService } from './feedback.service.js';
import { registerSearchRoutes } from './search.routes.js';
import type { SearchService } from './search.service.js';
import { registerSubscriptionRoutes } from './subscriptions.routes.js';
import type { SubscriptionsService } from './subscriptions.service.js';
import { registerWebhookRoutes } from './webhooks.routes.js';
import type { WebhooksService } from './webhooks.service.js';

export interface KnowledgeRouteDependencies {
  caseStudiesService: CaseStudiesService;
  searchService: SearchService;
  subscriptionsService: SubscriptionsService;
  webhooksService: WebhooksService;
  feedbackService: FeedbackService;
  challengesService: Pick<ChallengesService, 'listChallenges'>;
  publicBaseUrl: string;
  /** Whether this process keeps the index current and sends webhooks in the background (the web server does; tests do not). */
  backgroundWork: boolean;
  logError: (error: unknown) => void;
}

/** How often the server sends due webhook deliveries. */
const DELIVERY_INTERVAL_MS = 15_000;

/**
 * The knowledge module's pages and API, and what keeps its search current: after any change made through the web
 * (a successful POST), the index refreshes the records changed since its last refresh.
 */
export function registerKnowledgeRoutes(app: FastifyInstance, dependencies: KnowledgeRouteDependencies): void {
  const { searchService, webhooksService, backgroundWork, logError } = dependencies;
  const api = app.withTypeProvider<ZodTypeProvider>();

  app.addHook('onResponse', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD' || reply.statusCode >= 400) return;
    void searchService.requestRefresh(logError);
  });

  if (backgroundWork) {
    let timer: NodeJS.Timeout | null = null;
    app.addHook('onReady', (done) => {
      timer = setInterval(() => {
        webhooksService.deliverDue().catch(logError);
      }, DELIVERY_INTERVAL_MS);
      timer.unref();
      done();
    });
    app.addHook('onClose', (_instance, done) => {
      if (timer) clearInterval(timer);
      done();
    });
  }

  registerCaseStudyRoutes(app, dependencies);
  registerSearchRoutes(app, dependencies);
  registerSubscriptionRoutes(app, dependencies);
  registerWebhookRoutes(app, dependencies);
  registerFeedbackRoutes(app, dependencies);

  api.get('/knowledge', { config: { publicCache: true }, schema: { hide: true } }, async (request, reply) => {
    const latest = await dependencies.caseStudiesService.listCaseStudies({ sort: 'newest', page: 1, pageSize: 5 });
    const strongest = await dependencies.caseStudiesService.listCaseStudies({ sort: 'evidence', page: 1, pageSize: 5, minimumLevel: 3 });
    return reply.render('knowledge/views/knowledge.njk', { title: 'Knowledge', latest, strongest, signedIn: request.actor !== null });
  });

  api.get(
    '/case-studies/evidence-gaps',
    {
      config: { publicCache: true },
      schema: { hide: true, querystring: z.object({ minSharers: z.coerce.number().int().min(2).max(100).default(3) }) },
    },
    async (request, reply) => {
      const { minSharers } = request.query;
      const [shared, levels] = await Promise.all([
        dependencies.challengesService.listChallenges({ minSharers, sort: 'demand', page: 1, pageSize: 500 }),
        dependencies.caseStudiesService.listBestLevels('challenge'),
      ]);
      const byChallenge = new Map(levels.map((level) => [level.reference, level]));
      const gaps = shared.items
        .map((challenge) => ({ challenge, evidence: byChallenge.get(String(challenge.id)) ?? null }))
        .filter((gap) => (gap.evidence?.best ?? 0) < 3);
      return reply.render('knowledge/views/evidence-gaps.njk', {
        title: 'Evidence gaps',
        gaps,
        minSharers,
        sharerOptions: [2, 3, 5, 10].map((count) => ({
          value: String(count),
          text: `${count} or more councils`,
          selected: count === minSharers,
        })),
        breadcrumbs: [
          { text: 'Knowledge', href: '/knowledge' },
          { text: 'Case studies', href: '/case-studies' },
        ],
      });
    },
  );
}
