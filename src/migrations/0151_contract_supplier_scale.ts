import { type Kysely, sql } from 'kysely';

/**
 * The size of each supplier named on a contract, as OCDS gives it (`parties[].details.scale`, codelist partyScale:
 * micro, sme, large, selfEmployed), so the share of contract value with small and medium-sized suppliers can be
 * measured where the size is known. Null: not given.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table contract_suppliers add column scale text check (scale in ('micro', 'sme', 'large', 'selfEmployed'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table contract_suppliers drop column scale`.execute(db);
}
