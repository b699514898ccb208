/**
 * Platform benchmark (issue: foundation):
 *  1. cold start: `commons serve` on an existing, seeded data directory, to the first 200 response (`npm run bench`
 *     builds first, so this is the bundle `npm install` makes);
 *  2. requests per second of the organisations list page against a bare Fastify hello-world, same run.
 * Run with `npm run bench`. Traffic goes to localhost only.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { openPlatform, seedIfEmpty } from '../src/app/runtime.js';
import { loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logging.js';
import { ascending, median } from './support/bench-support.js';

const projectRoot = path.resolve(import.meta.dirname, '..');
const durationSeconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = 10;

async function prepareDataDirectory(): Promise<string> {
  const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-bench-'));
  const config = loadConfig({ COMMONS_DATA_DIR: dataDirectory, LOG_LEVEL: 'warn' });
  const logger = createLogger('warn');
  const platform = await openPlatform(config, logger, { command: 'bench' });
  await seedIfEmpty(platform, config, logger);
  await platform.close();
  return dataDirectory;
}

function startServer(dataDirectory: string, port: number): ChildProcess {
  return spawn(process.execPath, [path.join(projectRoot, 'bin', 'commons.js'), 'serve'], {
    // The embedded database: DATABASE_URL is blanked, which the configuration reads as not set.
    env: {
      ...process.env,
      COMMONS_DATA_DIR: dataDirectory,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      DATABASE_URL: '',
      // Production refuses to start without these; the benchmark sends no mail.
      COMMONS_SECRET: 'benchmark-secret-benchmark-secret-benchmark',
      SMTP_HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function waitForOk(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function measureColdStart(dataDirectory: string, port: number): Promise<number> {
  const started = performance.now();
  const child = startServer(dataDirectory, port);
  await waitForOk(`http://127.0.0.1:${port}/organisations`);
  const elapsed = performance.now() - started;
  await stop(child);
  return elapsed;
}

async function requestsPerSecond(url: string): Promise<number> {
  const result = await autocannon({ url, connections, duration: durationSeconds });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return result.requests.average;
}

async function main(): Promise<void> {
  const dataDirectory = await prepareDataDirectory();
  const port = 3900 + Math.floor(Math.random() * 90);
  try {
    const coldStarts: number[] = [];
    for (let run = 0; run < 3; run += 1) coldStarts.push(await measureColdStart(dataDirectory, port));
    const medianColdStart = median(coldStarts);

    const server = startServer(dataDirectory, port);
    await waitForOk(`http://127.0.0.1:${port}/healthz`);
    const listRate = await requestsPerSecond(`http://127.0.0.1:${port}/organisations`);
    await stop(server);

    const hello = Fastify();
    hello.get('/', () => ({ hello: 'world' }));
    const helloUrl = await hello.listen({ host: '127.0.0.1', port: 0 });
    const helloRate = await requestsPerSecond(helloUrl);
    await hello.close();

    const ratio = listRate / helloRate;
    console.log('');
    console.log(
      `cold start to first 200 (existing data directory): median ${medianColdStart.toFixed(0)} ms of ${ascending(coldStarts)
        .map((ms) => ms.toFixed(0))
        .join(', ')} ms (goal ≤ 1500 ms)`,
    );
    console.log(`organisations list page: ${listRate.toFixed(0)} requests/s (${connections} connections, ${durationSeconds} s)`);
    console.log(`bare Fastify hello-world: ${helloRate.toFixed(0)} requests/s (same run)`);
    console.log(`ratio: ${(ratio * 100).toFixed(1)}% of hello-world (goal ≥ 25%)`);
  } finally {
    fs.rmSync(dataDirectory, { recursive: true, force: true });
  }
}

await main();
