import type { CanonicalField } from './spend-types.js';

/**
 * Header names councils use for each canonical field, most specific first: when
 * two columns match one field, the one matching the earlier synonym wins (so
 * Leeds' "Detailed expenditure type" beats its broader "Expenditure category").
 *
 * Written for this project, informed by the headers in the real files in
 * test/fixtures/spend and the ODI Leeds / Open Innovations spend header maps
 * (calderdale and northtyneside index.json), which are not used at run time.
 * Names are compared after `normaliseHeader`, so "Body_Name", "Body name" and
 * "BodyName" are one synonym.
 */
export const HEADER_SYNONYMS: Readonly<Record<CanonicalField, readonly string[]>> = {
  organisation: [
    'body',
    'organisation uri',
    'organisation code',
    'body code',
    'organisation',
    'organisation id',
    'local authority code',
    'la code',
    'gss code',
    'ons code',
  ],
  organisationName: [
    'body name',
    'name of body',
    'organisation name',
    'organisation label',
    'body label',
    'council',
    'local authority',
    'authority',
    'council name',
    'name of organisation',
  ],
  date: [
    'payment date',
    'paid date',
    'date paid',
    'date of payment',
    'transaction date',
    'date',
    'posting date',
    'invoice payment date',
    'cheque date',
    'date of transaction',
    'effective date',
    'invoice date',
  ],
  transactionReference: [
    'transaction number',
    'transaction no',
    'trans no',
    'transaction id',
    'transaction reference',
    'transaction ref',
    'payment reference',
    'payment number',
    'payment id',
    'document number',
    'doc no',
    'reference',
    'ref',
    'invoice number',
    'invoice no',
    'invoice ref',
  ],
  supplierName: [
    'supplier name',
    'supplier',
    'supplier beneficiary name',
    'beneficiary name',
    'benificiary name',
    'approved supplier beneficiary name',
    'beneficiary',
    'payee name',
    'payee',
    'vendor name',
    'vendor',
    'creditor name',
    'creditor',
    'merchant name',
    'merchant',
    'recipient',
    'recipient name',
    'supplier details',
  ],
  supplierId: [
    'supplier id',
    'supplier number',
    'supplier no',
    'supplier code',
    'supplier ref',
    'supplier reference',
    'vendor id',
    'vendor number',
    'vendor code',
    'creditor id',
    'creditor number',
    'creditor code',
    'payee id',
    'beneficiary id',
  ],
  companyNumber: [
    'company number',
    'companies house number',
    'company registration number',
    'company reg no',
    'company reg number',
    'registered company number',
    'supplier company number',
    'supplier company registration number',
    'company no',
    'crn',
  ],
  vatNumber: [
    'vat registration number',
    'vat reg no',
    'vat reg number',
    'vat number',
    'vat no',
    'supplier vat number',
    'supplier vat registration number',
    'vat registration no',
  ],
  supplierPostcode: [
    'supplier postcode',
    'supplier post code',
    'payee postcode',
    'vendor postcode',
    'creditor postcode',
    'supplier postal code',
  ],
  amount: [
    'amount',
    'net amount',
    'netamount',
    'net amount £',
    'amount £',
    'amount gbp',
    'amount excluding vat',
    'amount excl vat',
    'amount ex vat',
    'net value',
    'value',
    'value £',
    'transaction amount',
    'payment amount',
    'total amount',
    'gross amount',
    'expenditure',
    'amount paid',
    'sum',
  ],
  irrecoverableVat: [
    'irrecoverable vat',
    'irrecoverable vat amount',
    'irrecoverable vat £',
    'non recoverable vat',
    'vat irrecoverable',
    'unrecoverable vat',
    'vat unrecoverable',
    'non-recoverable vat amount',
  ],
  service: [
    'expense area',
    'service label',
    'service',
    'service area',
    'service category label',
    'organisational unit',
    'department',
    'directorate',
    'service division label',
    'cost centre description',
    'cost centre name',
    'cost centre',
    'division',
    'portfolio',
    'team',
    'business unit',
  ],
  expenseType: [
    'expense type',
    'detailed expenditure type',
    'expenditure type',
    'expense description',
    'expenditure category',
    'expense category',
    'account description',
    'subjective description',
    'subjective',
    'cost type',
  ],
  expenseCode: [
    'expense code',
    'expenditure code',
    'detailed expenditure code',
    'account code',
    'subjective code',
    'ledger code',
    'nominal code',
    'gl code',
  ],
  procurementCategory: [
    'proclass description',
    'procurement category',
    'procurement classification',
    'proclass',
    'proc class',
    'procurement category description',
    'category',
  ],
  capitalRevenue: [
    'capital or revenue',
    'capitalorrevenue',
    'capital revenue',
    'revenue capital',
    'revenue or capital',
    'cap rev',
    'capital revenue indicator',
  ],
  purpose: [
    'purpose',
    'purpose of expenditure',
    'purpose of spend',
    'extended description',
    'description',
    'narrative',
    'transaction description',
    'details',
    'item description',
    'line description',
    'summary of purpose',
  ],
  period: ['period', 'accounting period', 'financial period', 'posting period', 'period name', 'year month', 'yyyymm'],
  financialYear: ['financial year', 'fin year', 'fiscal year', 'financial year ending', 'financial year end', 'fy', 'financial yr'],
  cardTransaction: ['card transaction', 'purchase card', 'procurement card', 'p card', 'pcard', 'card payment', 'gpc'],
};

/** Normalises a header for synonym lookup: lower case, "&" as "and", only letters, digits and "£" kept, one space between words. */
export function normaliseHeader(header: string): string {
  return header
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/([a-z])([0-9])/g, '$1 $2')
    .replace(/[^a-z0-9£]+/g, ' ')
    .trim()
    .replace(/\s+/g, ' ');
}

/** Same as normaliseHeader with all spaces removed, so "DatePaid" meets "Date paid". */
export function compactHeader(header: string): string {
  return normaliseHeader(header).replace(/ /g, '');
}

interface SynonymEntry {
  field: CanonicalField;
  rank: number;
}

const LOOKUP: ReadonlyMap<string, SynonymEntry> = (() => {
  const lookup = new Map<string, SynonymEntry>();
  for (const [field, synonyms] of Object.entries(HEADER_SYNONYMS) as [CanonicalField, readonly string[]][]) {
    synonyms.forEach((synonym, rank) => {
      const key = compactHeader(synonym);
      if (!lookup.has(key)) lookup.set(key, { field, rank });
    });
  }
  return lookup;
})();

/** The canonical field a header names and how specific that synonym is (lower is better), or null. */
export function lookupHeader(header: string): SynonymEntry | null {
  // Finance systems mark the text of a code with "(T)": "Cost Centre(T)" is the cost centre's name, and the text of
  // an identifier is what it identifies ("Supplier ID(T)" holds the supplier's name).
  const text = TEXT_MARK.exec(header);
  if (text) {
    const entry = lookupCompact(compactHeader(header.slice(0, text.index)));
    if (!entry) return null;
    // Half a rank ahead of its code's column, which the same words name.
    const named = TEXT_OF[entry.field];
    return { field: named ?? entry.field, rank: entry.rank - 0.5 };
  }
  return lookupCompact(compactHeader(header));
}

const TEXT_MARK = /\s*\(T\)\s*$/i;

/** The field that holds the text of an identifier field's code. */
const TEXT_OF: Partial<Record<CanonicalField, CanonicalField>> = {
  supplierId: 'supplierName',
  expenseCode: 'expenseType',
  organisation: 'organisationName',
};

function lookupCompact(key: string): SynonymEntry | null {
  if (key === '') return null;
  const exact = LOOKUP.get(key);
  if (exact) return exact;
  // "Amount (£)", "Net Amount (GBP)", "Supplier Name:" … drop a currency/colon tail and retry.
  const stripped = key.replace(/(£|gbp|inc vat|incvat|exvat|excvat)+$/, '');
  if (stripped !== key && stripped !== '') return LOOKUP.get(stripped) ?? null;
  return null;
}
