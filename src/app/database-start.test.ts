import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../platform/config.js';
import { DataDirectoryBusyError } from '../platform/database/data-directory-lock.js';
import { startDatabase } from './database-start.js';

const scratch: string[] = [];
afterEach(() => {
  for (const folder of scratch.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

function embeddedConfig() {
  const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-database-start-'));
  scratch.push(dataDirectory);
  return loadConfig({ COMMONS_DATA_DIR: dataDirectory, DATABASE_URL: '' });
}

describe('startDatabase', () => {
  it('takes the data folder for this process and starts the database thread, which answers', async () => {
    const config = embeddedConfig();
    const lockFile = path.join(config.dataDirectory, 'commons.lock');
    const first = startDatabase(config, { command: 'serve', databaseInWorker: true });
    try {
      expect(JSON.parse(fs.readFileSync(lockFile, 'utf8'))).toMatchObject({ command: 'serve', pid: process.pid });
      const thread = first.thread;
      if (!thread) throw new Error('no database thread');
      await thread.ready;
      const { rows } = await thread.query<{ answer: number }>('select 41 + 1 as answer');
      expect(rows).toEqual([{ answer: 42 }]);
    } finally {
      await first.thread?.close();
      first.releaseLock();
    }
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  it('starts no thread when the folder is held by another process', () => {
    const config = embeddedConfig();
    // A live process other than this one: the test runner's parent.
    const holder = { command: 'serve', pid: process.ppid, since: new Date().toISOString() };
    fs.writeFileSync(path.join(config.dataDirectory, 'commons.lock'), JSON.stringify(holder));
    expect(() => startDatabase(config, { command: 'serve', databaseInWorker: true })).toThrow(DataDirectoryBusyError);
    expect(fs.existsSync(path.join(config.dataDirectory, 'pglite'))).toBe(false);
  });

  it('takes nothing for a PostgreSQL server', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/unused' });
    const started = startDatabase(config, { command: 'serve', databaseInWorker: true });
    expect(started.thread).toBeNull();
    expect(() => started.releaseLock()).not.toThrow();
  });
});
