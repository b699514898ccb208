import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { buildChallengesFeed } from './challenges.feed.js';
import { SERVICE_AREA_LABELS } from './challenges.labels.js';
import type { ChallengesService } from './challenges.service.js';
import { SERVICE_AREAS } from './challenges.tables.js';

/** Atom feeds of new challenges, all or of one service area, for feed readers. */
export function registerChallengeFeedRoutes(
  app: FastifyInstance,
  { challengesService, publicBaseUrl }: { challengesService: ChallengesService; publicBaseUrl: string },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  const feed = async (reply: FastifyReply, serviceArea: (typeof SERVICE_AREAS)[number] | undefined) => {
    const { items } = await challengesService.listChallenges({ serviceArea, sort: 'newest', page: 1, pageSize: 50 });
    const selfPath = serviceArea ? `/challenges/feed.atom?serviceArea=${serviceArea}` : '/challenges/feed.atom';
    return reply.type('application/atom+xml; charset=utf-8').send(
      buildChallengesFeed({
        baseUrl: publicBaseUrl,
        title: serviceArea
          ? `Challenges in ${SERVICE_AREA_LABELS[serviceArea].toLowerCase()} – Local Digital Commons`
          : 'Challenges – Local Digital Commons',
        selfPath,
        challenges: items,
        now: new Date(),
      }),
    );
  };

  api.get(
    '/challenges/feed.atom',
    {
      config: { publicCache: true },
      // A feed for feed readers, not part of the JSON API, so it stays out of the OpenAPI document (the list page links it).
      schema: {
        hide: true,
        querystring: z.object({ serviceArea: z.enum(SERVICE_AREAS).optional().describe('Only this service area') }),
      },
    },
    async (request, reply) => feed(reply, request.query.serviceArea),
  );
}
