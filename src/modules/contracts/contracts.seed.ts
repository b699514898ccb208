import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../platform/code-locations.js';
import type { ContractsService } from './contracts.service.js';

/** data/demo/ocds/ in the project's folder. */
const demoOcdsFolder = path.join(projectRoot, 'data', 'demo', 'ocds');

/** The real Contracts Finder OCDS packages loaded as demo content. */
export const DEMO_OCDS_FILES = ['cf-2014-kent-release-package.json', 'cf-derbycity-release-package.json'] as const;

/**
 * Loads the demo OCDS packages through the ordinary import, so the contract register has real contracts.
 * Safe to run again: contracts are upserted. Returns how many packages were loaded and how long it took.
 */
export async function seedContractsDemo(services: {
  contractsService: Pick<ContractsService, 'importOcdsFile'>;
}): Promise<{ contracts: number; milliseconds: number }> {
  const started = Date.now();
  let contracts = 0;
  for (const file of DEMO_OCDS_FILES) {
    const filePath = path.join(demoOcdsFolder, file);
    if (!fs.existsSync(filePath)) continue;
    const outcome = await services.contractsService.importOcdsFile(filePath);
    if (outcome.status !== 'imported') throw new Error(`demo OCDS file ${file} was refused: ${outcome.errors.join('; ')}`);
    contracts++;
  }
  return { contracts, milliseconds: Date.now() - started };
}
