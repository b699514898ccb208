import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readCookie, serialiseCookie } from './cookies.js';

/** What a success banner says after a change: what happened, and what the person can do next. */
export interface FlashMessage {
  /** What changed, in a sentence ("Your adoption of Foo is recorded"). */
  heading: string;
  /** More about it, optional. */
  text?: string | undefined;
  /** What to do next, optional: a link on this site. */
  next?: { href: string; text: string } | undefined;
}

declare module 'fastify' {
  interface FastifyReply {
    /** Keeps a success message for the next page this browser is shown (after a redirect), in a signed cookie. */
    flash(message: FlashMessage): FastifyReply;
  }
}

export const FLASH_COOKIE = 'commons_flash';
/** Long enough to follow a redirect, short enough that a message never turns up on some later visit. */
const FLASH_SECONDS = 300;
const MAX_LENGTH = 1000;

/**
 * Success messages that outlive a redirect (POST, then 303 to the page the person lands on). The message is kept in
 * a short-lived cookie signed with the server's secret, so only this server can write one, and the first page
 * rendered afterwards shows it in a GOV.UK notification banner and clears it. No query-string flag is needed.
 * Returns `take`, which the page renderer calls: a redirect or a download leaves the message for the next page.
 */
export function registerFlashMessages(
  app: FastifyInstance,
  options: { secret: string; secureCookies: boolean },
): { take: (request: FastifyRequest, reply: FastifyReply) => FlashMessage | null } {
  const sign = (payload: string) => crypto.createHmac('sha256', options.secret).update(`flash:${payload}`).digest('base64url');
  app.decorateReply('flash', function flash(this: FastifyReply, message: FlashMessage): FastifyReply {
    const safe: FlashMessage = {
      heading: message.heading.slice(0, MAX_LENGTH),
      ...(message.text ? { text: message.text.slice(0, MAX_LENGTH) } : {}),
      ...(message.next && message.next.href.startsWith('/') && !message.next.href.startsWith('//') ? { next: message.next } : {}),
    };
    const payload = Buffer.from(JSON.stringify(safe)).toString('base64url');
    return this.header('Set-Cookie', serialiseCookie(FLASH_COOKIE, `${payload}.${sign(payload)}`, cookieOptions(options, FLASH_SECONDS)));
  });
  const read = (request: FastifyRequest): FlashMessage | null => {
    const value = readCookie(request, FLASH_COOKIE);
    if (!value) return null;
    const [payload, signature] = value.split('.');
    if (!payload || !signature || !safeEqual(signature, sign(payload))) return null;
    try {
      const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as FlashMessage;
      return typeof parsed.heading === 'string' ? parsed : null;
    } catch {
      return null;
    }
  };
  return {
    take(request, reply) {
      if (!hasFlashCookie(request)) return null;
      // A message set by this very response (a page rendered straight after a change) is left for the next page.
      const setting = [reply.getHeader('set-cookie') ?? []].flat().some((cookie) => String(cookie).startsWith(`${FLASH_COOKIE}=`));
      if (setting) return null;
      reply.header('Set-Cookie', serialiseCookie(FLASH_COOKIE, '', cookieOptions(options, 0)));
      return read(request);
    },
  };
}

/** Whether the request carries a waiting message (such a page is personal: never shared by the response cache). */
export function hasFlashCookie(request: Pick<FastifyRequest, 'headers'>): boolean {
  return (request.headers.cookie ?? '').includes(`${FLASH_COOKIE}=`);
}

function cookieOptions(options: { secureCookies: boolean }, maxAgeSeconds: number) {
  return { secure: options.secureCookies, maxAgeSeconds };
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}
