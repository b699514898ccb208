import type { FastifyInstance } from 'fastify';
import { registerAdoptionRoutes } from './adoptions.routes.js';
import type { CatalogueRoutesOptions } from './catalogue.http.js';
import { registerComponentRoutes } from './components.routes.js';
import { registerPubliccodeExportRoutes } from './publiccode-export.routes.js';
import { registerPubliccodeImportRoutes } from './publiccode-import.routes.js';
import { registerPubliccodeValidatorRoutes } from './publiccode-validator.routes.js';
import { registerReuseCreditRoutes } from './reuse-credits.routes.js';

/** The catalogue's pages and JSON API. */
export function registerCatalogueRoutes(app: FastifyInstance, options: CatalogueRoutesOptions): void {
  registerPubliccodeValidatorRoutes(app);
  registerComponentRoutes(app, options);
  registerPubliccodeExportRoutes(app, options);
  registerPubliccodeImportRoutes(app, options);
  registerAdoptionRoutes(app, options);
  registerReuseCreditRoutes(app, options);
}
