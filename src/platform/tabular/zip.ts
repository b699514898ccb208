import { createInflateRaw, inflateRawSync } from 'node:zlib';
import { TabularFileError } from './tabular-types.js';

/** One file inside a ZIP archive (XLSX and ODS are ZIP archives of XML files). */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export interface ZipArchive {
  bytes: Buffer;
  entries: Map<string, ZipEntry>;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
// A file inflated whole (shared strings, styles, the workbook) is never allowed past this: a guard against ZIP bombs.
const MAX_INFLATED_BYTES = 1024 * 1024 * 1024;

/** True when the bytes start like a ZIP archive. */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Reads a ZIP archive's central directory (the list of its files); the data stays in `bytes` until asked for. */
export function openZip(bytes: Buffer): ZipArchive {
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65_557); i--) {
    if (bytes.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
      end = i;
      break;
    }
  }
  if (end === -1)
    throw new TabularFileError(
      'the file starts like a ZIP archive (XLSX or ODS) but its table of contents is missing: it is cut short or damaged',
    );
  const count = bytes.readUInt16LE(end + 10);
  let offset = bytes.readUInt32LE(end + 16);
  if (offset === 0xffffffff || count === 0xffff) throw new TabularFileError('ZIP64 spreadsheets (over 4 GB) are not supported');
  const entries = new Map<string, ZipEntry>();
  for (let i = 0; i < count; i++) {
    if (offset + 46 > bytes.length || bytes.readUInt32LE(offset) !== CENTRAL_DIRECTORY_ENTRY)
      throw new TabularFileError('the ZIP archive (XLSX or ODS) has a damaged table of contents');
    const nameLength = bytes.readUInt16LE(offset + 28);
    const extraLength = bytes.readUInt16LE(offset + 30);
    const commentLength = bytes.readUInt16LE(offset + 32);
    const name = bytes.toString('utf8', offset + 46, offset + 46 + nameLength);
    entries.set(name, {
      name,
      method: bytes.readUInt16LE(offset + 10),
      compressedSize: bytes.readUInt32LE(offset + 20),
      uncompressedSize: bytes.readUInt32LE(offset + 24),
      localHeaderOffset: bytes.readUInt32LE(offset + 42),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return { bytes, entries };
}

function compressedData(zip: ZipArchive, entry: ZipEntry): Buffer {
  const at = entry.localHeaderOffset;
  if (at + 30 > zip.bytes.length || zip.bytes.readUInt32LE(at) !== LOCAL_FILE_HEADER)
    throw new TabularFileError(`the ZIP archive's part ${entry.name} is damaged`);
  const start = at + 30 + zip.bytes.readUInt16LE(at + 26) + zip.bytes.readUInt16LE(at + 28);
  if (entry.method !== 0 && entry.method !== 8)
    throw new TabularFileError(`the ZIP archive's part ${entry.name} uses compression method ${entry.method}, which is not supported`);
  return zip.bytes.subarray(start, start + entry.compressedSize);
}

/** The whole content of one file in the archive. */
export function readZipEntry(zip: ZipArchive, name: string): Buffer | null {
  const entry = zip.entries.get(name);
  if (!entry) return null;
  const data = compressedData(zip, entry);
  if (entry.method === 0) return data;
  try {
    return inflateRawSync(data, { maxOutputLength: MAX_INFLATED_BYTES });
  } catch (error) {
    throw new TabularFileError(`the ZIP archive's part ${name} cannot be decompressed: ${(error as Error).message}`);
  }
}

/** The content of one file in the archive as UTF-8 text, decompressed as it is read (memory stays flat). */
export async function* streamZipEntryText(zip: ZipArchive, name: string): AsyncGenerator<string> {
  const entry = zip.entries.get(name);
  if (!entry) throw new TabularFileError(`the archive has no part ${name}`);
  const data = compressedData(zip, entry);
  const decoder = new TextDecoder('utf-8');
  if (entry.method === 0) {
    yield decoder.decode(data);
    return;
  }
  const inflate = createInflateRaw({ chunkSize: 256 * 1024 });
  const slice = 1024 * 1024;
  // Feed the compressed bytes in slices as the inflater drains, so the decompressed text is never whole in memory.
  const feed = async (): Promise<void> => {
    for (let at = 0; at < data.length; at += slice) {
      if (inflate.destroyed) return;
      if (!inflate.write(data.subarray(at, at + slice))) {
        // Wait for room, or for the reader to stop early (a sample of the first rows), which closes the inflater.
        await new Promise<void>((resolve) => {
          const done = (): void => {
            inflate.off('drain', done);
            inflate.off('close', done);
            resolve();
          };
          inflate.on('drain', done);
          inflate.on('close', done);
        });
      }
    }
    if (!inflate.destroyed) inflate.end();
  };
  const feeding = feed().catch((error: unknown) => inflate.destroy(error as Error));
  try {
    for await (const chunk of inflate) yield decoder.decode(chunk as Buffer, { stream: true });
    yield decoder.decode();
  } catch (error) {
    throw new TabularFileError(`the ZIP archive's part ${name} cannot be decompressed: ${(error as Error).message}`);
  } finally {
    inflate.destroy();
    await feeding;
  }
}
