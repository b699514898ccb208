import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A minimal XLSX writer for tests and benchmarks: inline strings, numbers, and dates as serial numbers with a
 * date style, so the reader meets what spreadsheet programs write. Written here to make test files whose every
 * cell is known; it is not a general-purpose writer.
 */
export type XlsxCell = string | number | { serialDate: number } | null;

export interface XlsxSheet {
  name: string;
  rows: Iterable<XlsxCell[]>;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

function rowXml(cells: XlsxCell[], rowNumber: number): string {
  let xml = `<row r="${rowNumber}">`;
  cells.forEach((cell, index) => {
    if (cell === null) return;
    const reference = `${columnName(index)}${rowNumber}`;
    if (typeof cell === 'number') xml += `<c r="${reference}"><v>${cell}</v></c>`;
    else if (typeof cell === 'string') xml += `<c r="${reference}" t="inlineStr"><is><t>${escapeXml(cell)}</t></is></c>`;
    else xml += `<c r="${reference}" s="1"><v>${cell.serialDate}</v></c>`;
  });
  return `${xml}</row>`;
}

const CONTENT_TYPES = (sheets: number) =>
  `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${Array.from({ length: sheets }, (_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}</Types>`;
const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const STYLES = `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>`;

function workbookParts(names: readonly string[]): [string, string][] {
  const workbook = `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${names.map((name, i) => `<sheet name="${escapeXml(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`;
  const rels = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${names.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')}<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`;
  return [
    ['[Content_Types].xml', CONTENT_TYPES(names.length)],
    ['_rels/.rels', ROOT_RELS],
    ['xl/workbook.xml', workbook],
    ['xl/_rels/workbook.xml.rels', rels],
    ['xl/styles.xml', STYLES],
  ];
}

interface Written {
  name: string;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

function localHeader(name: string, crc: number, compressed: number, size: number, dataDescriptor: boolean): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(dataDescriptor ? 0x0808 : 0x0800, 6);
  header.writeUInt16LE(8, 8);
  header.writeUInt32LE(crc, 14);
  header.writeUInt32LE(compressed, 18);
  header.writeUInt32LE(size, 22);
  header.writeUInt16LE(nameBytes.length, 26);
  return Buffer.concat([header, nameBytes]);
}

function centralDirectory(entries: readonly Written[], offset: number): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(8, 10);
    header.writeUInt32LE(entry.crc, 16);
    header.writeUInt32LE(entry.compressed, 20);
    header.writeUInt32LE(entry.size, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(entry.offset, 42);
    parts.push(header, name);
  }
  const directory = Buffer.concat(parts);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([directory, end]);
}

/** A ZIP archive of text files, in memory (small test files). */
function buildZip(files: readonly [string, string][]): Buffer {
  const parts: Buffer[] = [];
  const entries: Written[] = [];
  let offset = 0;
  for (const [name, text] of files) {
    const data = Buffer.from(text, 'utf8');
    const compressed = deflateRawSync(data);
    const crc = crc32(data);
    const header = localHeader(name, crc, compressed.length, data.length, false);
    entries.push({ name, crc, compressed: compressed.length, size: data.length, offset });
    parts.push(header, compressed);
    offset += header.length + compressed.length;
  }
  parts.push(centralDirectory(entries, offset));
  return Buffer.concat(parts);
}

/** Writes a workbook to memory (small test files). */
export function buildXlsx(sheets: readonly XlsxSheet[]): Buffer {
  const files = workbookParts(sheets.map((sheet) => sheet.name));
  sheets.forEach((sheet, index) => {
    let xml =
      '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
    let rowNumber = 0;
    for (const row of sheet.rows) xml += rowXml(row, ++rowNumber);
    files.push([`xl/worksheets/sheet${index + 1}.xml`, `${xml}</sheetData></worksheet>`]);
  });
  return buildZip(files);
}

/** An OpenDocument spreadsheet in memory: text and number cells, and sheets hidden as ODF hides them (table:display). */
export function buildOds(sheets: readonly { name: string; hidden?: boolean; rows: (string | number | null)[][] }[]): Buffer {
  const cell = (value: string | number | null): string =>
    value === null
      ? '<table:table-cell/>'
      : typeof value === 'number'
        ? `<table:table-cell office:value-type="float" office:value="${value}"><text:p>${value}</text:p></table:table-cell>`
        : `<table:table-cell office:value-type="string"><text:p>${escapeXml(value)}</text:p></table:table-cell>`;
  const tables = sheets
    .map(
      (sheet) =>
        `<table:table table:name="${escapeXml(sheet.name)}" table:style-name="${sheet.hidden ? 'hidden' : 'shown'}">` +
        sheet.rows.map((row) => `<table:table-row>${row.map(cell).join('')}</table:table-row>`).join('') +
        '</table:table>',
    )
    .join('');
  const content =
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ' +
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ' +
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:automatic-styles>' +
    '<style:style style:name="shown" style:family="table"><style:table-properties table:display="true"/></style:style>' +
    '<style:style style:name="hidden" style:family="table"><style:table-properties table:display="false"/></style:style>' +
    `</office:automatic-styles><office:body><office:spreadsheet>${tables}</office:spreadsheet></office:body></office:document-content>`;
  return buildZip([
    ['mimetype', 'application/vnd.oasis.opendocument.spreadsheet'],
    ['content.xml', content],
  ]);
}

/** Writes a one-sheet workbook to a file as it is generated (a million-row benchmark file in flat memory). */
export async function writeXlsxFile(file: string, sheetName: string, rows: Iterable<XlsxCell[]>): Promise<void> {
  const out = createWriteStream(file);
  const entries: Written[] = [];
  let offset = 0;
  const write = async (bytes: Buffer): Promise<void> => {
    offset += bytes.length;
    if (!out.write(bytes)) await once(out, 'drain');
  };
  for (const [name, text] of workbookParts([sheetName])) {
    const data = Buffer.from(text, 'utf8');
    const compressed = deflateRawSync(data);
    entries.push({ name, crc: crc32(data), compressed: compressed.length, size: data.length, offset });
    await write(localHeader(name, crc32(data), compressed.length, data.length, false));
    await write(compressed);
  }
  // The sheet text is deflated as it is generated; only its compressed bytes are kept until the sizes are known.
  const { createDeflateRaw } = await import('node:zlib');
  const deflate = createDeflateRaw({ level: 6 });
  const sheetOffset = offset;
  let crc = 0;
  let size = 0;
  let compressedSize = 0;
  const compressedParts: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => {
    compressedParts.push(chunk);
    compressedSize += chunk.length;
  });
  const push = async (text: string): Promise<void> => {
    const data = Buffer.from(text, 'utf8');
    crc = crc32(data, crc);
    size += data.length;
    if (!deflate.write(data)) await once(deflate, 'drain');
  };
  await push(
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
  );
  let buffer = '';
  let rowNumber = 0;
  for (const row of rows) {
    buffer += rowXml(row, ++rowNumber);
    if (buffer.length > 1 << 20) {
      await push(buffer);
      buffer = '';
    }
  }
  await push(`${buffer}</sheetData></worksheet>`);
  deflate.end();
  await once(deflate, 'end');
  const name = 'xl/worksheets/sheet1.xml';
  entries.push({ name, crc, compressed: compressedSize, size, offset: sheetOffset });
  await write(localHeader(name, crc, compressedSize, size, false));
  for (const part of compressedParts.splice(0)) await write(part);
  await write(centralDirectory(entries, offset));
  out.end();
  await once(out, 'finish');
}
