import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../platform/code-locations.js';
import type { SpendService } from './spend.service.js';

/** data/demo/ in the project's folder. */
export const demoDataFolder = path.join(projectRoot, 'data', 'demo');

/** The real "spending over £500" files loaded as demo content (see data/demo/spend/SOURCES.md). */
export const DEMO_SPEND_FILES = [
  { file: 'oxford/expenditure-over-500-apr-jun-2014.csv', organisation: 'E07000178', period: { from: '2014-04', to: '2014-06' } },
  { file: 'trafford/trafford-2014-09.csv', organisation: 'E08000009' },
  { file: 'leeds/raw-2013-09.csv', organisation: 'E08000035' },
  { file: 'devon/DCCSpendingOver500_201905.csv', organisation: 'E10000008' },
] as const;

export interface SpendDemoServices {
  spendService: Pick<SpendService, 'importSpendFile' | 'findOrganisation'>;
}

/**
 * Loads the demo spend files through the ordinary import, so a new user sees real suppliers across real councils.
 * Safe to run again: the import recognises content it has seen. Returns what was loaded and how long it took.
 */
export async function seedSpendDemo(services: SpendDemoServices): Promise<{ files: number; rows: number; milliseconds: number }> {
  const started = Date.now();
  let rows = 0;
  let files = 0;
  for (const demo of DEMO_SPEND_FILES) {
    const filePath = path.join(demoDataFolder, 'spend', demo.file);
    if (!fs.existsSync(filePath)) continue;
    const organisation = await services.spendService.findOrganisation(demo.organisation);
    const outcome = await services.spendService.importSpendFile({
      organisationId: organisation.id,
      path: filePath,
      fileName: path.basename(demo.file),
      ...('period' in demo ? { period: { ...demo.period } } : {}),
    });
    if (outcome.status === 'rejected') throw new Error(`demo spend file ${demo.file} was refused: ${outcome.errors.join('; ')}`);
    rows += outcome.rowsImported;
    files++;
  }
  return { files, rows, milliseconds: Date.now() - started };
}
