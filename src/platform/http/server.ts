import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type nunjucks from 'nunjucks';
import type {} from '../actor.js';
import { projectRoot } from '../code-locations.js';
import type { Logger } from '../logging.js';
import { registerCsrfProtection } from './csrf.js';
import { collapseWhitespace, govukFrontendDistFolder } from '../views/views.js';
import { registerErrorHandlers } from './error-handler.js';
import { hasFlashCookie, registerFlashMessages } from './flash.js';
import { registerResponseCache, type ResponseCacheOptions } from './response-cache.js';

export interface NavigationItem {
  href: string;
  text: string;
}

export interface ServerOptions {
  logger: Logger;
  views: nunjucks.Environment;
  production: boolean;
  serviceName: string;
  navigation: readonly NavigationItem[];
  version: string;
  /** Public GET answers shared between anonymous readers; see response-cache.ts. */
  responseCache: Omit<ResponseCacheOptions, 'now'>;
  /** Signs form tokens. */
  secret: string;
  /** The session cookie's name: form tokens are tied to it, and signed-in answers are never stored by caches. */
  sessionCookie: string;
  /** Which proxies may set the client's address with X-Forwarded-For (TRUST_PROXY); false trusts none. */
  trustProxy: boolean | number | readonly string[];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, so tests can check that each state-changing one is covered by the authorisation matrix. */
    registeredRoutes: { method: string; url: string }[];
  }
  interface FastifyReply {
    /** Renders a Nunjucks page inside the GOV.UK layout, with the request's navigation. */
    render(template: string, context?: Record<string, unknown>): FastifyReply;
  }
}

// Static files stay in src/ (they are not compiled), whichever way the code runs.
const staticFolder = path.join(projectRoot, 'src', 'platform', 'http', 'static');
const ONE_YEAR_SECONDS = 31_536_000;

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

/**
 * Zod checks requests and shapes responses. Named as the server is made rather than set afterwards, so Fastify never
 * loads its default compilers (Ajv and fast-json-stringify): about 0.1 s of the main thread's start-up. Fastify types
 * the factories for Ajv's options; Zod's compilers read the same route definitions.
 */
const ZOD_COMPILERS = {
  buildValidator: () => validatorCompiler,
  buildSerializer: () => serializerCompiler,
} as unknown as CompilersFactory;

/**
 * The HTTP server, which answers HEAD as GET without its body: Node leaves out the body of any response to a HEAD
 * request, whatever the handler writes, so every GET route answers HEAD with the same status and headers. Fastify
 * would otherwise add a HEAD route beside each of the 176 GET routes: two fifths of the router that start-up builds.
 * (`inject`, which bypasses the server, knows no HEAD routes.)
 */
export function headAsGetServer(handler: http.RequestListener): http.Server {
  return http.createServer((request, response) => {
    if (request.method === 'HEAD') request.method = 'GET';
    handler(request, response);
  });
}

/** Creates the Fastify server: security headers, GOV.UK assets, page rendering, OpenAPI and error pages. */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: options.logger,
    trustProxy: toFastifyTrustProxy(options.trustProxy),
    bodyLimit: 1_048_576,
    schemaController: { compilersFactory: ZOD_COMPILERS },
    serverFactory: headAsGetServer,
    exposeHeadRoutes: false,
  });

  app.decorate('registeredRoutes', []);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) app.registeredRoutes.push({ method, url: route.url });
  });

  // The identity module fills this in for each request.
  app.decorateRequest('actor', null);
  const securityHeaders = buildSecurityHeaders(options.production);
  app.addHook('onRequest', async (_request, reply) => {
    reply.headers(securityHeaders);
  });
  // A page for a signed-in person (a draft, their account, a form with their token) is never kept by a browser or proxy cache.
  app.addHook('onSend', async (request, reply) => {
    if (request.actor && !reply.hasHeader('cache-control')) reply.header('Cache-Control', 'no-store');
  });
  registerNulRefusal(app);
  const flashMessages = registerFlashMessages(app, { secret: options.secret, secureCookies: options.production });

  registerPageRendering(app, options, flashMessages);

  await app.register(fastifyFormbody);
  // File uploads stream to the handler (request.file()); nothing is buffered whole in memory.
  await app.register(fastifyMultipart, { limits: { fileSize: 2 * 1024 ** 3, files: 20, fields: 50 } });
  await registerStaticFiles(app);

  await registerOpenApi(app, options.version);

  registerCsrfProtection(app, { secret: options.secret, secureCookies: options.production, sessionCookie: options.sessionCookie });
  // A page showing someone's success message is theirs alone, so the shared cache never answers or keeps it.
  registerResponseCache(app, {
    ...options.responseCache,
    isPersonal: (request) => hasFlashCookie(request) || options.responseCache.isPersonal(request),
  });
  registerErrorHandlers(app, options);
  return app;
}

/** `reply.render`: a Nunjucks page inside the GOV.UK layout, with the request's navigation and flash message. */
function registerPageRendering(
  app: FastifyInstance,
  options: ServerOptions,
  flashMessages: ReturnType<typeof registerFlashMessages>,
): void {
  app.decorateReply('render', function render(this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
    const request = this.request;
    const currentPath = request.url.split('?')[0] ?? '/';
    const actor = request.actor;
    // A signed-in person's own organisation is one click away, whatever page they are on.
    const organisationItem =
      actor?.organisationCode && actor.organisationName
        ? [{ href: `/organisations/${encodeURIComponent(actor.organisationCode)}`, text: actor.organisationName }]
        : [];
    const navigation = [
      ...options.navigation,
      ...organisationItem,
      actor ? { href: '/account', text: 'Your account' } : { href: '/sign-in', text: 'Sign in' },
    ];
    const flash = flashMessages.take(request, this);
    if (flash) this.header('Cache-Control', 'no-store');
    const html = options.views.render(template, {
      serviceName: options.serviceName,
      assetVersion: options.version,
      currentPath,
      currentActor: actor,
      // A function, so the CSRF cookie is set only on pages that have a form.
      csrfToken: () => this.csrfToken(),
      flash,
      navigation: navigation.map((item) => ({
        href: item.href,
        text: item.text,
        active: currentPath === item.href || currentPath.startsWith(`${item.href}/`),
      })),
      ...context,
    });
    return this.type('text/html; charset=utf-8').send(collapseWhitespace(html));
  });
}

/** The GOV.UK Frontend assets under /assets/ and the platform's own files under /static/, cached for a year. */
async function registerStaticFiles(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, {
    // Fonts and images live in govuk/assets, the compiled CSS and JS one level up; both appear under /assets.
    root: [path.join(govukFrontendDistFolder, 'govuk', 'assets'), path.join(govukFrontendDistFolder, 'govuk')],
    prefix: '/assets/',
    allowedPath: (pathName) => /^\/((images|fonts)\/[\w.-]+|manifest\.json|govuk-frontend\.min\.(css|js))$/.test(pathName),
    maxAge: ONE_YEAR_SECONDS * 1000,
    immutable: true,
    index: false,
  });
  await app.register(fastifyStatic, {
    root: staticFolder,
    prefix: '/static/',
    decorateReply: false,
    // Pages link these with ?v=<version>, so a new release is a new URL and the old copy can be cached for a year.
    maxAge: ONE_YEAR_SECONDS * 1000,
    immutable: true,
    index: false,
  });
}

/** The OpenAPI document of every API route, with the bearer token they accept. */
async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Local Digital Commons API',
        version: version,
        description:
          'Open data about UK local government digital work. Every list takes `page` and `pageSize` and returns `total`; ask for CSV with `Accept: text/csv` or `format=csv`.',
        license: { name: 'MIT (software); data licences are named with each dataset', identifier: 'MIT' },
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          [BEARER_SCHEME]: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API token made on your account page (`ldc_…`). Reads are open to all; writes need the write scope.',
          },
        },
      },
    },
    transform: (input) => declareBearerToken(input.route.method, jsonSchemaTransform(input)),
  });
}

const BEARER_SCHEME = 'bearerAuth';

/**
 * Every API route accepts a bearer token: writes require one, reads take one optionally (an empty
 * requirement first, as OpenAPI spells "or anonymous").
 */
function declareBearerToken<T extends { schema: unknown; url: string }>(method: string | string[], transformed: T): T {
  if (!transformed.url.startsWith('/api/v1/') || transformed.url === '/api/v1/openapi.json') return transformed;
  const schema = (transformed.schema ?? {}) as Record<string, unknown>;
  const isRead = ([] as string[]).concat(method).every((one) => one === 'GET' || one === 'HEAD');
  return { ...transformed, schema: { ...schema, security: isRead ? [{}, { [BEARER_SCHEME]: [] }] : [{ [BEARER_SCHEME]: [] }] } };
}

function toFastifyTrustProxy(trust: ServerOptions['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return typeof trust === 'boolean' ? trust : [...trust];
}

/**
 * A NUL character is never meaningful in a query, a form or a path, and PostgreSQL cannot store it in text, so any
 * request carrying one is refused as a bad request before it reaches a route (rather than failing in the database).
 */
function registerNulRefusal(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    if (hasNul(request.query) || hasNul(request.params) || hasNul(request.body)) {
      done(Object.assign(new Error('The request contains a NUL character (%00), which no field accepts'), { statusCode: 400 }));
      return;
    }
    done();
  });
}

function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 20 || value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return false;
  for (const [key, item] of Object.entries(value)) if (key.includes('\u0000') || hasNul(item, depth + 1)) return true;
  return false;
}

/**
 * Headers every response carries. Scripts run only from this site's own files, plus the one inline line the
 * GOV.UK template needs (allowed by its hash, so pages need no per-response nonce and can be cached whole).
 */
function buildSecurityHeaders(production: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Security-Policy': [
      "default-src 'self'",
      `script-src 'self' '${govukTemplateScriptHash()}'`,
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  };
  if (production) headers['Strict-Transport-Security'] = 'max-age=31536000; includeSubDomains';
  return headers;
}

/** The CSP hash of the inline script in govuk-frontend's page template, read from the installed version. */
export function govukTemplateScriptHash(): string {
  const template = fs.readFileSync(path.join(govukFrontendDistFolder, 'govuk', 'template.njk'), 'utf8');
  const script = /<script[^>]*>([^<]+)<\/script>/.exec(template)?.[1];
  if (!script) throw new Error('govuk-frontend template.njk has no inline script: the Content-Security-Policy needs updating');
  return `sha256-${crypto.createHash('sha256').update(script).digest('base64')}`;
}
