import { describe, expect, it } from 'vitest';
import { slugify } from './slug.js';

/** The three rules the helper replaced, as they were, so the test shows that no stored slug changes meaning. */
const former = {
  organisation: (text: string) =>
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .trim()
      .replace(/&/g, ' and ')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, ''),
  caseStudy: (text: string) =>
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80)
      .replace(/-+$/g, '') || 'case-study',
  agreement: (text: string) =>
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'agreement',
};

const samples = [
  'Armagh City, Banbridge & Craigavon',
  'Ynys Môn',
  '  Crème brûlée — café ',
  'Straße',
  'ᴬᴮ modifier capitals, ﬁ ligature, Ⅻ and ＡＢ full width',
  '!!!',
  '',
  'İstanbul & Σίσυφος',
  `${'Long title '.repeat(7)}ending at the cut`,
  `${'x'.repeat(79)} y`,
];

describe('slugify', () => {
  it('joins ASCII letters and digits with single hyphens, dropping accents', () => {
    expect(slugify('  Ynys Môn: 2030 plan!  ')).toBe('ynys-mon-2030-plan');
    expect(slugify('Crème brûlée')).toBe('creme-brulee');
    expect(slugify('!!!')).toBe('');
  });

  it('reads "&" as "and" only when asked', () => {
    expect(slugify('Banbridge & Craigavon', { ampersandAsAnd: true })).toBe('banbridge-and-craigavon');
    expect(slugify('Banbridge & Craigavon')).toBe('banbridge-craigavon');
  });

  it('cuts to a length, removing the hyphen a cut leaves unless told to keep it, and falls back when nothing is left', () => {
    const title = `${'x'.repeat(79)} y`;
    expect(slugify(title, { maxLength: 80 })).toBe('x'.repeat(79));
    expect(slugify(title, { maxLength: 80, trimAfterCut: false })).toBe(`${'x'.repeat(79)}-`);
    expect(slugify('—', { fallback: 'untitled' })).toBe('untitled');
  });

  it('splits words at accents when asked, lower-casing before decomposition', () => {
    expect(slugify('Crème brûlée', { accents: 'split' })).toBe('cre-me-bru-le-e');
    expect(slugify('ᴬᴮ', { accents: 'split', fallback: 'none' })).toBe('none');
    expect(slugify('ᴬᴮ')).toBe('ab');
  });

  it('gives every slug the organisations, case studies and agreements were given before', () => {
    for (const sample of samples) {
      expect(slugify(sample, { ampersandAsAnd: true }), sample).toBe(former.organisation(sample));
      expect(slugify(sample, { maxLength: 80, fallback: 'case-study' }), sample).toBe(former.caseStudy(sample));
      expect(slugify(sample, { accents: 'split', maxLength: 80, trimAfterCut: false, fallback: 'agreement' }), sample).toBe(
        former.agreement(sample),
      );
    }
  });
});
