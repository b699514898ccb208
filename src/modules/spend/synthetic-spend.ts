import crypto from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { normaliseSupplierName } from './ingest/index.js';
import type { SpendTables } from './spend.tables.js';

export interface SyntheticPayment {
  organisationId: number;
  /** Null for a redacted payee. */
  supplier: string | null;
  companyNumber?: string;
  date: string;
  pence: number;
  expenseType?: string | null;
  service?: string | null;
}

/**
 * Writes payments straight into the spend tables as an import would (one file per organisation, suppliers by
 * normalised name, roll-ups), for tests and demonstrations that need exact, hand-checkable figures.
 * Returns the file id of each organisation and the supplier id of each name.
 */
export async function insertSyntheticPayments(
  db: Kysely<SpendTables>,
  payments: readonly SyntheticPayment[],
): Promise<{ files: Map<number, number>; suppliers: Map<string, number> }> {
  const suppliers = new Map<string, number>();
  const files = new Map<number, number>();
  for (const payment of payments) {
    if (payment.supplier === null || suppliers.has(payment.supplier)) continue;
    const normalised = normaliseSupplierName(payment.supplier);
    const existing = await db.selectFrom('supplier_aliases').select('supplier_id').where('alias', '=', normalised).executeTakeFirst();
    if (existing) {
      suppliers.set(payment.supplier, existing.supplier_id);
      continue;
    }
    const row = await db
      .insertInto('suppliers')
      .values({ name: payment.supplier, normalised_name: normalised, company_number: payment.companyNumber ?? null, vat_number: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('supplier_aliases').values({ alias: normalised, supplier_id: row.id, source: 'exact' }).execute();
    suppliers.set(payment.supplier, row.id);
  }
  for (const organisationId of new Set(payments.map((payment) => payment.organisationId))) {
    const mine = payments.filter((payment) => payment.organisationId === organisationId);
    const dates = mine.map((payment) => payment.date).sort();
    const file = await sql<{ id: number }>`
      insert into spend_files (organisation_id, file_name, sha256, byte_size, stored_path, status, rows_imported, total_pence, date_from, date_to)
      values (${organisationId}, 'synthetic.csv', ${crypto.randomBytes(32).toString('hex')}, 0, 'synthetic', 'imported', ${mine.length},
              ${mine.reduce((sum, payment) => sum + payment.pence, 0)}, ${dates[0] ?? null}, ${dates[dates.length - 1] ?? null})
      returning id
    `.execute(db);
    const fileId = file.rows[0]?.id;
    if (fileId === undefined) throw new Error('spend file insert returned no id');
    files.set(organisationId, fileId);
    await db
      .insertInto('spend_transactions')
      .values(
        mine.map((payment, index) => ({
          organisation_id: organisationId,
          file_id: fileId,
          line: index + 2,
          payment_date: payment.date,
          date_precision: 'day' as const,
          transaction_reference: null,
          supplier_id: payment.supplier === null ? null : (suppliers.get(payment.supplier) ?? null),
          supplier_name: payment.supplier ?? 'REDACTED',
          supplier_redacted: payment.supplier === null,
          amount_pence: payment.pence,
          irrecoverable_vat_pence: null,
          service: payment.service ?? null,
          expense_type: payment.expenseType ?? null,
          expense_code: null,
          procurement_category: null,
          capital_revenue: null,
          purpose: null,
          card_transaction: null,
          body: null,
        })),
      )
      .execute();
    await sql`select spend_add_file_to_summaries(${fileId}::int)`.execute(db);
  }
  return { files, suppliers };
}
