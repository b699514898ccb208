export type { CatalogueOwnTables, CatalogueTables } from './catalogue.tables.js';
export { createCatalogueRepository, createCatalogueTransaction, type CatalogueRepository } from './catalogue.repository.js';
export { createCatalogueService, type CatalogueService } from './catalogue.service.js';
export { registerCatalogueRoutes } from './catalogue.routes.js';
export { IMPORT_PUBLICCODE_USAGE, REMIND_ADOPTIONS_USAGE, runImportPubliccodeCommand, runRemindAdoptionsCommand } from './catalogue.cli.js';
export { seedCatalogueDemo } from './catalogue.seed.js';
export { boundedPubliccodeParse, type PubliccodeParse } from './publiccode-bounded.js';
export { componentSlug } from './catalogue.records.js';
export type { ComponentInput } from './catalogue.types.js';
