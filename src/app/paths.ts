import path from 'node:path';
import { migrationsFolder, projectRoot } from '../platform/code-locations.js';

export { migrationsFolder, projectRoot };
export const modulesFolder = path.join(projectRoot, 'src', 'modules');
export const councilRegisterFile = path.join(projectRoot, 'data', 'reference', 'councils', 'uk_local_authorities_future.csv');
