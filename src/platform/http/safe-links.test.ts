import { describe, expect, it } from 'vitest';
import { safeExternalUrl } from './safe-links.js';

describe('safeExternalUrl', () => {
  it('keeps absolute http and https addresses', () => {
    expect(safeExternalUrl('https://example.org/tenders/1?x=1')).toBe('https://example.org/tenders/1?x=1');
    expect(safeExternalUrl('  http://example.org ')).toBe('http://example.org/');
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'java\tscript:alert(1)',
    '\u0001javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'ftp://example.org/x',
    '//example.org/x',
    '/relative/path',
    'example.org',
    'http://',
    'https://exa mple.org',
    '',
  ])('refuses %j', (value) => {
    expect(safeExternalUrl(value)).toBeNull();
  });

  it('refuses values that are not text', () => {
    expect(safeExternalUrl(undefined)).toBeNull();
    expect(safeExternalUrl({ href: 'https://example.org' })).toBeNull();
  });
});
