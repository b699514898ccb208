import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';

/** The logger type every part of the platform takes (pino's, as Fastify sees it). */
export type Logger = FastifyBaseLogger;

/** Query parameters whose values are secrets (sign-in tokens and the like), never written to a log. */
const SECRET_PARAMETER = /^(token|.*[_-]token|secret|password|api[_-]?key|key|signature)$/i;

/** A request URL as logged: the value of every secret-bearing query parameter is replaced with `[redacted]`. */
export function redactUrl(url: string): string {
  const query = url.indexOf('?');
  if (query === -1) return url;
  const parts = url
    .slice(query + 1)
    .split('&')
    .map((part) => {
      const equals = part.indexOf('=');
      const rawName = equals === -1 ? part : part.slice(0, equals);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // An undecodable name is compared as it is.
      }
      return SECRET_PARAMETER.test(name) && equals !== -1 ? `${rawName}=[redacted]` : part;
    });
  return `${url.slice(0, query)}?${parts.join('&')}`;
}

interface LoggedRequest {
  method?: string;
  url?: string;
  hostname?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/** Creates the structured JSON logger every part of the platform writes to; request URLs have their secrets redacted. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'local-digital-commons' },
    serializers: {
      req: (request: LoggedRequest) => ({
        method: request.method,
        url: redactUrl(request.url ?? ''),
        host: request.hostname,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
