import path from 'node:path';
import { z } from 'zod';
import type { Limits } from './limits.js';
import { DEFAULT_LIMITS } from './limits.js';
import { DEFAULT_PGLITE_SHARED_BUFFERS } from './database/pglite-values.js';

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
  /**
   * A PostgreSQL streaming replica of DATABASE_URL. Anonymous GET requests (public pages, API reads) read from it;
   * writes, transactions and the requests of people signed in or who have just changed something use the primary.
   */
  DATABASE_REPLICA_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  /** Folder that holds the embedded database and uploaded files. */
  COMMONS_DATA_DIR: z.string().min(1).default('./.data'),
  /**
   * The embedded database's shared buffers (PostgreSQL's shared_buffers). Small by default: PGlite reads its files
   * through the operating system's cache anyway, and setting up a larger pool costs start-up time (pglite-values.ts).
   */
  PGLITE_SHARED_BUFFERS: z
    .string()
    .regex(/^\d+(kB|MB|GB)$/, 'must be a size such as 16MB')
    .default(DEFAULT_PGLITE_SHARED_BUFFERS),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The address people use to reach the service, used in links sent by email and feeds. */
  PUBLIC_BASE_URL: z.url().optional(),
  /** Seed demo content (not only reference data) on first start. */
  COMMONS_SEED_DEMO: z.enum(['true', 'false']).default('true'),
  /** Secret for signing form tokens (at least 32 characters). Required in production; generated and kept in the data folder otherwise. */
  COMMONS_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Mail server; without one, mail goes to the development outbox (not allowed in production). */
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  /** The From address of mail the platform sends. */
  MAIL_FROM: z.string().default('Local Digital Commons <no-reply@localhost>'),
  /** The institute's contact address, given in the accessibility statement; without it people are sent to the feedback form. */
  CONTACT_EMAIL: z.email().optional(),
  /** Minutes of inactivity after which a session ends. */
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .default(8 * 60),
  /** Hours after sign-in after which a session ends however active it is. */
  SESSION_ABSOLUTE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .default(7 * 24),
  /**
   * Which proxies in front of the server may say who the client is (X-Forwarded-For): `false` (none, the default),
   * a number of proxy hops, or a comma-separated list of proxy addresses or CIDR ranges. Never `true` on a server
   * that can be reached directly, since anyone could then choose their own address.
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .refine(
      (value) => /^(true|false|\d{1,2}|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/.test(value.trim()),
      'must be false, true, a number of proxy hops, or a comma-separated list of proxy addresses or CIDR ranges',
    ),
  /**
   * Private or local networks webhook deliveries may still reach, as a comma-separated list of addresses or CIDR
   * ranges (for example `127.0.0.0/8,::1/128` for a receiver on the same machine). Deliveries go only to public
   * addresses otherwise. Default: none in production; loopback in development and test.
   */
  WEBHOOK_ALLOWED_NETWORKS: z
    .string()
    .optional()
    .refine(
      (value) => value === undefined || value.trim() === 'none' || /^[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*$/.test(value.trim()),
      'must be none or a comma-separated list of addresses or CIDR ranges',
    ),
  /** Largest spending file accepted by upload, in bytes. */
  MAX_UPLOAD_SPEND_BYTES: z.coerce.number().int().min(1024).default(DEFAULT_LIMITS.uploadBytes.spend),
  /** Largest publiccode.yml accepted by upload or paste, in bytes. */
  MAX_UPLOAD_PUBLICCODE_BYTES: z.coerce.number().int().min(1024).default(DEFAULT_LIMITS.uploadBytes.publiccode),
  /** Largest OCDS file accepted by upload, in bytes. */
  MAX_UPLOAD_OCDS_BYTES: z.coerce.number().int().min(1024).default(DEFAULT_LIMITS.uploadBytes.ocds),
  /** Largest data file (checked against a standard) accepted by upload, in bytes. */
  MAX_UPLOAD_DATA_FILE_BYTES: z.coerce.number().int().min(1024).default(DEFAULT_LIMITS.uploadBytes.dataFile),
  /** Milliseconds one untrusted document may take to parse (in a worker) before it is refused. */
  PARSE_TIME_LIMIT_MS: z.coerce.number().int().min(100).default(DEFAULT_LIMITS.parse.timeLimitMs),
  /** Megabytes of heap one untrusted document's parsing worker may use before it is refused. */
  PARSE_MEMORY_LIMIT_MB: z.coerce.number().int().min(16).default(DEFAULT_LIMITS.parse.memoryLimitMb),
});

/** The names of every environment variable the platform reads; the README's configuration table lists each. */
export const CONFIGURATION_VARIABLES: readonly string[] = Object.keys(environmentSchema.shape);
/** TRUST_PROXY as Fastify's `trustProxy` option. */
function parseTrustProxy(value: string): boolean | number | string[] {
  const trimmed = value.trim();
  if (trimmed === 'false') return false;
  if (trimmed === 'true') return true;
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  return trimmed.split(',').map((address) => address.trim());
}

const LOOPBACK_NETWORKS = ['127.0.0.0/8', '::1/128'];

/** WEBHOOK_ALLOWED_NETWORKS as a list: none in production unless named, loopback elsewhere. */
function parseAllowedNetworks(value: string | undefined, environment: 'development' | 'production' | 'test'): string[] {
  if (value === undefined) return environment === 'production' ? [] : LOOPBACK_NETWORKS;
  if (value.trim() === 'none') return [];
  return value
    .split(',')
    .map((network) => network.trim())
    .filter(Boolean);
}

export interface Config {
  readonly environment: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  readonly database:
    | { readonly engine: 'pglite'; readonly dataDirectory: string; readonly sharedBuffers?: string }
    | { readonly engine: 'postgres'; readonly url: string; readonly replicaUrl?: string };
  readonly dataDirectory: string;
  readonly logLevel: string;
  readonly publicBaseUrl: string;
  /** The institute's contact address (accessibility statement), or null. */
  readonly contactEmail: string | null;
  readonly seedDemoContent: boolean;
  /** Null when not configured: the runtime then keeps a generated one in the data folder. */
  readonly secret: string | null;
  readonly mail:
    | { readonly transport: 'outbox' }
    | {
        readonly transport: 'smtp';
        readonly host: string;
        readonly port: number;
        readonly user?: string;
        readonly password?: string;
        readonly from: string;
      };
  readonly sessions: { readonly idleMinutes: number; readonly absoluteHours: number };
  /** Which proxies may set the client's address; false trusts none. */
  readonly trustProxy: boolean | number | readonly string[];
  /** Upload sizes per kind of file and the budget of parsing an untrusted document. */
  readonly limits: Limits;
  /** Private or local networks (CIDR ranges) webhook deliveries may still reach. */
  readonly webhookAllowedNetworks: readonly string[];
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
  if (values.NODE_ENV === 'production') {
    const missing = [!values.COMMONS_SECRET && 'COMMONS_SECRET', !values.SMTP_HOST && 'SMTP_HOST'].filter(Boolean);
    if (missing.length > 0) throw new ConfigError(`Configuration is not valid:\n  ${missing.join(', ')}: required in production`);
  }
  if (values.DATABASE_REPLICA_URL && !values.DATABASE_URL) {
    throw new ConfigError('Configuration is not valid:\n  DATABASE_REPLICA_URL: needs DATABASE_URL (the primary it replicates)');
  }
  const dataDirectory = path.resolve(values.COMMONS_DATA_DIR);
  return Object.freeze({
    environment: values.NODE_ENV,
    port: values.PORT,
    host: values.HOST,
    database: values.DATABASE_URL
      ? {
          engine: 'postgres' as const,
          url: values.DATABASE_URL,
          ...(values.DATABASE_REPLICA_URL ? { replicaUrl: values.DATABASE_REPLICA_URL } : {}),
        }
      : { engine: 'pglite' as const, dataDirectory: path.join(dataDirectory, 'pglite'), sharedBuffers: values.PGLITE_SHARED_BUFFERS },
    dataDirectory,
    logLevel: values.LOG_LEVEL,
    publicBaseUrl: values.PUBLIC_BASE_URL ?? `http://localhost:${values.PORT}`,
    contactEmail: values.CONTACT_EMAIL ?? null,
    seedDemoContent: values.COMMONS_SEED_DEMO === 'true',
    secret: values.COMMONS_SECRET ?? null,
    mail: values.SMTP_HOST
      ? {
          transport: 'smtp' as const,
          host: values.SMTP_HOST,
          port: values.SMTP_PORT,
          ...(values.SMTP_USER ? { user: values.SMTP_USER } : {}),
          ...(values.SMTP_PASSWORD ? { password: values.SMTP_PASSWORD } : {}),
          from: values.MAIL_FROM,
        }
      : { transport: 'outbox' as const },
    sessions: { idleMinutes: values.SESSION_IDLE_MINUTES, absoluteHours: values.SESSION_ABSOLUTE_HOURS },
    trustProxy: parseTrustProxy(values.TRUST_PROXY),
    webhookAllowedNetworks: parseAllowedNetworks(values.WEBHOOK_ALLOWED_NETWORKS, values.NODE_ENV),
    limits: {
      uploadBytes: {
        spend: values.MAX_UPLOAD_SPEND_BYTES,
        publiccode: values.MAX_UPLOAD_PUBLICCODE_BYTES,
        ocds: values.MAX_UPLOAD_OCDS_BYTES,
        dataFile: values.MAX_UPLOAD_DATA_FILE_BYTES,
      },
      parse: { timeLimitMs: values.PARSE_TIME_LIMIT_MS, memoryLimitMb: values.PARSE_MEMORY_LIMIT_MB },
    },
  });
}
