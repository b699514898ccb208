import { parse } from 'csv-parse/sync';
import { slugify } from '../../platform/slug.js';
import type { OrganisationKind } from './organisations.tables.js';
import type { OrganisationInsert } from './organisations.repository.js';

/** mySociety type codes of principal councils: the ones that count in sector denominators. */
const PRINCIPAL_TYPES = new Set(['CTY', 'NMD', 'MD', 'LBO', 'UA', 'CC', 'SCO', 'WPA', 'NID']);

export class RegisterFormatError extends Error {
  override name = 'RegisterFormatError';
}

const REQUIRED_COLUMNS = [
  'local-authority-code',
  'official-name',
  'nice-name',
  'gss-code',
  'start-date',
  'end-date',
  'replaced-by',
  'nation',
  'region',
  'local-authority-type',
  'local-authority-type-name',
  'county-la',
  'combined-authority',
  'alt-names',
  'former-gss-codes',
  'pop-2020',
] as const;

type RegisterRecord = Record<(typeof REQUIRED_COLUMNS)[number], string>;

/** Reads mySociety's uk_local_authorities_future.csv into organisation rows. */
export function parseCouncilRegister(csvText: string, fileName = 'uk_local_authorities_future.csv'): OrganisationInsert[] {
  const records = parse<Record<string, string>>(csvText, { columns: true, skip_empty_lines: true, bom: true });
  const first = records[0];
  if (!first) throw new RegisterFormatError(`${fileName}: the register has no rows`);
  const missing = REQUIRED_COLUMNS.filter((column) => !(column in first));
  if (missing.length > 0) throw new RegisterFormatError(`${fileName}: missing columns ${missing.join(', ')}`);

  return records.map((raw, index) => {
    const record = raw as RegisterRecord;
    const line = index + 2;
    const code = record['local-authority-code'].trim();
    if (!code) throw new RegisterFormatError(`${fileName}, row ${line}: local-authority-code is empty`);
    const type = record['local-authority-type'].trim();
    const name = record['nice-name'].trim() || record['official-name'].trim();
    const officialName = record['official-name'].trim() || name;
    const alternativeNames = uniqueNames(splitList(record['alt-names']).filter((alt) => alt !== name && alt !== officialName));
    const population = record['pop-2020'].trim() ? Math.round(Number(record['pop-2020'])) : null;
    return {
      kind: kindOfType(type),
      slug: organisationSlug(`${name}-${code}`),
      registry_code: code,
      gss_code: record['gss-code'].trim() || null,
      name,
      official_name: officialName,
      alternative_names: alternativeNames,
      council_type: type || null,
      council_type_name: record['local-authority-type-name'].trim() || null,
      nation: record.nation.trim() || null,
      region: record.region.trim() || null,
      county_code: record['county-la'].trim() || null,
      combined_authority_code: record['combined-authority'].trim() || null,
      start_date: dateOrNull(record['start-date'], fileName, line, 'start-date'),
      end_date: dateOrNull(record['end-date'], fileName, line, 'end-date'),
      successor_codes: splitList(record['replaced-by']),
      former_gss_codes: splitList(record['former-gss-codes']),
      population: Number.isFinite(population) ? population : null,
      website_url: null,
      search_names: searchNames([name, officialName, ...alternativeNames, code]),
    };
  });
}

/** The lower-cased, de-duplicated names that search matches against. */
export function searchNames(names: readonly string[]): string {
  return uniqueNames(names.map(foldForSearch)).join(' | ');
}

/** Lower case without accents, so "Ynys Mon" finds "Ynys Môn". */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim();
}

/** An organisation's slug: the platform's rule, reading "&" as "and". */
export function organisationSlug(text: string): string {
  return slugify(text, { ampersandAsAnd: true });
}

function kindOfType(type: string): OrganisationKind {
  if (PRINCIPAL_TYPES.has(type)) return 'principal';
  if (type === 'COMB') return 'combined-authority';
  if (type === 'SRA') return 'strategic-authority';
  throw new RegisterFormatError(`unknown local-authority-type ${JSON.stringify(type)}`);
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

function uniqueNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.filter((name) => {
    const key = name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function dateOrNull(text: string, fileName: string, line: number, column: string): string | null {
  const value = text.trim();
  if (!value) return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    throw new RegisterFormatError(`${fileName}, row ${line}, column ${column}: ${JSON.stringify(value)} is not a YYYY-MM-DD date`);
  }
  return value;
}
