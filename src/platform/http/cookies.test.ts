import { describe, expect, it } from 'vitest';
import { readCookie, serialiseCookie } from './cookies.js';

const request = (cookie: string | undefined) => ({ headers: { cookie } });

describe('readCookie', () => {
  it('reads a named cookie among others and decodes it', () => {
    expect(readCookie(request('a=1; commons_session=abc%20d; b=2'), 'commons_session')).toBe('abc d');
    expect(readCookie(request('a=1'), 'commons_session')).toBeUndefined();
    expect(readCookie(request(undefined), 'commons_session')).toBeUndefined();
  });

  it('ignores a value it cannot decode instead of throwing', () => {
    expect(readCookie(request('commons_session=%'), 'commons_session')).toBeUndefined();
    expect(readCookie(request('commons_session=%E0%A4%A'), 'commons_session')).toBeUndefined();
    expect(readCookie(request('commons_session=%; commons_session=good'), 'commons_session')).toBe('good');
  });

  it('ignores parts with no name and reads quoted values', () => {
    expect(readCookie(request('=x; ;commons_csrf="v"'), 'commons_csrf')).toBe('v');
  });
});

describe('serialiseCookie', () => {
  it('is HttpOnly and SameSite=Lax, Secure only when asked', () => {
    expect(serialiseCookie('n', 'a b', { secure: false })).toBe('n=a%20b; Path=/; HttpOnly; SameSite=Lax');
    expect(serialiseCookie('n', '', { secure: true, maxAgeSeconds: 0 })).toBe('n=; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=0');
  });
});
