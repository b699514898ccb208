import { formatNumber } from './cell-values.js';
import type { TabularRow, TabularSheet, TabularWorkbook } from './tabular-types.js';
import { TabularFileError } from './tabular-types.js';
import { attributeValue, XmlScanner } from './xml-scanner.js';
import { streamZipEntryText, type ZipArchive } from './zip.js';

const MAX_COLUMNS = 1024;
// A repeated non-empty row is written out at most this many times (real sheets repeat blank rows, not data).
const MAX_ROW_REPEAT = 10_000;
const BATCH_ROWS = 1000;

/**
 * Reads OpenDocument spreadsheets (.ods, ODF 1.2 part 1, 9.1 tables) from a ZIP archive in memory. content.xml
 * is streamed; cells become their displayed text for strings, office:value for numbers, currencies and
 * percentages, and the date part of office:date-value for dates. Repeated cells and rows are expanded, except
 * the trailing blank ones that spreadsheet programs write to the sheet's edge.
 */
export async function openOds(zip: ZipArchive): Promise<TabularWorkbook> {
  if (!zip.entries.has('content.xml')) throw new TabularFileError('the ODS file has no content.xml part');
  const sheets: TabularSheet[] = [];
  // A hidden table is one whose table style says table:display="false" (ODF 1.2, 17.15): the automatic styles
  // come before the tables in content.xml.
  const hiddenStyles = new Set<string>();
  let tableStyle: string | null = null;
  const scanner = new XmlScanner(
    {
      open(name, attributes) {
        if (name === 'style:style')
          tableStyle = attributeValue(attributes, 'style:family') === 'table' ? attributeValue(attributes, 'style:name') : null;
        else if (name === 'style:table-properties' && tableStyle !== null && attributeValue(attributes, 'table:display') === 'false')
          hiddenStyles.add(tableStyle);
        else if (name === 'table:table') {
          const style = attributeValue(attributes, 'table:style-name');
          sheets.push({
            name: attributeValue(attributes, 'table:name') ?? `Sheet${sheets.length + 1}`,
            hidden: style !== null && hiddenStyles.has(style),
          });
        }
      },
      close: () => undefined,
      text: () => undefined,
    },
    false,
  );
  for await (const chunk of streamZipEntryText(zip, 'content.xml')) scanner.push(chunk);
  if (sheets.length === 0) throw new TabularFileError('the ODS file holds no table');
  return { kind: 'ods', sheets, rows: (index) => readTableRows(zip, index) };
}

interface CellState {
  type: string;
  value: string;
  paragraphs: string[];
  current: string;
  repeat: number;
}

/** A table cell as its opening tag gives it: its type, its value unless it is text, and how often it repeats. */
function startCell(attributes: string): CellState {
  const type = attributeValue(attributes, 'office:value-type') ?? '';
  let value = '';
  if (type === 'date') value = (attributeValue(attributes, 'office:date-value') ?? '').slice(0, 10);
  else if (type === 'boolean') value = attributeValue(attributes, 'office:boolean-value') === 'true' ? 'TRUE' : 'FALSE';
  else if (type === 'time') value = attributeValue(attributes, 'office:time-value') ?? '';
  else if (type !== '' && type !== 'string') {
    const raw = attributeValue(attributes, 'office:value');
    value = raw === null ? '' : formatNumber(Number(raw));
  }
  return {
    type,
    value,
    paragraphs: [],
    current: '',
    repeat: Number(attributeValue(attributes, 'table:number-columns-repeated') ?? 1) || 1,
  };
}

async function* readTableRows(zip: ZipArchive, wanted: number): AsyncGenerator<TabularRow[]> {
  let table = -1;
  let batch: TabularRow[] = [];
  let line = 0;
  let cells: string[] = [];
  let blankRun = 0;
  let rowRepeat = 1;
  let cell: CellState | null = null;
  let inParagraph = 0;
  let done = false;
  const endCell = (): void => {
    if (!cell) return;
    const text = cell.type === 'string' || cell.type === '' ? cell.paragraphs.join('\n') : cell.value;
    const count = Math.min(cell.repeat, MAX_COLUMNS);
    if (text === '') blankRun += count;
    else {
      for (; blankRun > 0 && cells.length < MAX_COLUMNS; blankRun--) cells.push('');
      blankRun = 0;
      for (let k = 0; k < count && cells.length < MAX_COLUMNS; k++) cells.push(text);
    }
    cell = null;
  };
  const scanner = new XmlScanner(
    {
      open(name, attributes) {
        if (done) return;
        if (name === 'table:table') {
          table++;
        }
        if (table !== wanted) return;
        if (name === 'table:table-row') {
          cells = [];
          blankRun = 0;
          rowRepeat = Number(attributeValue(attributes, 'table:number-rows-repeated') ?? 1) || 1;
        } else if (name === 'table:table-cell' || name === 'table:covered-table-cell') {
          cell = startCell(attributes);
        } else if (name === 'text:p' || name === 'text:h') {
          inParagraph++;
          if (cell) cell.current = '';
        } else if (name === 'text:s' && cell && inParagraph > 0) {
          cell.current += ' '.repeat(Number(attributeValue(attributes, 'text:c') ?? 1) || 1);
        } else if ((name === 'text:tab' || name === 'text:line-break') && cell && inParagraph > 0) {
          cell.current += name === 'text:tab' ? '\t' : '\n';
        }
      },
      close(name) {
        if (done || table !== wanted) return;
        if (name === 'table:table') {
          done = true;
        } else if (name === 'text:p' || name === 'text:h') {
          inParagraph--;
          if (cell) cell.paragraphs.push(cell.current);
        } else if (name === 'table:table-cell' || name === 'table:covered-table-cell') endCell();
        else if (name === 'table:table-row') {
          const first = line + 1;
          line += rowRepeat;
          if (cells.length === 0) return;
          for (let k = 0; k < Math.min(rowRepeat, MAX_ROW_REPEAT); k++)
            batch.push({ cells: k === 0 ? cells : [...cells], line: first + k });
        }
      },
      text(value) {
        if (!done && cell && inParagraph > 0 && table === wanted) cell.current += value;
      },
    },
    false,
  );
  for await (const chunk of streamZipEntryText(zip, 'content.xml')) {
    scanner.push(chunk);
    if (batch.length >= BATCH_ROWS) {
      yield batch;
      batch = [];
    }
    if (done) break;
  }
  if (batch.length > 0) yield batch;
}
