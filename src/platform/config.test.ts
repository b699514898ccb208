import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIGURATION_VARIABLES, ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('lists every variable it reads in the README configuration table', () => {
    const readme = fs.readFileSync(path.join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const tableRows = new Set([...readme.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1]));
    expect(CONFIGURATION_VARIABLES.length).toBeGreaterThan(10);
    expect(CONFIGURATION_VARIABLES.filter((name) => !tableRows.has(name))).toEqual([]);
  });

  it('starts with safe local defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ environment: 'development', host: '127.0.0.1', port: 3000, mail: { transport: 'outbox' } });
    expect(config.database.engine).toBe('pglite');
  });

  it('names every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrow(/PORT[\s\S]*DATABASE_URL|DATABASE_URL[\s\S]*PORT/);
  });

  it("sizes the embedded database's shared buffers, 16MB unless set", () => {
    expect(loadConfig({}).database).toMatchObject({ engine: 'pglite', sharedBuffers: '16MB' });
    expect(loadConfig({ PGLITE_SHARED_BUFFERS: '128MB' }).database).toMatchObject({ sharedBuffers: '128MB' });
    expect(() => loadConfig({ PGLITE_SHARED_BUFFERS: 'lots' })).toThrow(/PGLITE_SHARED_BUFFERS: must be a size such as 16MB/);
  });

  it('reads a replica only beside a PostgreSQL primary', () => {
    const both = loadConfig({ DATABASE_URL: 'postgres://db/commons', DATABASE_REPLICA_URL: 'postgres://replica/commons' });
    expect(both.database).toEqual({ engine: 'postgres', url: 'postgres://db/commons', replicaUrl: 'postgres://replica/commons' });
    expect(loadConfig({ DATABASE_URL: 'postgres://db/commons' }).database).toEqual({ engine: 'postgres', url: 'postgres://db/commons' });
    expect(() => loadConfig({ DATABASE_REPLICA_URL: 'postgres://replica/commons' })).toThrow(/DATABASE_REPLICA_URL: needs DATABASE_URL/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/c', DATABASE_REPLICA_URL: 'mysql://x' })).toThrow(/DATABASE_REPLICA_URL/);
  });

  it('refuses production without a secret and a mail server', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/COMMONS_SECRET, SMTP_HOST: required in production/);
  });

  it('lets webhooks reach only public addresses in production unless networks are named; loopback elsewhere', () => {
    const production = { NODE_ENV: 'production', COMMONS_SECRET: 'x'.repeat(32), SMTP_HOST: 'mail.example.org' } as const;
    expect(loadConfig(production).webhookAllowedNetworks).toEqual([]);
    expect(loadConfig({ ...production, WEBHOOK_ALLOWED_NETWORKS: '10.8.0.0/16, fd00::/8' }).webhookAllowedNetworks).toEqual([
      '10.8.0.0/16',
      'fd00::/8',
    ]);
    expect(loadConfig({ NODE_ENV: 'test' }).webhookAllowedNetworks).toEqual(['127.0.0.0/8', '::1/128']);
    expect(loadConfig({ WEBHOOK_ALLOWED_NETWORKS: 'none' }).webhookAllowedNetworks).toEqual([]);
    expect(() => loadConfig({ WEBHOOK_ALLOWED_NETWORKS: 'intranet' })).toThrow(/WEBHOOK_ALLOWED_NETWORKS/);
  });
});
