import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readCookie, serialiseCookie } from './cookies.js';
import { readLeadingMultipartField } from './multipart-field.js';

declare module 'fastify' {
  interface FastifyReply {
    /** The token a form on this page must send back as `_csrf` (sets the browser's CSRF cookie if needed). */
    csrfToken(): string;
    /** Replaces the browser's CSRF cookie with a new value (at sign-in and sign-out), so no value outlives a session change. */
    renewCsrfCookie(): void;
  }
}

export const CSRF_COOKIE = 'commons_csrf';
export const CSRF_FIELD = '_csrf';

/**
 * Cross-site request forgery protection for every state-changing form: a random value in an HttpOnly,
 * SameSite=Lax cookie, and in each form an HMAC of it and of the session cookie that only this server can make,
 * so a token is good only with the cookie and the session it was made for. A POST whose form token does not
 * match is refused with 403 (a multipart form must send `_csrf` as its first field). The cookie is renewed at sign-in and sign-out. The JSON API is exempt because it
 * accepts only bearer tokens for writes, never cookies.
 */
export function registerCsrfProtection(
  app: FastifyInstance,
  options: { secret: string; secureCookies: boolean; sessionCookie: string },
): void {
  const sign = (request: FastifyRequest, value: string) =>
    csrfTokenFor(options.secret, value, readCookie(request, options.sessionCookie) ?? '');

  const setNewCookie = (reply: FastifyReply): string => {
    const value = crypto.randomBytes(32).toString('base64url');
    reply.header('Set-Cookie', serialiseCookie(CSRF_COOKIE, value, { secure: options.secureCookies }));
    // Later calls on this request must see the new value.
    const others = (reply.request.headers.cookie ?? '')
      .split(';')
      .filter((part) => part.trim() !== '' && part.split('=')[0]?.trim() !== CSRF_COOKIE);
    reply.request.headers.cookie = [...others, ` ${CSRF_COOKIE}=${value}`].join(';').trim();
    return value;
  };

  app.decorateReply('csrfToken', function csrfToken(this: FastifyReply): string {
    let value = readCookie(this.request, CSRF_COOKIE);
    if (!value || !/^[A-Za-z0-9_-]{43}$/.test(value)) value = setNewCookie(this);
    return sign(this.request, value);
  });

  app.decorateReply('renewCsrfCookie', function renewCsrfCookie(this: FastifyReply): void {
    setNewCookie(this);
  });

  // Before validation, so a forged request is refused as forged whatever else is wrong with it.
  app.addHook('preValidation', async (request, reply) => {
    if (!isStateChanging(request) || request.url.startsWith('/api/')) return;
    const cookie = readCookie(request, CSRF_COOKIE);
    const body = request.body as Record<string, unknown> | undefined;
    const header = request.headers['x-csrf-token'];
    // A multipart upload streams its body to the handler, so its form sends the token as its first field, read here
    // (and put back) before a byte of any file is read. Tokens never go in a URL, where they would be kept and shown.
    const sent =
      typeof body?.[CSRF_FIELD] === 'string'
        ? body[CSRF_FIELD]
        : header === undefined && request.isMultipart()
          ? await readLeadingMultipartField(request.raw, request.headers['content-type'] ?? '', CSRF_FIELD)
          : header;
    if (!cookie || typeof sent !== 'string' || !safeEqual(sent, sign(request, cookie))) {
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

/**
 * The form token that matches a CSRF cookie value and the session cookie sent with it (what `reply.csrfToken()`
 * puts in forms); without a session, the empty string.
 */
export function csrfTokenFor(secret: string, cookieValue: string, sessionCookieValue = ''): string {
  return crypto.createHmac('sha256', secret).update(`csrf:${cookieValue}:${sessionCookieValue}`).digest('base64url');
}
