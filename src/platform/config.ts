import path from 'node:path';
import { z } from 'zod';

/** Every setting the platform reads from the environment, with its safe local default. */
const environmentSchema = z.object({
  /** `production` turns on secure cookies, HSTS and hides development tools. */
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Port the web server listens on. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface the web server binds to. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** A PostgreSQL connection string; when absent the embedded PGlite database is used. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  /** Folder that holds the embedded database and uploaded files. */
  COMMONS_DATA_DIR: z.string().min(1).default('./.data'),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The address people use to reach the service, used in links sent by email and feeds. */
  PUBLIC_BASE_URL: z.url().optional(),
  /** Seed demo content (not only reference data) on first start. */
  COMMONS_SEED_DEMO: z.enum(['true', 'false']).default('true'),
});

export interface Config {
  readonly environment: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  readonly database: { readonly engine: 'pglite'; readonly dataDirectory: string } | { readonly engine: 'postgres'; readonly url: string };
  readonly dataDirectory: string;
  readonly logLevel: string;
  readonly publicBaseUrl: string;
  readonly seedDemoContent: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment once into a frozen, typed configuration, or fails with every problem named. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (as `VAR=` in a shell or an env file) means "not set".
  const present = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Configuration is not valid:\n${problems.join('\n')}`);
  }
  const values = parsed.data;
  const dataDirectory = path.resolve(values.COMMONS_DATA_DIR);
  return Object.freeze({
    environment: values.NODE_ENV,
    port: values.PORT,
    host: values.HOST,
    database: values.DATABASE_URL
      ? { engine: 'postgres' as const, url: values.DATABASE_URL }
      : { engine: 'pglite' as const, dataDirectory: path.join(dataDirectory, 'pglite') },
    dataDirectory,
    logLevel: values.LOG_LEVEL,
    publicBaseUrl: values.PUBLIC_BASE_URL ?? `http://localhost:${values.PORT}`,
    seedDemoContent: values.COMMONS_SEED_DEMO === 'true',
  });
}
