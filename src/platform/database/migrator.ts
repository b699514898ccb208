import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';

const MIGRATION_FILE = /^(\d{4}_[a-z0-9_]+)\.(ts|js)$/;

/** The migration names in a folder, in order (0001_…, 0002_…). */
async function listMigrationNames(folder: string): Promise<{ name: string; file: string }[]> {
  return (await fs.readdir(folder))
    .flatMap((file) => {
      const match = MIGRATION_FILE.exec(file);
      return match?.[1] ? [{ name: match[1], file }] : [];
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Reads every migration module in a folder, ordered by file name. */
class FolderMigrationProvider implements MigrationProvider {
  constructor(private readonly folder: string) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {};
    for (const { name, file } of await listMigrationNames(this.folder)) {
      migrations[name] = (await import(pathToFileURL(path.join(this.folder, file)).href)) as Migration;
    }
    return migrations;
  }
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** True when every migration in the folder is already applied: one cheap query instead of loading them all. */
async function isUpToDate(db: Kysely<unknown>, folder: string): Promise<boolean> {
  try {
    const result = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    const applied = new Set(result.rows.map((row) => row.name));
    return (await listMigrationNames(folder)).every(({ name }) => applied.has(name));
  } catch {
    return false;
  }
}

/** Brings the database up to the newest migration; returns the names applied now. */
export async function migrateToLatest(db: Kysely<unknown>, folder: string): Promise<string[]> {
  if (await isUpToDate(db, folder)) return [];
  const migrator = new Migrator({ db, provider: new FolderMigrationProvider(folder) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error) {
    const detail = error instanceof Error ? error.message : JSON.stringify(error);
    throw new MigrationError(failed ? `Migration ${failed.migrationName} failed: ${detail}` : `Migrations failed: ${detail}`);
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
