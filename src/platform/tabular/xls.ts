import { formatNumber, formatSerialDate, isDateFormat } from './cell-values.js';
import type { TabularRow, TabularSheet, TabularWorkbook } from './tabular-types.js';
import { TabularFileError } from './tabular-types.js';

/**
 * Reads legacy Excel 97-2003 workbooks (.xls: BIFF8 records in a Compound File Binary container, as described
 * in Microsoft's [MS-CFB] and [MS-XLS]). Such a file holds at most 65,536 rows a sheet, so it is read whole.
 * Only what a table of values needs is decoded: sheets, shared strings, numbers, formula results and the
 * number formats that make a number a date. Encrypted files and the older BIFF5 format are refused.
 */

const CFB_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const END_OF_CHAIN = 0xfffffffe;
const FREE_SECTOR = 0xffffffff;
const MAX_COLUMNS = 1024;

/** True when the bytes start like a Compound File (legacy Office). */
export function looksLikeCompoundFile(bytes: Uint8Array): boolean {
  return CFB_SIGNATURE.every((byte, index) => bytes[index] === byte);
}

/** Reads the named stream ("Workbook") out of a Compound File. */
export function readCompoundFileStream(bytes: Buffer, names: readonly string[]): Buffer | null {
  if (bytes.length < 512) throw new TabularFileError('the file is too short to be an Excel 97-2003 workbook');
  const sectorSize = 1 << bytes.readUInt16LE(0x1e);
  const miniSectorSize = 1 << bytes.readUInt16LE(0x20);
  const firstDirectorySector = bytes.readUInt32LE(0x30);
  const miniStreamCutoff = bytes.readUInt32LE(0x38);
  const firstMiniFatSector = bytes.readUInt32LE(0x3c);
  let difatSector = bytes.readUInt32LE(0x44);
  const sectorOffset = (sector: number): number => (sector + 1) * sectorSize;

  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) {
    const sector = bytes.readUInt32LE(0x4c + i * 4);
    if (sector !== FREE_SECTOR && sector !== END_OF_CHAIN) fatSectors.push(sector);
  }
  for (let guard = 0; difatSector !== END_OF_CHAIN && difatSector !== FREE_SECTOR && guard < 100_000; guard++) {
    const at = sectorOffset(difatSector);
    if (at + sectorSize > bytes.length) break;
    for (let i = 0; i < sectorSize / 4 - 1; i++) {
      const sector = bytes.readUInt32LE(at + i * 4);
      if (sector !== FREE_SECTOR && sector !== END_OF_CHAIN) fatSectors.push(sector);
    }
    difatSector = bytes.readUInt32LE(at + sectorSize - 4);
  }
  const fat: number[] = [];
  for (const sector of fatSectors) {
    const at = sectorOffset(sector);
    for (let i = 0; i < sectorSize / 4 && at + i * 4 + 4 <= bytes.length; i++) fat.push(bytes.readUInt32LE(at + i * 4));
  }
  const chain = (start: number, table: readonly number[]): number[] => {
    const sectors: number[] = [];
    for (let sector = start; sector !== END_OF_CHAIN && sector !== FREE_SECTOR; sector = table[sector] ?? END_OF_CHAIN) {
      if (sectors.length > table.length) throw new TabularFileError('the Excel 97-2003 file has a looping sector chain: it is damaged');
      sectors.push(sector);
    }
    return sectors;
  };
  const readChain = (start: number, size: number): Buffer => {
    const parts = chain(start, fat).map((sector) => bytes.subarray(sectorOffset(sector), sectorOffset(sector) + sectorSize));
    return Buffer.concat(parts).subarray(0, size);
  };
  const directory = readChain(firstDirectorySector, Number.MAX_SAFE_INTEGER);
  let rootStart = END_OF_CHAIN;
  let rootSize = 0;
  let found: { start: number; size: number } | null = null;
  for (let at = 0; at + 128 <= directory.length; at += 128) {
    const nameLength = directory.readUInt16LE(at + 0x40);
    const name = directory.toString('utf16le', at, at + Math.max(0, nameLength - 2));
    const type = directory[at + 0x42];
    const start = directory.readUInt32LE(at + 0x74);
    const size = directory.readUInt32LE(at + 0x78);
    if (type === 5) {
      rootStart = start;
      rootSize = size;
    } else if (type === 2 && found === null && names.includes(name)) found = { start, size };
  }
  if (!found) return null;
  if (found.size >= miniStreamCutoff) return readChain(found.start, found.size);
  const miniStream = readChain(rootStart, rootSize);
  const miniFatBytes = readChain(firstMiniFatSector, Number.MAX_SAFE_INTEGER);
  const miniFat: number[] = [];
  for (let i = 0; i + 4 <= miniFatBytes.length; i += 4) miniFat.push(miniFatBytes.readUInt32LE(i));
  const parts = chain(found.start, miniFat).map((sector) => miniStream.subarray(sector * miniSectorSize, (sector + 1) * miniSectorSize));
  return Buffer.concat(parts).subarray(0, found.size);
}

interface BiffRecord {
  type: number;
  data: Buffer;
  /** The CONTINUE records that follow, each kept apart: a string split across them restarts its flags byte. */
  continues: Buffer[];
}

function* records(stream: Buffer): Generator<BiffRecord & { offset: number }> {
  let at = 0;
  let pending: (BiffRecord & { offset: number }) | null = null;
  while (at + 4 <= stream.length) {
    const type = stream.readUInt16LE(at);
    const length = stream.readUInt16LE(at + 2);
    const data = stream.subarray(at + 4, at + 4 + length);
    if (type === 0x003c && pending) pending.continues.push(data);
    else {
      if (pending) yield pending;
      pending = { type, data, continues: [], offset: at };
    }
    at += 4 + length;
  }
  if (pending) yield pending;
}

/** Reads BIFF8 strings across a record and its CONTINUE records. */
class StringReader {
  private segment = 0;
  private at = 0;
  constructor(private readonly segments: Buffer[]) {}

  private current(): Buffer {
    let buffer = this.segments[this.segment];
    while (buffer && this.at >= buffer.length && this.segment < this.segments.length - 1) {
      this.segment++;
      this.at = 0;
      buffer = this.segments[this.segment];
    }
    if (!buffer) throw new TabularFileError('the Excel 97-2003 file has a string table cut short');
    return buffer;
  }

  byte(): number {
    const buffer = this.current();
    if (this.at >= buffer.length) throw new TabularFileError('the Excel 97-2003 file has a string table cut short');
    return buffer[this.at++] ?? 0;
  }

  uint16(): number {
    return this.byte() | (this.byte() << 8);
  }

  uint32(): number {
    return (this.uint16() | (this.uint16() << 16)) >>> 0;
  }

  skip(count: number): void {
    for (let left = count; left > 0;) {
      const buffer = this.current();
      const step = Math.min(left, buffer.length - this.at);
      if (step <= 0) throw new TabularFileError('the Excel 97-2003 file has a string table cut short');
      this.at += step;
      left -= step;
    }
  }

  /** A string of `count` characters; when it runs into the next CONTINUE record, that record restarts with a flags byte. */
  characters(count: number, wide: boolean): string {
    let text = '';
    let left = count;
    let isWide = wide;
    while (left > 0) {
      let buffer = this.current();
      if (this.at >= buffer.length) {
        this.segment++;
        this.at = 0;
        buffer = this.current();
        isWide = (this.byte() & 1) === 1;
      }
      const available = Math.floor((buffer.length - this.at) / (isWide ? 2 : 1));
      const take = Math.min(left, available);
      if (take === 0 && this.segment >= this.segments.length - 1)
        throw new TabularFileError('the Excel 97-2003 file has a string cut short');
      text += isWide ? buffer.toString('utf16le', this.at, this.at + take * 2) : buffer.toString('latin1', this.at, this.at + take);
      this.at += take * (isWide ? 2 : 1);
      left -= take;
      if (left > 0) {
        this.segment++;
        this.at = 0;
        isWide = (this.byte() & 1) === 1;
      }
    }
    return text;
  }

  /** An XLUnicodeRichExtendedString ([MS-XLS] 2.5.293): the form of strings in the shared string table. */
  richString(): string {
    const count = this.uint16();
    const flags = this.byte();
    const runs = flags & 0x08 ? this.uint16() : 0;
    const extended = flags & 0x04 ? this.uint32() : 0;
    const text = this.characters(count, (flags & 1) === 1);
    this.skip(runs * 4 + extended);
    return text;
  }
}

/** An XLUnicodeString in one record: 16-bit count, flags, characters. */
function unicodeString(data: Buffer, at: number): string {
  const count = data.readUInt16LE(at);
  const wide = ((data[at + 2] ?? 0) & 1) === 1;
  const start = at + 3;
  return wide ? data.toString('utf16le', start, start + count * 2) : data.toString('latin1', start, start + count);
}

function decodeRk(rk: number): number {
  let value: number;
  if (rk & 0x02) value = rk >> 2;
  else {
    const buffer = Buffer.alloc(8);
    buffer.writeUInt32LE((rk & 0xfffffffc) >>> 0, 4);
    value = buffer.readDoubleLE(0);
  }
  return rk & 0x01 ? value / 100 : value;
}

interface WorkbookGlobals {
  sheets: (TabularSheet & { offset: number })[];
  strings: string[];
  dateXf: boolean[];
  date1904: boolean;
}

function readGlobals(stream: Buffer): WorkbookGlobals {
  const globals: WorkbookGlobals = { sheets: [], strings: [], dateXf: [], date1904: false };
  const formats = new Map<number, string>();
  const xfFormats: number[] = [];
  let first = true;
  for (const record of records(stream)) {
    const { type, data } = record;
    if (first) {
      if (type !== 0x0809) throw new TabularFileError('the file is not an Excel workbook (no BIFF start record)');
      if (data.readUInt16LE(0) !== 0x0600) throw new TabularFileError('the workbook is in the Excel 5/95 format; save it as XLSX or CSV');
      first = false;
      continue;
    }
    if (type === 0x000a) break;
    if (type === 0x002f) throw new TabularFileError('the workbook is encrypted or password-protected; save an unprotected copy');
    if (type === 0x0085) {
      const count = data[6] ?? 0;
      const wide = ((data[7] ?? 0) & 1) === 1;
      const name = wide ? data.toString('utf16le', 8, 8 + count * 2) : data.toString('latin1', 8, 8 + count);
      // Sheet type 0 is a worksheet; charts and macro sheets hold no table.
      if ((data[5] ?? 0) === 0) globals.sheets.push({ name, hidden: (data[4] ?? 0) !== 0, offset: data.readUInt32LE(0) });
    } else if (type === 0x00fc) {
      const reader = new StringReader([data.subarray(8), ...record.continues]);
      const unique = data.readUInt32LE(4);
      for (let i = 0; i < unique; i++) globals.strings.push(reader.richString());
    } else if (type === 0x041e) {
      formats.set(data.readUInt16LE(0), unicodeString(data, 2));
    } else if (type === 0x00e0) {
      xfFormats.push(data.readUInt16LE(2));
    } else if (type === 0x0022) {
      globals.date1904 = data.readUInt16LE(0) === 1;
    }
  }
  globals.dateXf = xfFormats.map((id) => isDateFormat(id, formats.get(id)));
  return globals;
}

function readSheet(stream: Buffer, offset: number, globals: WorkbookGlobals): TabularRow[] {
  const rows = new Map<number, string[]>();
  const put = (row: number, column: number, text: string): void => {
    if (text === '' || column >= MAX_COLUMNS) return;
    let cells = rows.get(row);
    if (!cells) rows.set(row, (cells = []));
    while (cells.length < column) cells.push('');
    cells[column] = text;
  };
  const numberText = (xf: number, value: number): string =>
    globals.dateXf[xf] ? formatSerialDate(value, globals.date1904) : formatNumber(value);
  let formulaCell: { row: number; column: number } | null = null;
  for (const record of records(stream.subarray(offset))) {
    const { type, data } = record;
    if (type === 0x000a) break;
    if (type === 0x00fd) put(data.readUInt16LE(0), data.readUInt16LE(2), globals.strings[data.readUInt32LE(6)] ?? '');
    else if (type === 0x0203) put(data.readUInt16LE(0), data.readUInt16LE(2), numberText(data.readUInt16LE(4), data.readDoubleLE(6)));
    else if (type === 0x027e)
      put(data.readUInt16LE(0), data.readUInt16LE(2), numberText(data.readUInt16LE(4), decodeRk(data.readUInt32LE(6))));
    else if (type === 0x00bd) {
      const row = data.readUInt16LE(0);
      const firstColumn = data.readUInt16LE(2);
      const count = (data.length - 6) / 6;
      for (let i = 0; i < count; i++)
        put(row, firstColumn + i, numberText(data.readUInt16LE(4 + i * 6), decodeRk(data.readUInt32LE(6 + i * 6))));
    } else if (type === 0x0204) put(data.readUInt16LE(0), data.readUInt16LE(2), unicodeString(data, 6));
    else if (type === 0x0205) {
      if (data[7] === 0) put(data.readUInt16LE(0), data.readUInt16LE(2), data[6] ? 'TRUE' : 'FALSE');
    } else if (type === 0x0006) {
      const row = data.readUInt16LE(0);
      const column = data.readUInt16LE(2);
      if (data.readUInt16LE(12) !== 0xffff) put(row, column, numberText(data.readUInt16LE(4), data.readDoubleLE(6)));
      else if (data[6] === 0) formulaCell = { row, column };
      else if (data[6] === 1) put(row, column, data[8] ? 'TRUE' : 'FALSE');
    } else if (type === 0x0207 && formulaCell) {
      put(formulaCell.row, formulaCell.column, readStringRecord(data, record.continues));
      formulaCell = null;
    }
  }
  return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([row, cells]) => ({ cells, line: row + 1 }));
}

/** The text of a STRING record (a formula's string result), which may run into CONTINUE records. */
function readStringRecord(data: Buffer, continues: Buffer[]): string {
  const reader = new StringReader([data, ...continues]);
  const count = reader.uint16();
  const wide = (reader.byte() & 1) === 1;
  return reader.characters(count, wide);
}

/** Opens an Excel 97-2003 workbook. */
export function openXls(bytes: Buffer): TabularWorkbook {
  const stream = readCompoundFileStream(bytes, ['Workbook', 'Book']);
  if (!stream)
    throw new TabularFileError('the file is a Microsoft Office compound file but holds no Excel workbook (is it a Word document?)');
  const globals = readGlobals(stream);
  if (globals.sheets.length === 0) throw new TabularFileError('the Excel workbook holds no worksheet');
  return {
    kind: 'xls',
    sheets: globals.sheets.map(({ name, hidden }) => ({ name, hidden })),
    rows: (index) => {
      const sheet = globals.sheets[index];
      if (!sheet) throw new TabularFileError(`the workbook has no sheet ${index + 1}`);
      const rows = readSheet(stream, sheet.offset, globals);
      return {
        [Symbol.asyncIterator]: async function* () {
          for (let at = 0; at < rows.length; at += 1000) {
            await Promise.resolve();
            yield rows.slice(at, at + 1000);
          }
        },
      };
    },
  };
}
