import { describe, expect, it } from 'vitest';
import { attachmentDisposition } from './content-disposition.js';

/** What Node's HTTP layer checks before sending a header value (it throws ERR_INVALID_CHAR otherwise). */
const VALID_HEADER_VALUE = /^[\t\u0020-\u007e\u0080-\u00ff]*$/;

describe('attachmentDisposition', () => {
  it('keeps plain names as they are, in both forms', () => {
    expect(attachmentDisposition('spend.csv')).toBe(`attachment; filename="spend.csv"; filename*=UTF-8''spend.csv`);
  });

  it('makes any Unicode name a valid header with the exact name in filename*', () => {
    for (const name of ['Straße.csv', 'ſpend.csv', 'ﬁles.csv', 'KELVIN\u212a.csv', '中文 😀.yml', 'İstanbul.csv']) {
      const value = attachmentDisposition(name);
      expect(value).toMatch(VALID_HEADER_VALUE);
      const encoded = /filename\*=UTF-8''(.*)$/.exec(value)?.[1] ?? '';
      expect(decodeURIComponent(encoded)).toBe(name.normalize('NFC'));
    }
  });

  it('keeps quotes, separators, controls and header syntax out of both forms', () => {
    const value = attachmentDisposition('a"b\\c/d;e\r\nSet-Cookie: x=1%.csv');
    expect(value).toMatch(VALID_HEADER_VALUE);
    expect(value).not.toMatch(/[\r\n]/);
    const fallback = /filename="([^"]*)"/.exec(value)?.[1];
    expect(fallback).toBe('a_b_c_d_eSet-Cookie: x=1_.csv');
    expect(attachmentDisposition('')).toContain('filename="download"');
    expect(attachmentDisposition('..')).toContain('filename="download"');
  });
});
