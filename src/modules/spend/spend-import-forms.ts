import { InputError } from '../../platform/errors.js';
import type { CanonicalField } from './ingest/index.js';
import type { SpendColumnMapping } from './spend.service.js';

/** The canonical fields in the order the mapping form lists them, with the names people see. */
export const MAPPING_FIELDS: readonly { field: CanonicalField; label: string; required: boolean }[] = [
  { field: 'date', label: 'Payment date', required: true },
  { field: 'supplierName', label: 'Supplier name', required: true },
  { field: 'amount', label: 'Amount', required: true },
  { field: 'transactionReference', label: 'Transaction reference', required: false },
  { field: 'expenseType', label: 'Expense type', required: false },
  { field: 'expenseCode', label: 'Expense code', required: false },
  { field: 'service', label: 'Service or department', required: false },
  { field: 'procurementCategory', label: 'Procurement category', required: false },
  { field: 'capitalRevenue', label: 'Capital or revenue', required: false },
  { field: 'purpose', label: 'Purpose', required: false },
  { field: 'supplierId', label: 'Supplier ID', required: false },
  { field: 'companyNumber', label: 'Company number', required: false },
  { field: 'vatNumber', label: 'VAT number', required: false },
  { field: 'supplierPostcode', label: 'Supplier postcode', required: false },
  { field: 'irrecoverableVat', label: 'Irrecoverable VAT', required: false },
  { field: 'cardTransaction', label: 'Card transaction', required: false },
  { field: 'organisation', label: 'Organisation (body code)', required: false },
  { field: 'organisationName', label: 'Organisation name', required: false },
];

/** What the mapping form sends: `map_<field>` as a column index or '' for "not in this file", and the period. */
export type MappingForm = Record<string, string | undefined>;

/** A month written YYYY-MM. */
export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Reads the mapping form into a column mapping by index, refusing two fields on one column and missing required fields. */
export function parseMappingForm(form: MappingForm, columnCount: number, hasPeriod: boolean): SpendColumnMapping {
  const mapping: SpendColumnMapping = {};
  const problems: { field: string; message: string }[] = [];
  const used = new Map<number, string>();
  for (const { field, label, required } of MAPPING_FIELDS) {
    const value = (form[`map_${field}`] ?? '').trim();
    if (value === '') {
      if (required && !(field === 'date' && hasPeriod))
        problems.push({
          field: `map_${field}`,
          message:
            field === 'date'
              ? 'Choose the column with the payment date, or give the months the file covers'
              : `Choose the column with the ${label.toLowerCase()}`,
        });
      continue;
    }
    const index = Number(value);
    if (!/^\d+$/.test(value) || index >= columnCount) {
      problems.push({ field: `map_${field}`, message: `Choose one of the file’s columns for ${label.toLowerCase()}` });
      continue;
    }
    const other = used.get(index);
    if (other !== undefined) {
      problems.push({ field: `map_${field}`, message: `${label} and ${other.toLowerCase()} cannot both be the same column` });
      continue;
    }
    used.set(index, label);
    mapping[field] = index;
  }
  if (problems.length > 0) throw new InputError('Check the columns', problems);
  return mapping;
}

/** Reads "first month" and "last month" (YYYY-MM) into a period, or none when both are blank. */
export function parsePeriodForm(form: MappingForm): { from: string; to: string } | null {
  const from = (form.periodFrom ?? '').trim();
  const to = (form.periodTo ?? '').trim();
  if (from === '' && to === '') return null;
  const problems: { field: string; message: string }[] = [];
  if (!MONTH.test(from)) problems.push({ field: 'periodFrom', message: 'Enter the first month as a year and month, like 2017-01' });
  if (to !== '' && !MONTH.test(to)) problems.push({ field: 'periodTo', message: 'Enter the last month as a year and month, like 2017-03' });
  if (problems.length === 0 && to !== '' && to < from)
    problems.push({ field: 'periodTo', message: 'The last month must be the same as or after the first month' });
  if (problems.length > 0) throw new InputError('Check the months the file covers', problems);
  return { from, to: to || from };
}
