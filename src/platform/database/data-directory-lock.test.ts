import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirectoryBusyError, lockDataDirectory } from './data-directory-lock.js';

const lockModule = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data-directory-lock.ts');
let scratch: string;

/** A process id that belonged to a process which has exited, as a crashed server's lock would name. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid ?? 999_999;
}

/**
 * Starts a process that waits for an agreed instant, then tries to take the lock and prints what happened. A winner
 * keeps the lock until it is stopped, so a contender that starts late still finds it held.
 */
function contender(dataDirectory: string, startAt: number, children: ChildProcess[]): Promise<string> {
  const script = `
    import { lockDataDirectory } from ${JSON.stringify(lockModule)};
    while (Date.now() < ${startAt}) {}
    try {
      lockDataDirectory(${JSON.stringify(dataDirectory)}, { command: 'race' });
      process.stdout.write('won');
      setTimeout(() => {}, 120000);
    } catch (error) {
      process.stdout.write(error.name === 'DataDirectoryBusyError' ? 'busy' : 'error ' + error.message);
    }`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      resolve(output.trim());
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', () => resolve(output.trim()));
  });
}

describe('the data directory lock', () => {
  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-lock-'));
  });
  afterAll(() => {
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('is taken by one process, refused to another while it lives, and owner-only', () => {
    const folder = path.join(scratch, 'single');
    const release = lockDataDirectory(folder, { command: 'serve' });
    expect(fs.statSync(folder).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(folder, 'commons.lock')).mode & 0o777).toBe(0o600);
    release();
    expect(fs.existsSync(path.join(folder, 'commons.lock'))).toBe(false);
  });

  it('takes over a lock whose process has died', () => {
    const folder = path.join(scratch, 'stale');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'commons.lock'), JSON.stringify({ pid: deadPid(), command: 'serve', since: '2026-01-01' }));
    const release = lockDataDirectory(folder, { command: 'migrate' });
    expect(JSON.parse(fs.readFileSync(path.join(folder, 'commons.lock'), 'utf8'))).toMatchObject({ pid: process.pid, command: 'migrate' });
    release();
  });

  it('refuses while a live process holds it', () => {
    const folder = path.join(scratch, 'live');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'commons.lock'), JSON.stringify({ pid: process.ppid, command: 'serve', since: '2026-01-01' }));
    expect(() => lockDataDirectory(folder, { command: 'migrate' })).toThrow(DataDirectoryBusyError);
  });

  it('gives a stale lock to one process only when another takes it over between finding it stale and removing it', () => {
    // The worst interleaving of finding 15, forced rather than hoped for: A finds the lock stale; before A removes it,
    // B (standing in for another live process) finds it stale too, removes it and takes the lock. A must then find
    // B's live lock and refuse, not remove it and take a second "exclusive" lock.
    const folder = path.join(scratch, 'interleaved');
    fs.mkdirSync(folder);
    const lockFile = path.join(folder, 'commons.lock');
    fs.writeFileSync(lockFile, JSON.stringify({ pid: deadPid(), command: 'serve', since: '2026-01-01' }));
    const other = process.ppid;
    let otherTook = false;
    const takeOver = () => {
      if (otherTook) return;
      otherTook = true;
      lockDataDirectory(folder, { command: 'other' }, { pid: other });
    };
    expect(() => lockDataDirectory(folder, { command: 'serve' }, { afterFindingStale: takeOver })).toThrow(DataDirectoryBusyError);
    expect(otherTook).toBe(true);
    expect(JSON.parse(fs.readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: other, command: 'other' });
  });

  it('gives a stale lock to exactly one of three processes started at the same instant, in every one of 24 trials', async () => {
    const trials = 24;
    const batch = 4;
    const outcomes: string[][] = [];
    const children: ChildProcess[] = [];
    for (let first = 0; first < trials; first += batch) {
      const startAt = Date.now() + 4000;
      const runs = Array.from({ length: batch }, async (_, offset) => {
        const folder = path.join(scratch, `race-${first + offset}`);
        fs.mkdirSync(folder);
        fs.writeFileSync(path.join(folder, 'commons.lock'), JSON.stringify({ pid: deadPid(), command: 'serve', since: '2026-01-01' }));
        return (await Promise.all([0, 1, 2].map(() => contender(folder, startAt, children)))).sort();
      });
      outcomes.push(...(await Promise.all(runs)));
      for (const child of children.splice(0)) child.kill();
    }
    expect(outcomes).toEqual(Array.from({ length: trials }, () => ['busy', 'busy', 'won']));
  }, 240_000);
});
