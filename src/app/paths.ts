import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root folder, from which reference data and migrations are found. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Beside this file's folder, so compiled code (dist/) runs compiled migrations and tsx runs the sources. */
export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');
export const modulesFolder = path.join(projectRoot, 'src', 'modules');
export const councilRegisterFile = path.join(projectRoot, 'data', 'reference', 'councils', 'uk_local_authorities_future.csv');
