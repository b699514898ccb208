import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';

/** The logger type every part of the platform takes (pino's, as Fastify sees it). */
export type Logger = FastifyBaseLogger;

/** Creates the structured JSON logger every part of the platform writes to. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'local-digital-commons' } });
}
