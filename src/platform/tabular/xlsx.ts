import path from 'node:path/posix';
import { formatNumber, formatSerialDate, isDateFormat } from './cell-values.js';
import type { TabularRow, TabularSheet, TabularWorkbook } from './tabular-types.js';
import { TabularFileError } from './tabular-types.js';
import { attributeValue, XmlScanner } from './xml-scanner.js';
import { readZipEntry, streamZipEntryText, type ZipArchive } from './zip.js';

// Beyond this many columns a row is not a table of payments; the cap keeps a stray cell at XFD1 from costing memory.
const MAX_COLUMNS = 1024;
const BATCH_ROWS = 1000;

/**
 * Reads Office Open XML workbooks (.xlsx, ECMA-376) from a ZIP archive already in memory. Sheets are read as
 * streams of XML, so a million-row sheet never exists as one string; shared strings and styles are read whole.
 * Cells become text: shared and inline strings as written, numbers in plain decimal, and numbers whose style is
 * a date format as YYYY-MM-DD.
 */
export function openXlsx(zip: ZipArchive): TabularWorkbook {
  const workbookPath = findWorkbookPath(zip);
  const workbookXml = text(zip, workbookPath);
  if (workbookXml === null) throw new TabularFileError('the XLSX file has no workbook part');
  const relationships = readRelationships(zip, relationshipsPathOf(workbookPath));
  const sheets: (TabularSheet & { part: string })[] = [];
  let date1904 = false;
  scan(workbookXml, (name, attributes) => {
    if (name === 'workbookPr') date1904 = isTrue(attributeValue(attributes, 'date1904'));
    if (name !== 'sheet') return;
    const id = attributeValue(attributes, 'r:id') ?? attributeValue(attributes, 'id');
    const target = id ? relationships.get(id) : undefined;
    if (!target) return;
    const state = attributeValue(attributes, 'state');
    sheets.push({
      name: attributeValue(attributes, 'name') ?? `Sheet${sheets.length + 1}`,
      hidden: state === 'hidden' || state === 'veryHidden',
      part: target.startsWith('/') ? target.slice(1) : path.normalize(path.join(path.dirname(workbookPath), target)),
    });
  });
  if (sheets.length === 0) throw new TabularFileError('the XLSX workbook lists no sheets');
  let shared: string[] | null = null;
  let dateStyles: boolean[] | null = null;
  const parts = (): { shared: string[]; dateStyles: boolean[] } => {
    shared ??= readSharedStrings(zip, relationships, workbookPath);
    dateStyles ??= readDateStyles(zip, relationships, workbookPath);
    return { shared, dateStyles };
  };
  return {
    kind: 'xlsx',
    sheets: sheets.map(({ name, hidden }) => ({ name, hidden })),
    rows: (index) => {
      const sheet = sheets[index];
      if (!sheet) throw new TabularFileError(`the workbook has no sheet ${index + 1}`);
      const { shared: strings, dateStyles: styles } = parts();
      return readSheetRows(zip, sheet.part, strings, styles, date1904);
    },
  };
}

function isTrue(value: string | null): boolean {
  return value === '1' || value === 'true';
}

function text(zip: ZipArchive, name: string): string | null {
  const bytes = readZipEntry(zip, name);
  return bytes === null ? null : bytes.toString('utf8');
}

function scan(
  xml: string,
  open: (name: string, attributes: string) => void,
  onText?: (text: string) => void,
  close?: (name: string) => void,
): void {
  const scanner = new XmlScanner(
    { open: (name, attributes) => open(name, attributes), close: (name) => close?.(name), text: (value) => onText?.(value) },
    true,
  );
  scanner.push(xml);
}

function findWorkbookPath(zip: ZipArchive): string {
  const rels = text(zip, '_rels/.rels');
  let found: string | null = null;
  if (rels) {
    scan(rels, (name, attributes) => {
      if (name === 'Relationship' && (attributeValue(attributes, 'Type') ?? '').endsWith('/officeDocument'))
        found = (attributeValue(attributes, 'Target') ?? '').replace(/^\//, '');
    });
  }
  return found ?? 'xl/workbook.xml';
}

function relationshipsPathOf(part: string): string {
  return path.join(path.dirname(part), '_rels', `${path.basename(part)}.rels`);
}

function readRelationships(zip: ZipArchive, relsPath: string): Map<string, string> {
  const map = new Map<string, string>();
  const xml = text(zip, relsPath);
  if (!xml) return map;
  scan(xml, (name, attributes) => {
    if (name !== 'Relationship') return;
    const id = attributeValue(attributes, 'Id');
    const target = attributeValue(attributes, 'Target');
    const type = attributeValue(attributes, 'Type') ?? '';
    if (id && target) map.set(id, target);
    if (target && type.endsWith('/sharedStrings')) map.set('#sharedStrings', target);
    if (target && type.endsWith('/styles')) map.set('#styles', target);
  });
  return map;
}

function partPath(workbookPath: string, target: string): string {
  return target.startsWith('/') ? target.slice(1) : path.normalize(path.join(path.dirname(workbookPath), target));
}

function readSharedStrings(zip: ZipArchive, relationships: Map<string, string>, workbookPath: string): string[] {
  const target = relationships.get('#sharedStrings');
  const xml = text(zip, target ? partPath(workbookPath, target) : 'xl/sharedStrings.xml');
  const strings: string[] = [];
  if (!xml) return strings;
  let current: string[] = [];
  let inText = false;
  let phonetic = 0;
  scan(
    xml,
    (name) => {
      if (name === 'si') current = [];
      else if (name === 't') inText = true;
      else if (name === 'rPh') phonetic++;
    },
    (value) => {
      if (inText && phonetic === 0) current.push(value);
    },
    (name) => {
      if (name === 't') inText = false;
      else if (name === 'rPh') phonetic--;
      else if (name === 'si') strings.push(current.join(''));
    },
  );
  return strings;
}

/** For each cell style (index into cellXfs), whether its number format shows a date. */
function readDateStyles(zip: ZipArchive, relationships: Map<string, string>, workbookPath: string): boolean[] {
  const target = relationships.get('#styles');
  const xml = text(zip, target ? partPath(workbookPath, target) : 'xl/styles.xml');
  const styles: boolean[] = [];
  if (!xml) return styles;
  const codes = new Map<number, string>();
  let inCellXfs = false;
  scan(
    xml,
    (name, attributes) => {
      if (name === 'numFmt') codes.set(Number(attributeValue(attributes, 'numFmtId')), attributeValue(attributes, 'formatCode') ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) {
        const id = Number(attributeValue(attributes, 'numFmtId') ?? 0);
        styles.push(isDateFormat(id, codes.get(id)));
      }
    },
    undefined,
    (name) => {
      if (name === 'cellXfs') inCellXfs = false;
    },
  );
  return styles;
}

/** Column index (0-based) from a cell reference such as "AB12"; -1 when there is none. */
function columnOf(reference: string | null): number {
  if (!reference) return -1;
  let column = 0;
  let i = 0;
  for (; i < reference.length; i++) {
    const c = reference.charCodeAt(i);
    if (c < 65 || c > 90) break;
    column = column * 26 + (c - 64);
  }
  return i === 0 ? -1 : column - 1;
}

/** Streams one worksheet's rows. */
async function* readSheetRows(
  zip: ZipArchive,
  part: string,
  shared: readonly string[],
  dateStyles: readonly boolean[],
  date1904: boolean,
): AsyncGenerator<TabularRow[]> {
  let batch: TabularRow[] = [];
  let rowNumber = 0;
  let cells: string[] = [];
  let column = 0;
  let type = '';
  let style = 0;
  let value = '';
  let collecting = false;
  let inInline = false;
  let inPhonetic = false;
  const finishCell = (): void => {
    let cell: string;
    if (type === 's') cell = shared[Number(value)] ?? '';
    else if (type === 'inlineStr' || type === 'str' || type === 'e') cell = value;
    else if (type === 'b') cell = value === '1' ? 'TRUE' : 'FALSE';
    else if (type === 'd') cell = value.slice(0, 10);
    else if (value === '') cell = '';
    else {
      const number = Number(value);
      cell = Number.isNaN(number) ? value : dateStyles[style] ? formatSerialDate(number, date1904) : formatNumber(number);
    }
    if (cell !== '' && column < MAX_COLUMNS) {
      while (cells.length < column) cells.push('');
      cells[column] = cell;
    }
  };
  const scanner = new XmlScanner(
    {
      open(name, attributes) {
        if (name === 'row') {
          const r = attributeValue(attributes, 'r');
          rowNumber = r ? Number(r) : rowNumber + 1;
          cells = [];
          column = 0;
        } else if (name === 'c') {
          const at = columnOf(attributeValue(attributes, 'r'));
          column = at === -1 ? cells.length : at;
          type = attributeValue(attributes, 't') ?? 'n';
          style = Number(attributeValue(attributes, 's') ?? 0);
          value = '';
        } else if (name === 'v') collecting = true;
        else if (name === 'is') inInline = true;
        else if (name === 'rPh') inPhonetic = true;
        else if (name === 't' && inInline && !inPhonetic) collecting = true;
      },
      close(name) {
        if (name === 'v' || name === 't') collecting = false;
        else if (name === 'is') inInline = false;
        else if (name === 'rPh') inPhonetic = false;
        else if (name === 'c') {
          finishCell();
          column++;
        } else if (name === 'row') {
          if (cells.length > 0) batch.push({ cells, line: rowNumber });
        }
      },
      text(chunk) {
        if (collecting) value += chunk;
      },
    },
    true,
  );
  for await (const chunk of streamZipEntryText(zip, part)) {
    scanner.push(chunk);
    if (batch.length >= BATCH_ROWS) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
