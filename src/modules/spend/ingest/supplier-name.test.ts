import { describe, expect, it } from 'vitest';

import { isRedactedSupplier, normaliseSupplierName, splitTradingName, supplierNameSimilarity, trigrams } from './supplier-name.js';

describe('normaliseSupplierName', () => {
  it.each([
    ['Green & Tidy Landscapes Ltd', 'GREEN AND TIDY LANDSCAPES'],
    ['GREEN & TIDY LANDSCAPES LTD       ', 'GREEN AND TIDY LANDSCAPES'],
    ['Zurich Insurance Company', 'ZURICH INSURANCE'],
    ['ZURICH INSURANCE CO', 'ZURICH INSURANCE'],
    ['Acme (UK) Limited', 'ACME'],
    ['Acme UK Ltd.', 'ACME'],
    ['Acme UK', 'ACME UK'],
    ['Tesco PLC', 'TESCO'],
    ['Smith & Co', 'SMITH'],
    ['Shelter CIC', 'SHELTER'],
    ['Deloitte LLP', 'DELOITTE'],
    ["O'Brien's Cafe", 'OBRIENS CAFE'],
    ['4 Children (Trading Ltd)', '4 CHILDREN TRADING'],
    ['  The   Law   Society ', 'THE LAW SOCIETY'],
    ['Papakåta Ltd', 'PAPAKATA'],
    ['Limited', 'LIMITED'],
    ['John Smith T/A Smiths Plumbing', 'JOHN SMITH'],
  ])('%j → %j', (raw, expected) => {
    expect(normaliseSupplierName(raw)).toBe(expected);
  });
});

describe('splitTradingName', () => {
  it.each([
    ['John Smith T/A Smiths Plumbing', 'John Smith', 'Smiths Plumbing'],
    ['J SMITH t/a SMITHS PLUMBING', 'J SMITH', 'SMITHS PLUMBING'],
    ['Jane Doe trading as Doe Catering', 'Jane Doe', 'Doe Catering'],
    ['Jane Doe (T/A Doe Catering)', 'Jane Doe', 'Doe Catering'],
    ['Costa Coffee', 'Costa Coffee', null],
  ])('%j', (raw, legal, tradingAs) => {
    expect(splitTradingName(raw)).toEqual({ legal, tradingAs });
  });
});

describe('isRedactedSupplier', () => {
  it.each([
    'REDACTED',
    'Redacted - personal data',
    'Redacted, personal data',
    'REDACTED UNDER DP ACT',
    'Redacted Personal Data',
    'Personal Information',
    'personal data',
    'REDACTED COMMERCIAL CONFIDENTIALITY',
    'Withheld',
    '',
    '   ',
  ])('%j is redacted', (raw) => {
    expect(isRedactedSupplier(raw)).toBe(true);
  });

  // Real supplier names from the fixtures that only look like redactions.
  it.each([
    'Redactive Publishing Limited',
    'REDACTIVE MEDIA SALES LIMITED',
    'PEE WEES PERSONAL HOMECARE LTD',
    'Personal Care Consultants Ltd',
    "Liddy'S Personal Injury Solicitors",
  ])('%j is a real supplier', (raw) => {
    expect(isRedactedSupplier(raw)).toBe(false);
  });
});

describe('supplierNameSimilarity (pg_trgm similarity)', () => {
  it('builds trigrams as pg_trgm show_trgm does', () => {
    // SELECT show_trgm('cat') → {"  c"," ca","at ",cat}
    expect([...trigrams('Cat')].sort()).toEqual(['  c', ' ca', 'at ', 'cat']);
    // SELECT show_trgm('a-b') → {"  a","  b"," a "," b "}
    expect([...trigrams('a-b')].sort()).toEqual(['  a', '  b', ' a ', ' b ']);
  });

  it('matches pg_trgm figures', () => {
    // SELECT similarity('word', 'two words') → 0.36363637 (4 shared of 11)
    expect(supplierNameSimilarity('word', 'two words')).toBeCloseTo(4 / 11, 6);
    expect(supplierNameSimilarity('ACME', 'acme')).toBe(1);
    expect(supplierNameSimilarity('', 'acme')).toBe(0);
    expect(supplierNameSimilarity('abc', 'xyz')).toBe(0);
  });

  it('scores ledger variants of one supplier above different suppliers', () => {
    const a = normaliseSupplierName('ZURICH INSURANCE CO');
    const b = normaliseSupplierName('Zurich Insurance Company');
    const c = normaliseSupplierName('Zurich Municipal');
    expect(supplierNameSimilarity(a, b)).toBe(1);
    expect(supplierNameSimilarity(a, c)).toBeLessThan(0.5);
  });
});
