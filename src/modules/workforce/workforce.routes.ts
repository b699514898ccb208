import type { FastifyInstance } from 'fastify';
import { registerMentoringRoutes } from './mentoring.routes.js';
import type { MentoringService } from './mentoring.service.js';
import { registerOpportunitiesRoutes } from './opportunities.routes.js';
import type { OpportunitiesService } from './opportunities.service.js';
import { registerReturnsRoutes } from './returns.routes.js';
import type { ReturnsService } from './returns.service.js';
import { registerTablesRoutes } from './tables.routes.js';
import type { TablesService } from './tables.service.js';

/** Every route of the workforce module, one file per resource. */
export function registerWorkforceRoutes(
  app: FastifyInstance,
  dependencies: {
    returnsService: ReturnsService;
    tablesService: TablesService;
    opportunitiesService: OpportunitiesService;
    mentoringService: MentoringService;
    publicBaseUrl: string;
    clock: () => Date;
  },
): void {
  registerReturnsRoutes(app, dependencies);
  registerTablesRoutes(app, dependencies);
  registerOpportunitiesRoutes(app, dependencies);
  registerMentoringRoutes(app, dependencies);
}
