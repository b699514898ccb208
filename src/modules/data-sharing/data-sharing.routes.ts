/** The data-sharing module's routes: the landing page, and each resource's routes. */
import type { FastifyInstance } from 'fastify';
import { registerAgreementsRoutes } from './agreements.routes.js';
import type { AgreementsService } from './agreements.service.js';
import { registerDataStandardsRoutes } from './data-standards.routes.js';
import type { DataStandardsService } from './data-standards.service.js';
import { registerExemplarsRoutes } from './exemplars.routes.js';
import type { ExemplarsService } from './exemplars.service.js';
import { registerValidationRoutes } from './validation.routes.js';
import type { ValidationService } from './validation.service.js';

export function registerDataSharingRoutes(
  app: FastifyInstance,
  services: {
    dataStandardsService: DataStandardsService;
    validationService: ValidationService;
    agreementsService: AgreementsService;
    exemplarsService: ExemplarsService;
  },
): void {
  app.get('/data-sharing', { config: { publicCache: true }, schema: { hide: true } }, async (_request, reply) => {
    const [standards, exemplars, agreements] = await Promise.all([
      services.dataStandardsService.listStandards({}),
      services.exemplarsService.countLive(),
      services.agreementsService.listAgreements(null, { page: 1, pageSize: 1 }),
    ]);
    return reply.render('data-sharing/views/index.njk', {
      title: 'Data sharing',
      standards: standards.length,
      agreements: agreements.total,
      exemplars,
      breadcrumbs: [{ text: 'Home', href: '/' }],
    });
  });
  registerValidationRoutes(app, services);
  registerDataStandardsRoutes(app, services);
  registerAgreementsRoutes(app, services);
  registerExemplarsRoutes(app, services);
}
