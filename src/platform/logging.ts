import pino, { type Logger } from 'pino';

export type { Logger };

/** Creates the structured JSON logger every part of the platform writes to. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'local-digital-commons' } });
}
