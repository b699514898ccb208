import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface LockHolder {
  pid: number;
  command: string;
  url?: string;
  since: string;
}

export class DataDirectoryBusyError extends Error {
  override name = 'DataDirectoryBusyError';
  constructor(
    readonly dataDirectory: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The embedded database in ${dataDirectory} is in use by another process ` +
        `(\`commons ${holder.command}\`, pid ${holder.pid}${holder.url ? `, serving ${holder.url}` : ''}). ` +
        'PGlite can be opened by one process at a time. Stop that process first and run this command again, ' +
        'or set DATABASE_URL to use a PostgreSQL server, which many processes can share.',
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const WAIT_STEP_MS = 5;
const MAX_ATTEMPTS = 1_000;

function pause(milliseconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, milliseconds);
}

/** Whether a lock file's holder is a live process other than `self`. */
function isHeldByAnother(holder: LockHolder | undefined, self: number): boolean {
  return holder !== undefined && holder.pid !== self && isAlive(holder.pid);
}

/**
 * Creates a file with its whole content at once, or fails with EEXIST: the content is written to a private file first
 * and then hard-linked into place, so nobody can ever read a half-written lock and take it for a stale one.
 */
function createComplete(file: string, content: string, self: number): boolean {
  const draft = `${file}.${self}.${crypto.randomBytes(6).toString('hex')}`;
  fs.writeFileSync(draft, content, { flag: 'wx', mode: 0o600 });
  try {
    fs.linkSync(draft, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.rmSync(draft, { force: true });
  }
}

/**
 * Removes a stale lock, holding a second, short-lived lock (the takeover guard) while it checks the lock is still the
 * stale one and removes it. Two processes that both found the same stale lock therefore never both remove a lock:
 * the second to get the guard finds the first one's new, live lock and leaves it. Returns false when another
 * process holds the guard (the caller waits and looks again).
 */
function removeStaleLock(lockFile: string, stale: LockHolder | undefined, self: number): boolean {
  const guardFile = `${lockFile}.takeover`;
  const guard: LockHolder = { pid: self, command: 'takeover', since: new Date().toISOString() };
  if (!createComplete(guardFile, JSON.stringify(guard), self)) {
    const holder = readHolder(guardFile);
    // A guard left by a process killed within its few microseconds is removed by whoever renames it away first.
    if (holder !== undefined && !isHeldByAnother(holder, self) && holder.pid !== self) {
      const moved = `${guardFile}.${self}.${crypto.randomBytes(6).toString('hex')}`;
      try {
        fs.renameSync(guardFile, moved);
        // If what was moved is not the dead guard seen a moment ago, it is another process's: put it back.
        if (JSON.stringify(readHolder(moved)) !== JSON.stringify(holder)) fs.linkSync(moved, guardFile);
        fs.rmSync(moved, { force: true });
      } catch {
        // Another process got there first.
      }
    }
    return false;
  }
  try {
    const current = readHolder(lockFile);
    const unchanged = JSON.stringify(current) === JSON.stringify(stale);
    if (unchanged && !isHeldByAnother(current, self)) fs.rmSync(lockFile, { force: true });
  } finally {
    fs.rmSync(guardFile, { force: true });
  }
  return true;
}

/**
 * For tests that force the worst interleaving of a race in one process: `pid` stands in for this process's id, and
 * `afterFindingStale` runs between finding a stale lock and removing it (where another process may act).
 */
export interface RaceSeam {
  pid?: number;
  afterFindingStale?: () => void;
}

/**
 * Takes the one-process lock on an embedded data directory, so a second process can never open (and silently fork
 * or corrupt) the same PGlite files. A lock left by a dead process is taken over; when several processes start at the
 * same instant over a stale lock, exactly one of them gets it. The directory and the lock are the owner's only.
 */
export function lockDataDirectory(dataDirectory: string, holder: Omit<LockHolder, 'pid' | 'since'>, race: RaceSeam = {}): () => void {
  fs.mkdirSync(dataDirectory, { recursive: true, mode: 0o700 });
  const lockFile = path.join(dataDirectory, 'commons.lock');
  const self = race.pid ?? process.pid;
  const mine: LockHolder = { ...holder, pid: self, since: new Date().toISOString() };
  const content = JSON.stringify(mine);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    if (createComplete(lockFile, content, self)) {
      let released = false;
      return () => {
        if (released) return;
        released = true;
        if (readHolder(lockFile)?.pid === self) fs.rmSync(lockFile, { force: true });
      };
    }
    const existing = readHolder(lockFile);
    if (existing && isHeldByAnother(existing, self)) throw new DataDirectoryBusyError(dataDirectory, existing);
    if (!fs.existsSync(lockFile)) continue;
    race.afterFindingStale?.();
    if (!removeStaleLock(lockFile, existing, self)) pause(WAIT_STEP_MS);
  }
  throw new Error(`Could not take the lock ${lockFile}`);
}

/** Updates the lock with the address the server listens on, so a refused command can say where it is. */
export function describeLockHolder(dataDirectory: string, url: string): void {
  const lockFile = path.join(dataDirectory, 'commons.lock');
  const existing = readHolder(lockFile);
  if (existing?.pid !== process.pid) return;
  // Replaced whole by a rename, so another process never reads a half-written lock.
  const draft = `${lockFile}.${process.pid}.describe`;
  fs.writeFileSync(draft, JSON.stringify({ ...existing, url }), { mode: 0o600 });
  fs.renameSync(draft, lockFile);
}

function readHolder(lockFile: string): LockHolder | undefined {
  try {
    return JSON.parse(fs.readFileSync(lockFile, 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}
