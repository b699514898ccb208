import type { OrganisationTables } from '../modules/organisations/index.js';

/** Every table the platform has: the union of each module's tables. */
export type Database = OrganisationTables;
