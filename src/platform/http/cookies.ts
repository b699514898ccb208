import type { FastifyRequest } from 'fastify';

/**
 * One cookie's value from the request, or undefined. A cookie this server cannot read (bad percent-encoding,
 * as `name=%`) is ignored as if absent, so a broken cookie never stops a person reaching any page.
 */
export function readCookie(request: Pick<FastifyRequest, 'headers'>, name: string): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index <= 0 || part.slice(0, index).trim() !== name) continue;
    const value = decodeCookieValue(part.slice(index + 1).trim());
    if (value !== undefined) return value;
  }
  return undefined;
}

function decodeCookieValue(raw: string): string | undefined {
  const unquoted = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
  try {
    return decodeURIComponent(unquoted);
  } catch {
    return undefined;
  }
}

/** A Set-Cookie value: HttpOnly and SameSite=Lax always, Secure in production. */
export function serialiseCookie(name: string, value: string, options: { secure: boolean; maxAgeSeconds?: number }): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (options.secure) parts.push('Secure');
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  return parts.join('; ');
}
