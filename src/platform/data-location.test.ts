import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { dataLocation } from './data-location.js';

describe('dataLocation', () => {
  it('reads an empty variable as not set, as loadConfig does', () => {
    const location = dataLocation({ COMMONS_DATA_DIR: '', DATABASE_URL: '', PGLITE_SHARED_BUFFERS: '' });
    expect(location).toEqual({
      dataDirectory: path.resolve('.data'),
      embedded: true,
      pglite: { dataDirectory: path.resolve('.data', 'pglite'), sharedBuffers: '16MB' },
    });
  });

  it('says the embedded database is not used when DATABASE_URL names a server', () => {
    expect(dataLocation({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' }).embedded).toBe(false);
  });

  it('gives serve the folders and buffers the checked configuration gives', () => {
    for (const environment of [
      {},
      { COMMONS_DATA_DIR: '/srv/commons', PGLITE_SHARED_BUFFERS: '64MB' },
      { COMMONS_DATA_DIR: 'relative/data' },
    ]) {
      const location = dataLocation(environment);
      const config = loadConfig(environment);
      expect(location.dataDirectory).toBe(config.dataDirectory);
      expect({ engine: 'pglite', ...location.pglite }).toEqual(config.database);
    }
  });
});
