import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Public, anonymous answers of this GET route may be served from the response cache. */
    publicCache?: boolean;
  }
}

interface CachedResponse {
  storedAt: number;
  statusCode: number;
  contentType: string;
  extraHeaders: Record<string, string>;
  /** Encoded once, so a hit writes bytes without encoding the text again. */
  body: Buffer;
}

export interface ResponseCacheOptions {
  /** How long an entry is served: the most a write made elsewhere (another node, a CLI import) can take to show. */
  ttlMs: number;
  maxEntries: number;
  /** True for requests that must never share a cached answer (for example, a signed-in person's). */
  isPersonal: (request: FastifyRequest) => boolean;
  now?: () => number;
}

const KEPT_HEADERS = ['content-disposition'];

/**
 * A small in-process cache of public GET answers. Rendering a GOV.UK page with its macros costs milliseconds;
 * the register and other public data change rarely, so anonymous readers share the answer. Any successful write
 * through this node clears the cache at once; writes elsewhere show within the TTL.
 */
export function registerResponseCache(app: FastifyInstance, options: ResponseCacheOptions): { clear: () => void } {
  const entries = new Map<string, CachedResponse>();
  const now = options.now ?? Date.now;
  const keyOf = (request: FastifyRequest) => `${request.url}\u0000${request.headers.accept ?? ''}`;
  const applies = (request: FastifyRequest) =>
    request.method === 'GET' && request.routeOptions.config.publicCache === true && !options.isPersonal(request);

  // On request, before parsing and validation: a cached answer was stored only after its URL passed them.
  app.addHook('onRequest', async (request, reply) => {
    if (!applies(request)) return;
    const cached = entries.get(keyOf(request));
    if (!cached) return;
    if (now() - cached.storedAt > options.ttlMs) {
      entries.delete(keyOf(request));
      return;
    }
    reply.header('X-Cache', 'hit');
    for (const [name, value] of Object.entries(cached.extraHeaders)) reply.header(name, value);
    return reply.status(cached.statusCode).type(cached.contentType).send(cached.body);
  });

  app.addHook('onSend', async (request, reply: FastifyReply, payload) => {
    if (!applies(request) || reply.statusCode !== 200 || typeof payload !== 'string' || reply.getHeader('X-Cache') === 'hit')
      return payload;
    if (entries.size >= options.maxEntries) {
      const oldest = entries.keys().next().value;
      if (oldest !== undefined) entries.delete(oldest);
    }
    const extraHeaders: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = reply.getHeader(name);
      if (typeof value === 'string') extraHeaders[name] = value;
    }
    entries.set(keyOf(request), {
      storedAt: now(),
      statusCode: reply.statusCode,
      contentType: String(reply.getHeader('content-type') ?? 'text/html; charset=utf-8'),
      extraHeaders,
      body: Buffer.from(payload),
    });
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD' && reply.statusCode < 400) entries.clear();
  });

  return { clear: () => entries.clear() };
}
