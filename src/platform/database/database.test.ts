import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PGLITE_SHARED_BUFFERS, openDatabase } from './database.js';

describe('the embedded database', () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
  });

  async function sharedBuffers(sharedBuffersSetting?: string): Promise<string> {
    const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-pglite-'));
    folders.push(dataDirectory);
    const database = await openDatabase({
      engine: 'pglite',
      dataDirectory,
      ...(sharedBuffersSetting ? { sharedBuffers: sharedBuffersSetting } : {}),
    });
    try {
      const result = await sql<{ shared_buffers: string }>`show shared_buffers`.execute(database.db);
      return result.rows[0]?.shared_buffers ?? '';
    } finally {
      await database.close();
    }
  }

  it('starts with the shared buffers it is given, and a small pool by default', async () => {
    expect(DEFAULT_PGLITE_SHARED_BUFFERS).toBe('16MB');
    expect(await sharedBuffers()).toBe('16MB');
    expect(await sharedBuffers('48MB')).toBe('48MB');
  }, 120_000);
});
