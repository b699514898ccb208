import { openOds } from './ods.js';
import { type TabularWorkbook, TabularFileError } from './tabular-types.js';
import { looksLikeCompoundFile, openXls } from './xls.js';
import { openXlsx } from './xlsx.js';
import { looksLikeZip, openZip, readZipEntry } from './zip.js';

/**
 * What a file is, from its first bytes and never from its name: a ZIP archive is XLSX or ODS (told apart by
 * its parts), a Compound File is a legacy XLS, and anything else is text (CSV and the like). A file named
 * .xls that holds CSV text is text.
 */
export function sniffTabularKind(head: Uint8Array): 'zip' | 'xls' | 'text' {
  if (looksLikeZip(head)) return 'zip';
  if (looksLikeCompoundFile(head)) return 'xls';
  return 'text';
}

/** Opens a whole spreadsheet file held in memory; throws TabularFileError for what it cannot read. */
export async function openSpreadsheet(bytes: Buffer): Promise<TabularWorkbook> {
  const kind = sniffTabularKind(bytes);
  if (kind === 'xls') return openXls(bytes);
  if (kind !== 'zip') throw new TabularFileError('the file is not a spreadsheet');
  const zip = openZip(bytes);
  const format = zipFormat(zip.entries, () => readZipEntry(zip, 'mimetype')?.toString('latin1').trim() ?? '');
  if (format === 'xlsx') return openXlsx(zip);
  if (format === 'ods') return openOds(zip);
  throw new TabularFileError(format);
}

/** 'xlsx' or 'ods', or else the reason the archive is not a spreadsheet. */
function zipFormat(entries: ReadonlyMap<string, unknown>, mimetype: () => string): string {
  if (entries.has('xl/workbook.bin')) return 'the file is an Excel binary workbook (XLSB); save it as XLSX or CSV';
  if (entries.has('[Content_Types].xml') && [...entries.keys()].some((name) => /(^|\/)workbook\.xml$/.test(name))) return 'xlsx';
  const type = entries.has('mimetype') ? mimetype() : '';
  if (type === 'application/vnd.oasis.opendocument.spreadsheet' || (type === '' && entries.has('content.xml'))) return 'ods';
  if (type.startsWith('application/vnd.oasis.opendocument')) return `the file is an OpenDocument file of type ${type}, not a spreadsheet`;
  if (entries.has('word/document.xml')) return 'the file is a Word document, not a spreadsheet';
  return 'the file is a ZIP archive but not a spreadsheet (XLSX or ODS)';
}
