/** The spend intelligence API's request and response schemas, its CSV columns and the tables pages and API offer. */
import { z } from 'zod';
import { type CsvColumn, pageQuerySchema } from '../../platform/http/lists.js';
import type { Amount } from './spend-intelligence.service.js';
import { idSchema } from '../../platform/http/ids.js';

export const gssParams = z.object({ gssCode: z.string().min(1).max(100).describe('GSS code, e.g. E07000178 (or the register slug)') });
export const idParams = z.object({ id: idSchema.describe('The supplier’s id') });
export const sortSchema = z
  .enum(['total', 'councils', 'name'])
  .optional()
  .describe('Order: total paid (default), councils paying, or name');

export const supplierItemSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  totalPence: z.number().int().describe('Total paid across every council, in pence'),
  councils: z.number().int().describe('Councils that paid this supplier'),
  transactions: z.number().int(),
});
export const amountSchema = z.object({
  key: z.string().nullable(),
  label: z.string(),
  transactions: z.number().int(),
  totalPence: z.number().int(),
  share: z.number().describe('Share of the positive total, 0 to 1'),
});
export const councilSchema = z.object({
  organisationId: z.number().int(),
  gssCode: z.string().nullable(),
  slug: z.string(),
  name: z.string(),
  councilTypeName: z.string().nullable(),
  region: z.string().nullable(),
  population: z.number().nullable(),
});
export const councilAmountSchema = councilSchema.extend({
  totalPence: z.number().int(),
  transactions: z.number().int(),
  perResidentPence: z.number().nullable().describe('Total divided by the register’s population figure, in pence'),
});
export const concentrationSchema = z.object({
  expenseType: z.string().nullable(),
  hhi: z.number().describe('Herfindahl–Hirschman index, 0 to 10,000 (sum of squared percentage shares)'),
  top1Share: z.number().describe('Share of the largest supplier, 0 to 1'),
  top5Share: z.number().describe('Share of the five largest suppliers, 0 to 1'),
  totalPence: z.number().int().describe('Spend with named suppliers whose net total is positive'),
  suppliers: z.number().int(),
  level: z.enum(['low', 'moderate', 'high']),
  meaning: z.string(),
});
export const lockInSchema = z.object({
  expenseType: z.string().nullable(),
  supplierId: z.number().int(),
  supplierName: z.string(),
  years: z.array(z.number().int()),
  lowestShare: z.number(),
});
export const supplierAmountSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  transactions: z.number().int(),
  totalPence: z.number().int(),
});

export const amountCsv: CsvColumn<Amount>[] = [
  { header: 'key', value: (row) => row.key },
  { header: 'transactions', value: (row) => row.transactions },
  { header: 'total_pence', value: (row) => row.totalPence },
  { header: 'share', value: (row) => row.share },
];
export const supplierCsv: CsvColumn<{ id: number; name: string; totalPence: number; councils?: number; transactions: number }>[] = [
  { header: 'supplier_id', value: (row) => row.id },
  { header: 'name', value: (row) => row.name },
  { header: 'total_pence', value: (row) => row.totalPence },
  { header: 'councils', value: (row) => row.councils },
  { header: 'transactions', value: (row) => row.transactions },
];
export const councilCsv: CsvColumn<z.infer<typeof councilAmountSchema>>[] = [
  { header: 'gss_code', value: (row) => row.gssCode },
  { header: 'name', value: (row) => row.name },
  { header: 'total_pence', value: (row) => row.totalPence },
  { header: 'transactions', value: (row) => row.transactions },
  { header: 'population', value: (row) => row.population },
  { header: 'per_resident_pence', value: (row) => row.perResidentPence },
];
export const concentrationCsv: CsvColumn<z.infer<typeof concentrationSchema>>[] = [
  { header: 'expense_type', value: (row) => row.expenseType },
  { header: 'hhi', value: (row) => row.hhi },
  { header: 'top1_share', value: (row) => row.top1Share },
  { header: 'top5_share', value: (row) => row.top5Share },
  { header: 'total_pence', value: (row) => row.totalPence },
  { header: 'suppliers', value: (row) => row.suppliers },
  { header: 'level', value: (row) => row.level },
];
export const lockInCsv: CsvColumn<z.infer<typeof lockInSchema>>[] = [
  { header: 'expense_type', value: (row) => row.expenseType },
  { header: 'supplier_id', value: (row) => row.supplierId },
  { header: 'supplier_name', value: (row) => row.supplierName },
  { header: 'years', value: (row) => row.years.map(String) },
  { header: 'lowest_share', value: (row) => row.lowestShare },
];

export const supplierTables = ['councils', 'years', 'months', 'expense-types', 'services'] as const;
export const councilTables = ['months', 'suppliers', 'expense-types', 'services', 'concentration', 'lock-in'] as const;
export const formatSchema = pageQuerySchema.shape.format;

/** Councils as a list from `councils=A,B` or repeated `councils=A&councils=B`. */
export const councilsSchema = z
  .union([z.string().max(2000), z.array(z.string().max(100)).max(20)])
  .optional()
  .transform((value) =>
    (value === undefined ? [] : (Array.isArray(value) ? value : [value]).flatMap((item) => item.split(','))).filter(
      (code) => code.trim() !== '',
    ),
  )
  .describe('GSS codes, comma-separated or repeated');
