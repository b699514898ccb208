import type { Kysely } from 'kysely';
import type { OrganisationTables } from './organisations.tables.js';
import type { OrganisationInsert } from './organisations.repository.js';

/** The queries that write the register of organisations, and count it. */
export function createRegisterQueries(db: Kysely<OrganisationTables>) {
  return {
    /** Inserts or updates register rows by registry code, in one transaction. */
    async upsertRegisterOrganisations(rows: readonly OrganisationInsert[]): Promise<void> {
      await db.transaction().execute(async (trx) => {
        for (let start = 0; start < rows.length; start += 200) {
          await trx
            .insertInto('organisations')
            .values(rows.slice(start, start + 200))
            .onConflict((oc) =>
              oc.column('registry_code').doUpdateSet((eb) => ({
                kind: eb.ref('excluded.kind'),
                gss_code: eb.ref('excluded.gss_code'),
                name: eb.ref('excluded.name'),
                official_name: eb.ref('excluded.official_name'),
                alternative_names: eb.ref('excluded.alternative_names'),
                council_type: eb.ref('excluded.council_type'),
                council_type_name: eb.ref('excluded.council_type_name'),
                nation: eb.ref('excluded.nation'),
                region: eb.ref('excluded.region'),
                county_code: eb.ref('excluded.county_code'),
                combined_authority_code: eb.ref('excluded.combined_authority_code'),
                start_date: eb.ref('excluded.start_date'),
                end_date: eb.ref('excluded.end_date'),
                successor_codes: eb.ref('excluded.successor_codes'),
                former_gss_codes: eb.ref('excluded.former_gss_codes'),
                population: eb.ref('excluded.population'),
                search_names: eb.ref('excluded.search_names'),
                updated_at: new Date(),
              })),
            )
            .execute();
        }
      });
    },

    /** Inserts an organisation that is not in the council register (institute, regional centre, supplier) unless its slug exists. */
    async insertOrganisationIfMissing(row: OrganisationInsert): Promise<void> {
      await db
        .insertInto('organisations')
        .values(row)
        .onConflict((oc) => oc.column('slug').doNothing())
        .execute();
    },

    /** Counts the organisations in the register. */
    async countOrganisations(): Promise<number> {
      const row = await db
        .selectFrom('organisations')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      return row.count;
    },
  };
}
