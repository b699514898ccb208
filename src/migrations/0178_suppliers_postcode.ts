import { type Kysely, sql } from 'kysely';

/**
 * The postcode of the payee that made each supplier, where its spending file gave one (a "Supplier Postcode"
 * column): two similar names at the same postcode are taken as one supplier rather than sent to a person to decide.
 * Suppliers made before this, and from files without postcodes, have none.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table suppliers add column postcode text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table suppliers drop column postcode`.execute(db);
}
