import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyReply {
    /** The token a form on this page must send back as `_csrf` (sets the browser's CSRF cookie if needed). */
    csrfToken(): string;
  }
}

export const CSRF_COOKIE = 'commons_csrf';
export const CSRF_FIELD = '_csrf';

/**
 * Cross-site request forgery protection for every state-changing form: a random value in an HttpOnly,
 * SameSite=Lax cookie, and in each form an HMAC of it that only this server can make. A POST whose form
 * token does not match its cookie is refused with 403. The JSON API is exempt because it accepts only
 * bearer tokens for writes, never cookies.
 */
export function registerCsrfProtection(app: FastifyInstance, options: { secret: string; secureCookies: boolean }): void {
  const sign = (value: string) => csrfTokenFor(options.secret, value);

  app.decorateReply('csrfToken', function csrfToken(this: FastifyReply): string {
    let value = readCookie(this.request, CSRF_COOKIE);
    if (!value || !/^[A-Za-z0-9_-]{43}$/.test(value)) {
      value = crypto.randomBytes(32).toString('base64url');
      this.header('Set-Cookie', serialiseCookie(CSRF_COOKIE, value, { secure: options.secureCookies }));
      // Later calls on this request must see the new value.
      this.request.headers.cookie = `${this.request.headers.cookie ? `${this.request.headers.cookie}; ` : ''}${CSRF_COOKIE}=${value}`;
    }
    return sign(value);
  });

  // Before validation, so a forged request is refused as forged whatever else is wrong with it.
  app.addHook('preValidation', async (request, reply) => {
    if (!isStateChanging(request) || request.url.startsWith('/api/')) return;
    const cookie = readCookie(request, CSRF_COOKIE);
    const body = request.body as Record<string, unknown> | undefined;
    // A multipart upload streams its body to the handler, so its form carries the token in the action's query string.
    const query = request.query as Record<string, unknown> | undefined;
    const sent =
      typeof body?.[CSRF_FIELD] === 'string'
        ? body[CSRF_FIELD]
        : request.isMultipart() && typeof query?.[CSRF_FIELD] === 'string'
          ? query[CSRF_FIELD]
          : request.headers['x-csrf-token'];
    if (!cookie || typeof sent !== 'string' || !safeEqual(sent, sign(cookie))) {
      return reply.status(403).render('error.njk', {
        title: 'Your form could not be sent',
        paragraphs: [
          'The page you sent it from had expired, or it did not come from this service. Go back, reload the page and try again.',
        ],
      });
    }
  });
}

function isStateChanging(request: FastifyRequest): boolean {
  return request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'OPTIONS';
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

/** One cookie's value from the request, or undefined. */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return decodeURIComponent(part.slice(index + 1).trim());
  }
  return undefined;
}

/** A Set-Cookie value: HttpOnly and SameSite=Lax always, Secure in production. */
export function serialiseCookie(name: string, value: string, options: { secure: boolean; maxAgeSeconds?: number }): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (options.secure) parts.push('Secure');
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  return parts.join('; ');
}

/** The form token that matches a CSRF cookie value (what `reply.csrfToken()` puts in forms). */
export function csrfTokenFor(secret: string, cookieValue: string): string {
  return crypto.createHmac('sha256', secret).update(`csrf:${cookieValue}`).digest('base64url');
}
