import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyFormbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type nunjucks from 'nunjucks';
import type { Logger } from '../logging.js';
import { govukFrontendDistFolder } from '../views/views.js';
import { registerErrorHandlers } from './error-handler.js';

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
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The nonce that lets this response's own scripts run under the Content-Security-Policy. */
    cspNonce: string;
  }
  interface FastifyReply {
    /** Renders a Nunjucks page inside the GOV.UK layout, with the request's navigation and nonce. */
    render(template: string, context?: Record<string, unknown>): FastifyReply;
  }
}

// Static files stay in src/ (they are not compiled), found from here whether this file runs from src/ or dist/.
const staticFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'src', 'platform', 'http', 'static');
const ONE_YEAR_SECONDS = 31_536_000;

/** Creates the Fastify server: security headers, GOV.UK assets, page rendering, OpenAPI and error pages. */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: options.logger,
    trustProxy: true,
    bodyLimit: 1_048_576,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.decorateRequest('cspNonce', '');
  app.addHook('onRequest', async (request, reply) => {
    request.cspNonce = crypto.randomBytes(16).toString('base64');
    setSecurityHeaders(reply, request.cspNonce, options.production);
  });

  app.decorateReply('render', function render(this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
    const request = this.request;
    const currentPath = request.url.split('?')[0] ?? '/';
    const html = options.views.render(template, {
      serviceName: options.serviceName,
      assetVersion: options.version,
      cspNonce: request.cspNonce,
      currentPath,
      navigation: options.navigation.map((item) => ({
        href: item.href,
        text: item.text,
        active: currentPath === item.href || currentPath.startsWith(`${item.href}/`),
      })),
      ...context,
    });
    return this.type('text/html; charset=utf-8').send(html);
  });

  await app.register(fastifyFormbody);
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

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Local Digital Commons API',
        version: options.version,
        description:
          'Open data about UK local government digital work. Every list takes `page` and `pageSize` and returns `total`; ask for CSV with `Accept: text/csv` or `format=csv`.',
        license: { name: 'MIT (software); data licences are named with each dataset', identifier: 'MIT' },
      },
      servers: [{ url: '/' }],
    },
    transform: jsonSchemaTransform,
  });

  registerErrorHandlers(app, options);
  return app;
}

function setSecurityHeaders(reply: FastifyReply, nonce: string, production: boolean): void {
  reply.header(
    'Content-Security-Policy',
    [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
  );
  reply.header('X-Content-Type-Options', 'nosniff');
  reply.header('Referrer-Policy', 'strict-origin-when-cross-origin');
  reply.header('X-Frame-Options', 'DENY');
  reply.header('Cross-Origin-Opener-Policy', 'same-origin');
  reply.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
  if (production) reply.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
}
