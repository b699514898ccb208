/** Each council's data flows: who it shares with, what and why, with a diagram drawn without JavaScript. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { crumbs, flowsDiagram, labels, partnersOf } from './agreements.presenters.js';
import { codeParams } from './agreements.schemas.js';
import type { AgreementsService } from './agreements.service.js';

export function registerFlowsRoutes(app: FastifyInstance, { agreementsService }: { agreementsService: AgreementsService }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/data-sharing/organisations/:code/flows',
    { config: { publicCache: true }, schema: { hide: true, params: codeParams } },
    async (request, reply) => {
      const { organisation, flows } = await agreementsService.listFlows(request.params.code);
      return reply.render('data-sharing/views/flows.njk', {
        title: `Data flows of ${organisation.name}`,
        organisation,
        flows,
        labels,
        diagram: flowsDiagram(organisation.name, partnersOf(flows)),
        breadcrumbs: crumbs.slice(0, 2),
      });
    },
  );
}
