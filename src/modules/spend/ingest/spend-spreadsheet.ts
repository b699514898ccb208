import { openSpreadsheet, TabularFileError, type TabularRow, type TabularWorkbook } from '../../../platform/tabular/index.js';
import { detectLayoutFromRows, layoutFitness, type LayoutDetection } from './spend-layout.js';
import { SpendFileError, type SpendReadOptions } from './spend-types.js';

const SAMPLE_ROWS = 200;

export interface OpenedSpendSpreadsheet {
  detection: LayoutDetection;
  workbook: TabularWorkbook;
  sheetIndex: number;
}

async function sampleRows(workbook: TabularWorkbook, index: number): Promise<TabularRow[]> {
  const rows: TabularRow[] = [];
  for await (const batch of workbook.rows(index)) {
    for (const row of batch) if (rows.length < SAMPLE_ROWS) rows.push(row);
    if (rows.length >= SAMPLE_ROWS) break;
  }
  return rows;
}

/** Opens a spreadsheet file held in memory; its failures become SpendFileErrors naming the file. */
export async function openSpendWorkbook(bytes: Buffer, options: SpendReadOptions): Promise<TabularWorkbook> {
  try {
    return await openSpreadsheet(bytes);
  } catch (error) {
    if (error instanceof TabularFileError) throw new SpendFileError(`${options.fileName ? `${options.fileName}: ` : ''}${error.message}`);
    throw error;
  }
}

/**
 * Chooses the sheet to read (the one named by `options.sheet`, else the visible sheet whose first rows fit a
 * transaction file best, the first on a tie) and detects its layout as for a CSV.
 */
export async function chooseSpendSheet(workbook: TabularWorkbook, options: SpendReadOptions): Promise<OpenedSpendSpreadsheet> {
  const base = { encoding: 'utf-8' as const, bom: false, delimiter: ',', lineEnding: 'LF' as const, format: workbook.kind };
  const names = workbook.sheets.map((sheet) => `"${sheet.name}"`).join(', ');
  if (options.sheet !== undefined) {
    const wanted = options.sheet.trim().toLowerCase();
    const index = workbook.sheets.findIndex((sheet) => sheet.name.trim().toLowerCase() === wanted);
    if (index === -1)
      throw new SpendFileError(`${options.fileName ? `${options.fileName}: ` : ''}no sheet "${options.sheet}"; the sheets are ${names}`);
    const name = workbook.sheets[index]?.name ?? '';
    return {
      detection: detectLayoutFromRows(await sampleRows(workbook, index), { ...base, sheet: name }, options),
      workbook,
      sheetIndex: index,
    };
  }
  let best: OpenedSpendSpreadsheet | null = null;
  let bestFitness = -1;
  for (const [index, sheet] of workbook.sheets.entries()) {
    if (sheet.hidden && workbook.sheets.some((other) => !other.hidden)) continue;
    const detection = detectLayoutFromRows(await sampleRows(workbook, index), { ...base, sheet: sheet.name }, options);
    const fitness = layoutFitness(detection);
    if (fitness > bestFitness) {
      best = { detection, workbook, sheetIndex: index };
      bestFitness = fitness;
    }
  }
  if (!best) throw new SpendFileError(`${options.fileName ? `${options.fileName}: ` : ''}the workbook has no visible sheet`);
  if (workbook.sheets.length > 1) {
    const chosen = workbook.sheets[best.sheetIndex]?.name ?? '';
    best.detection.layout.notes = [
      `read the sheet "${chosen}", the one that holds transactions (the workbook's sheets: ${names}); choose another with --sheet`,
      ...(best.detection.layout.notes ?? []),
    ];
  }
  return best;
}
