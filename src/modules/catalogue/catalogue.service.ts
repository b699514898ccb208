import { createAdoptionsService } from './adoptions.service.js';
import { type CatalogueDependencies, createCatalogueCore } from './catalogue.core.js';
import { createCatalogueDemoWriters } from './catalogue.seed.js';
import { createComponentsService } from './components.service.js';
import { createPubliccodeImportService } from './publiccode-import.service.js';
import { createReuseCreditsService } from './reuse-credits.service.js';

export type { CatalogueDependencies } from './catalogue.core.js';

/** The catalogue: components, publiccode.yml, adoption declarations counted against the register, credits and health. */
export function createCatalogueService(deps: CatalogueDependencies) {
  const core = createCatalogueCore(deps);
  return {
    ...createComponentsService(deps, core),
    ...createAdoptionsService(deps, core),
    ...createPubliccodeImportService(deps, core),
    ...createReuseCreditsService(deps, core),
    ...createCatalogueDemoWriters(deps, core),
  };
}

export type CatalogueService = ReturnType<typeof createCatalogueService>;
