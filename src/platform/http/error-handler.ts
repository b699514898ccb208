import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import {
  ConflictError,
  DomainError,
  InputError,
  NotAllowedError,
  NotFoundError,
  RateLimitedError,
  SignInRequiredError,
  UnavailableError,
} from '../errors.js';
import { safeNextPath } from './redirects.js';

interface Problem {
  status: number;
  title: string;
  detail: string;
  problems?: readonly { field: string; message: string }[];
}

/** True when the caller wants machine-readable answers (the API, or an explicit JSON Accept header). */
export function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || request.url.startsWith('/healthz');
}

/** Maps every error to one answer: a JSON problem document for the API, a GOV.UK error page for people. */
export function registerErrorHandlers(app: FastifyInstance, options: { production: boolean }): void {
  app.setNotFoundHandler((request, reply) => {
    sendProblem(request, reply, {
      status: 404,
      title: 'Page not found',
      detail: 'If you typed the web address, check it is correct. If you pasted the web address, check you copied the entire address.',
    });
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    // A person who must sign in is sent to the sign-in page and brought back afterwards.
    if (error instanceof SignInRequiredError && !wantsJson(request)) {
      const next = request.method === 'GET' ? request.url : (request.headers.referer ?? '/');
      return reply.redirect(`/sign-in?next=${encodeURIComponent(safeNextPath(next))}`, 303);
    }
    const problem = toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ err: { message: error.message, name: error.name } }, 'request refused');
    if (problem.status >= 500 && !options.production) problem.detail = `${problem.detail} (${error.message})`;
    sendProblem(request, reply, problem);
  });
}

function toProblem(error: FastifyError): Problem {
  // A path whose parameters no record can have (an id of "1e3", or past 2^31) names a page that does not exist.
  if (hasZodFastifySchemaValidationErrors(error) && error.validationContext === 'params')
    return {
      status: 404,
      title: 'Not found',
      detail: 'There is nothing at this address. If you typed the web address, check the number or name in it is correct.',
    };
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation as readonly { instancePath: string; message?: string }[];
    const problems = issues.map((issue) => ({
      field: `${error.validationContext ?? 'request'}${issue.instancePath.replace(/\//g, '.')}`,
      message: issue.message ?? 'is not valid',
    }));
    return { status: 400, title: 'Bad request', detail: problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems };
  }
  if (error instanceof DomainError) {
    if (error instanceof NotFoundError) return { status: 404, title: 'Not found', detail: error.message };
    if (error instanceof ConflictError) return { status: 409, title: 'Conflict', detail: error.message };
    if (error instanceof NotAllowedError) return { status: 403, title: 'Not allowed', detail: error.message };
    if (error instanceof SignInRequiredError) return { status: 401, title: 'Sign in required', detail: error.message };
    if (error instanceof RateLimitedError) return { status: 429, title: 'Too many requests', detail: error.message };
    if (error instanceof UnavailableError) return { status: 503, title: 'Sorry, the service is not working fully', detail: error.message };
    if (error instanceof InputError) return { status: 400, title: 'Bad request', detail: error.message, problems: error.problems };
  }
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status < 500) return { status, title: titleOf(status), detail: error.message };
  return {
    status: 500,
    title: 'Sorry, there is a problem with the service',
    detail: 'Try again later. Nothing you sent has been half-saved: it was either saved in full or not at all.',
  };
}

function titleOf(status: number): string {
  if (status === 401) return 'Sign in required';
  if (status === 403) return 'Not allowed';
  if (status === 404) return 'Not found';
  if (status === 413) return 'Too large';
  if (status === 429) return 'Too many requests';
  return 'Bad request';
}

function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: Problem): void {
  reply.status(problem.status);
  if (wantsJson(request)) {
    void reply.type('application/problem+json').send({ type: 'about:blank', ...problem });
    return;
  }
  const paragraphs = [problem.detail, ...(problem.problems ?? []).map((p) => `${p.field}: ${p.message}`)];
  // Every missing page reads the same to a person, whether the address was malformed or named nothing that exists.
  void reply.render('error.njk', { title: problem.status === 404 ? 'Page not found' : problem.title, paragraphs });
}
