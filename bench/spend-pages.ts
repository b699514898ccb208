/**
 * Times every spend intelligence page and API call through the whole web application (`app.inject`: routing,
 * validation, the service's queries and rendering, no network), with parameters varied per request, and reports
 * p50 and p95 against the goal. Part of `npm run bench:spend-queries`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { buildApp } from '../src/app/app.js';
import type { Database } from '../src/app/database-schema.js';
import type { Services } from '../src/app/services.js';
import { loadConfig } from '../src/platform/config.js';
import type { DatabaseHandle } from '../src/platform/database/database.js';
import { PRIMARY_PIN_COOKIE } from '../src/platform/http/read-routing.js';
import { createLogger } from '../src/platform/logging.js';
import { percentile } from './support/bench-support.js';

const GOAL_MS = 500;

export async function measureEveryPage(
  engine: 'postgres' | 'pglite',
  handle: DatabaseHandle<Database>,
  services: Services,
  options: { councilCodes: readonly string[]; iterations: number; rows: number },
): Promise<{ missed: string[] }> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'spend-pages-bench-'));
  const app = await buildApp({
    config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', COMMONS_DATA_DIR: folder }),
    logger: createLogger('silent'),
    services,
    engine: handle.engine,
    secret: 'bench-secret-that-is-at-least-32-characters-long',
    database: handle.db,
    checkDatabase: () => Promise.resolve(true),
  });
  try {
    const db = handle.db;
    // The most-paid suppliers (the heaviest supplier pages) and some files, from the summaries.
    const suppliers = (
      await sql<{
        id: number;
      }>`select supplier_id as id from spend_supplier_totals order by councils desc, total_pence desc limit 20`.execute(db)
    ).rows.map((row) => row.id);
    const files = (await sql<{ id: number }>`select id from spend_files order by rows_imported desc limit 20`.execute(db)).rows.map(
      (row) => row.id,
    );
    const codes = options.councilCodes;
    const pick = <T>(list: readonly T[], i: number, step = 1): T => {
      const value = list[(i * step) % list.length];
      if (value === undefined) throw new Error('nothing to pick from');
      return value;
    };
    const needles = ['supplier 12', 'digital', '4711', 'care ltd', 'supplier 3', 'transport', 'homes', 'consult'];
    const pair = (i: number) => `${pick(codes, i, 37)},${pick(codes, i + 1, 37)}`;
    const calls: { name: string; url: (i: number) => string }[] = [
      { name: 'page /spend', url: () => '/spend' },
      { name: 'page supplier search', url: (i) => `/spend/suppliers?q=${encodeURIComponent(pick(needles, i))}` },
      { name: 'page supplier list', url: (i) => `/spend/suppliers?page=${1 + (i % 5)}` },
      { name: 'page supplier', url: (i) => `/spend/suppliers/${pick(suppliers, i)}` },
      { name: 'page council', url: (i) => `/spend/organisations/${pick(codes, i, 37)}` },
      { name: 'page compare (all spend)', url: (i) => `/spend/compare?councils=${pair(i)}` },
      { name: 'page compare (supplier)', url: (i) => `/spend/compare?councils=${pair(i)}&supplier=${pick(suppliers, i)}` },
      { name: 'page signals', url: (i) => `/spend/signals?page=${1 + (i % 3)}` },
      { name: 'api suppliers search', url: (i) => `/api/v1/spend/suppliers?q=${encodeURIComponent(pick(needles, i))}` },
      { name: 'api supplier', url: (i) => `/api/v1/spend/suppliers/${pick(suppliers, i)}` },
      { name: 'api supplier months csv', url: (i) => `/api/v1/spend/suppliers/${pick(suppliers, i)}?table=months&format=csv` },
      { name: 'api councils', url: () => '/api/v1/spend/councils' },
      { name: 'api council overview', url: (i) => `/api/v1/spend/organisations/${pick(codes, i, 37)}/overview` },
      { name: 'api council suppliers', url: (i) => `/api/v1/spend/organisations/${pick(codes, i, 37)}/suppliers` },
      { name: 'api council concentration', url: (i) => `/api/v1/spend/organisations/${pick(codes, i, 37)}/concentration` },
      { name: 'api similar councils', url: (i) => `/api/v1/spend/organisations/${pick(codes, i, 37)}/similar` },
      { name: 'api council summary', url: (i) => `/api/v1/spend/organisations/${pick(codes, i, 37)}/summary` },
      { name: 'api compare', url: (i) => `/api/v1/spend/compare?councils=${pair(i)}&supplier=${pick(suppliers, i)}` },
      { name: 'api shared suppliers', url: (i) => `/api/v1/spend/signals/shared-suppliers?minCouncils=${2 + (i % 50)}` },
      { name: 'api file', url: (i) => `/api/v1/spend/files/${pick(files, i)}` },
      { name: 'api file rejects', url: (i) => `/api/v1/spend/files/${pick(files, i)}/rejects` },
    ];
    // The pin cookie makes every request skip the 10-second public response cache: each answer is computed.
    const headers = { cookie: `${PRIMARY_PIN_COOKIE}=1` };
    const results: { name: string; p50: number; p95: number; max: number }[] = [];
    for (const call of calls) {
      const warm = await app.inject({ url: call.url(0), headers });
      if (warm.statusCode !== 200) throw new Error(`${call.name}: ${call.url(0)} answered ${warm.statusCode}: ${warm.body.slice(0, 300)}`);
      const samples: number[] = [];
      for (let i = 1; i <= options.iterations; i++) {
        const started = performance.now();
        const response = await app.inject({ url: call.url(i), headers });
        samples.push(performance.now() - started);
        if (response.statusCode !== 200) throw new Error(`${call.name}: ${call.url(i)} answered ${response.statusCode}`);
      }
      samples.sort((a, b) => a - b);
      results.push({ name: call.name, p50: percentile(samples, 50), p95: percentile(samples, 95), max: samples.at(-1) ?? 0 });
    }
    process.stdout.write(
      `\n${engine}, every spend page and API call through the app, ${options.rows.toLocaleString('en-GB')} payments, ${options.iterations} requests each (goal: p95 ≤ ${GOAL_MS} ms)\n`,
    );
    process.stdout.write(`${'call'.padEnd(30)}${'p50'.padEnd(12)}${'p95'.padEnd(12)}${'max'.padEnd(12)}goal\n`);
    const cell = (ms: number) => `${ms.toFixed(1)} ms`.padEnd(12);
    for (const result of results) {
      process.stdout.write(
        `${result.name.padEnd(30)}${cell(result.p50)}${cell(result.p95)}${cell(result.max)}${result.p95 <= GOAL_MS ? 'met' : 'MISSED'}\n`,
      );
    }
    return { missed: results.filter((result) => result.p95 > GOAL_MS).map((result) => result.name) };
  } finally {
    await app.close();
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
