import { describe, expect, it } from 'vitest';
import { safeNextPath } from './redirects.js';

describe('safeNextPath', () => {
  it('keeps paths on this site with their query', () => {
    expect(safeNextPath('/account')).toBe('/account');
    expect(safeNextPath('/spend?council=E07000178&page=2')).toBe('/spend?council=E07000178&page=2');
    expect(safeNextPath('/a/../b')).toBe('/b');
  });

  it.each([
    '//evil.example/x',
    '/.//evil.example/x',
    '/..//evil.example/x',
    '/%2e//evil.example/x',
    '/%2E%2E//evil.example/x',
    '/./..//evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '/\tevil',
    'https://evil.example/x',
    'http:evil.example',
    'javascript:alert(1)',
    'evil.example',
    '',
  ])('sends %j home', (value) => {
    expect(safeNextPath(value)).toBe('/');
  });

  it('never answers anything a browser reads as another host', () => {
    const pieces = ['/', '.', '..', '%2e', '%2E', '\\', '%5c', 'evil.example', '?', '#', '@', ':'];
    for (const a of pieces)
      for (const b of pieces)
        for (const c of pieces) {
          const result = safeNextPath(`/${a}${b}${c}`);
          expect(new URL(result, 'https://commons.example').host, `/${a}${b}${c} -> ${result}`).toBe('commons.example');
          expect(result.startsWith('//')).toBe(false);
        }
  });
});
