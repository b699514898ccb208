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
 * The query parameters a route reads: the keys of its querystring schema (a zod object), none when it has no
 * schema, or null (keep them all) when the schema is of another shape and its keys cannot be known.
 */
function usedParameters(request: FastifyRequest): ReadonlySet<string> | null {
  const schema = request.routeOptions.schema?.querystring as { shape?: unknown } | undefined;
  if (schema === undefined) return new Set();
  return schema.shape !== null && typeof schema.shape === 'object' ? new Set(Object.keys(schema.shape)) : null;
}

/**
 * The URL an answer is cached under: the path and only the parameters the page reads, sorted. Parameters a page
 * ignores would otherwise make every request a miss (a cheap way to make the server render heavy pages again and
 * again); the page's answer cannot depend on them, so requests that differ only in them share it.
 */
export function cacheKeyUrl(
  request: Pick<FastifyRequest, 'url'> & { routeOptions: Pick<FastifyRequest['routeOptions'], 'schema'> },
): string {
  const at = request.url.indexOf('?');
  if (at === -1) return request.url;
  const used = usedParameters(request as FastifyRequest);
  if (used === null) return request.url;
  const kept = [...new URLSearchParams(request.url.slice(at + 1))].filter(([name]) => used.has(name));
  // By name only: a stable sort keeps the order of a repeated parameter's values, which a page may use.
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const pathname = request.url.slice(0, at);
  return kept.length === 0 ? pathname : `${pathname}?${new URLSearchParams(kept).toString()}`;
}

/**
 * A small in-process cache of public GET answers. Rendering a GOV.UK page with its macros costs milliseconds;
 * the register and other public data change rarely, so anonymous readers share the answer. Any successful write
 * through this node clears the cache at once; writes elsewhere show within the TTL.
 */
export function registerResponseCache(app: FastifyInstance, options: ResponseCacheOptions): { clear: () => void } {
  const entries = new Map<string, CachedResponse>();
  const now = options.now ?? Date.now;
  const keyOf = (request: FastifyRequest) => `${cacheKeyUrl(request)}\u0000${request.headers.accept ?? ''}`;
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
