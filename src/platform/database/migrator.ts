import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';

/** Reads every migration module in a folder, ordered by file name (0001_…, 0002_…). */
class FolderMigrationProvider implements MigrationProvider {
  constructor(private readonly folder: string) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const names = (await fs.readdir(this.folder)).filter((name) => /^\d{4}_[a-z0-9_]+\.(ts|js)$/.test(name)).sort();
    const migrations: Record<string, Migration> = {};
    for (const name of names) {
      const module = (await import(pathToFileURL(path.join(this.folder, name)).href)) as Migration;
      migrations[name.replace(/\.(ts|js)$/, '')] = module;
    }
    return migrations;
  }
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Brings the database up to the newest migration; returns the names applied now. */
export async function migrateToLatest(db: Kysely<unknown>, folder: string): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new FolderMigrationProvider(folder) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error) {
    const detail = error instanceof Error ? error.message : JSON.stringify(error);
    throw new MigrationError(failed ? `Migration ${failed.migrationName} failed: ${detail}` : `Migrations failed: ${detail}`);
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
