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

/**
 * Takes the one-process lock on an embedded data directory, so a second process can never open
 * (and silently fork or corrupt) the same PGlite files. A lock left by a dead process is taken over.
 */
export function lockDataDirectory(dataDirectory: string, holder: Omit<LockHolder, 'pid' | 'since'>): () => void {
  fs.mkdirSync(dataDirectory, { recursive: true });
  const lockFile = path.join(dataDirectory, 'commons.lock');
  const mine: LockHolder = { ...holder, pid: process.pid, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(lockFile, JSON.stringify(mine), { flag: 'wx' });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        fs.rmSync(lockFile, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const existing = readHolder(lockFile);
      if (existing && existing.pid !== process.pid && isAlive(existing.pid)) {
        throw new DataDirectoryBusyError(dataDirectory, existing);
      }
      fs.rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${lockFile}`);
}

/** Updates the lock with the address the server listens on, so a refused command can say where it is. */
export function describeLockHolder(dataDirectory: string, url: string): void {
  const lockFile = path.join(dataDirectory, 'commons.lock');
  const existing = readHolder(lockFile);
  if (existing?.pid === process.pid) fs.writeFileSync(lockFile, JSON.stringify({ ...existing, url }));
}

function readHolder(lockFile: string): LockHolder | undefined {
  try {
    return JSON.parse(fs.readFileSync(lockFile, 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}
