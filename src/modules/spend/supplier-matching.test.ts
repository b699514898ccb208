import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { classifySupplierPair, cleanCompanyNumber, cleanVatNumber, supplierMatchKey } from './supplier-matching.js';

const VARIANTS = fileURLToPath(new URL('../../../test/fixtures/spend/supplier-variants.csv', import.meta.url));

/** Precision and recall of automatic merges on the labelled pairs (see SOURCES.md beside the CSV). */
export function measureAutomaticMerges(): {
  pairs: number;
  same: number;
  merged: number;
  correct: number;
  precision: number;
  recall: number;
} {
  const rows = parse<{
    name_a: string;
    name_b: string;
    same_supplier: string;
  }>(fs.readFileSync(VARIANTS), { columns: true, bom: true });
  let same = 0;
  let merged = 0;
  let correct = 0;
  for (const row of rows) {
    const isSame = row.same_supplier === 'yes';
    const verdict = classifySupplierPair(row.name_a, row.name_b);
    const isMerged = verdict === 'same' || verdict === 'merge';
    if (isSame) same++;
    if (isMerged) merged++;
    if (isSame && isMerged) correct++;
  }
  return {
    pairs: rows.length,
    same,
    merged,
    correct,
    precision: merged === 0 ? 1 : correct / merged,
    recall: same === 0 ? 1 : correct / same,
  };
}

describe('supplier matching', () => {
  it('merges automatically only when it is nearly always right, on real name variants from the fixtures', () => {
    const result = measureAutomaticMerges();
    console.info(
      `automatic merges on ${result.pairs} labelled pairs: precision ${result.precision.toFixed(3)} (${result.correct}/${result.merged}), recall ${result.recall.toFixed(3)} (${result.correct}/${result.same})`,
    );
    expect(result.pairs).toBe(195);
    // A wrong merge moves one company's spend onto another, so precision is held high and recall is what it costs.
    expect(result.precision).toBeGreaterThanOrEqual(0.95);
    expect(result.recall).toBeGreaterThanOrEqual(0.2);
  });

  it('builds a match key that ignores spacing, plurals, THE, AND and truncated legal forms', () => {
    expect(supplierMatchKey('CARE TECH COMMUNITY SERVICES')).toBe(supplierMatchKey('CARETECH COMMUNITY SERVICE'));
    expect(supplierMatchKey('SOUTHERN ELECTRIC CONTRACTING LT')).toBe(supplierMatchKey('SOUTHERN ELECTRIC CONTRACTING'));
    expect(supplierMatchKey('WHITE HOUSE THE')).toBe(supplierMatchKey('WHITE HOUSE'));
    expect(supplierMatchKey('DCI ELECTRICAL INSTALLATIONS')).not.toBe(supplierMatchKey('DCM ELECTRICAL INSTALLATIONS'));
  });

  it('classifies pairs as merged, for review or separate', () => {
    expect(classifySupplierPair('Acme Ltd', 'ACME LIMITED')).toBe('same');
    expect(classifySupplierPair('Jj Food Service Limited', 'Jj Food Services Ltd')).toBe('merge');
    expect(classifySupplierPair('Dci (Electrical Installations) Ltd', 'DCM Electrical Installations Ltd')).toBe('review');
    expect(classifySupplierPair('Acme Ltd', 'Zenith Plc')).toBe('separate');
  });

  it('keeps only well-formed company and VAT numbers', () => {
    expect(cleanCompanyNumber('1234567')).toBe('01234567');
    expect(cleanCompanyNumber('sc123456')).toBe('SC123456');
    expect(cleanCompanyNumber('N/A')).toBeNull();
    expect(cleanCompanyNumber('0')).toBeNull();
    expect(cleanVatNumber('GB 123 4567 89')).toBe('123456789');
    expect(cleanVatNumber('12345')).toBeNull();
  });
});
