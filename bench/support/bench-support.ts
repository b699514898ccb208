/**
 * What the benchmarks share: order statistics, scratch databases and directories, and peak memory. Figures from a
 * shared machine move with its load, so benchmarks report medians and percentiles of several samples.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The nearest-rank percentile (p from 0 to 100) of samples sorted ascending; 0 when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

/** A sorted copy, smallest first. */
export function ascending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** The middle value (the upper of the two middle ones for an even count); 0 when there are none. */
export function median(values: readonly number[]): number {
  return ascending(values)[Math.floor(values.length / 2)] ?? 0;
}

/**
 * Runs `work` with the URL of a database made for it on the PostgreSQL server at `serverUrl`, dropped afterwards
 * (even with connections left open), unless `keep` is set (to look at it with EXPLAIN ANALYZE; drop it by hand).
 */
export async function withScratchDatabase<T>(
  serverUrl: string,
  prefix: string,
  work: (url: string) => Promise<T>,
  options: { keep?: boolean } = {},
): Promise<T> {
  const name = `${prefix}_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    try {
      return await work(url.toString());
    } finally {
      if (options.keep) process.stdout.write(`kept the database ${name}\n`);
      else await admin.query(`drop database if exists ${name} with (force)`);
    }
  } finally {
    await admin.end();
  }
}

/** Runs `work` in a new directory under the system's temporary folder, removed afterwards. */
export async function withScratchDirectory<T>(prefix: string, work: (directory: string) => Promise<T>): Promise<T> {
  const directory = mkdtempSync(join(tmpdir(), `${prefix}-`));
  try {
    return await work(directory);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** The peak resident memory of a process (its VmHWM, in bytes; this process by default); 0 once it has ended. */
export function peakResidentMemory(pid: number | 'self' = 'self'): number {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** Samples this process's resident memory every `intervalMs` until stopped; `peak()` is the largest seen so far. */
export function sampleResidentMemory(intervalMs = 50): { peak: () => number; stop: () => number } {
  let peak = process.memoryUsage().rss;
  const take = () => (peak = Math.max(peak, process.memoryUsage().rss));
  const timer = setInterval(take, intervalMs);
  timer.unref();
  return {
    peak: () => take(),
    stop: () => {
      clearInterval(timer);
      return take();
    },
  };
}

/** Samples another process's peak resident memory (VmHWM) every `intervalMs` until stopped; returns the bytes. */
export function sampleChildPeakMemory(pid: number, intervalMs = 20): { stop: () => number } {
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, peakResidentMemory(pid))), intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      return peak;
    },
  };
}
