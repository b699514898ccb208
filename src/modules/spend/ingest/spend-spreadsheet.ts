import { openSpreadsheet, TabularFileError, type TabularRow, type TabularWorkbook } from '../../../platform/tabular/index.js';
import { detectLayoutFromRows, layoutFitness, type LayoutDetection } from './spend-layout.js';
import { SpendFileError, type SpendReadOptions } from './spend-types.js';

const SAMPLE_ROWS = 200;

export interface OpenedSpendSpreadsheet {
  detection: LayoutDetection;
  workbook: TabularWorkbook;
  /**
   * Every sheet to read, in the workbook's order: the chosen one and the other visible sheets with the same columns
   * (a workbook with a sheet per month), each with its header's line.
   */
  sheets: { index: number; name: string; headerLine: number | null }[];
}

/** A header row as compared between sheets: names trimmed and lower-cased, empty names at the end dropped. */
function headerKey(headers: readonly string[]): string {
  const names = headers.map((header) => header.trim().toLowerCase());
  while (names.length > 0 && names[names.length - 1] === '') names.pop();
  return JSON.stringify(names);
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
    const detection = detectLayoutFromRows(await sampleRows(workbook, index), { ...base, sheet: name }, options);
    return { detection, workbook, sheets: [{ index, name, headerLine: detection.layout.headerLine }] };
  }
  const candidates: { index: number; name: string; detection: LayoutDetection }[] = [];
  let best: (typeof candidates)[number] | null = null;
  let bestFitness = -1;
  for (const [index, sheet] of workbook.sheets.entries()) {
    if (sheet.hidden && workbook.sheets.some((other) => !other.hidden)) continue;
    const detection = detectLayoutFromRows(await sampleRows(workbook, index), { ...base, sheet: sheet.name }, options);
    const candidate = { index, name: sheet.name, detection };
    candidates.push(candidate);
    const fitness = layoutFitness(detection);
    if (fitness > bestFitness) {
      best = candidate;
      bestFitness = fitness;
    }
  }
  if (!best) throw new SpendFileError(`${options.fileName ? `${options.fileName}: ` : ''}the workbook has no visible sheet`);
  // Sheets with the chosen sheet's header row are more of the same table (a sheet per month): all are read.
  const chosenHeaders = best.detection.layout.headerLine === null ? null : headerKey(best.detection.layout.headers);
  const same = candidates.filter(
    (candidate) =>
      candidate === best ||
      (chosenHeaders !== null &&
        candidate.detection.layout.headerLine !== null &&
        headerKey(candidate.detection.layout.headers) === chosenHeaders),
  );
  const sheets = same.map((candidate) => ({
    index: candidate.index,
    name: candidate.name,
    headerLine: candidate.detection.layout.headerLine,
  }));
  if (workbook.sheets.length > 1) {
    const read =
      sheets.length > 1
        ? `read the sheets ${sheets.map((sheet) => `"${sheet.name}"`).join(', ')} one after another: they have the same columns`
        : `read the sheet "${best.name}", the one that holds transactions`;
    best.detection.layout.notes = [
      `${read} (the workbook's sheets: ${names}); choose one with --sheet`,
      ...(best.detection.layout.notes ?? []),
    ];
  }
  return { detection: best.detection, workbook, sheets };
}
