/** A spending file's original bytes, kept under their SHA-256 in the files directory, and read back for previews. */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InputError } from '../../platform/errors.js';
import { sniffTabularKind } from '../../platform/tabular/index.js';
import type { ImportSpendFileInput } from './spend-import.types.js';

/** Copies the original into the files directory while hashing it; the stored name is its SHA-256. */
export async function storeOriginal(
  input: Pick<ImportSpendFileInput, 'path' | 'stream'>,
  filesDirectory: string,
): Promise<{ sha256: string; byteSize: number; storedPath: string; absolutePath: string }> {
  const folder = path.join(filesDirectory, 'spend');
  await fs.mkdir(folder, { recursive: true, mode: 0o700 });
  const incoming = path.join(folder, `.incoming-${process.pid}-${randomBytes(6).toString('hex')}`);
  const hash = createHash('sha256');
  let byteSize = 0;
  const source = input.path ? createReadStream(input.path, { highWaterMark: 1 << 20 }) : input.stream;
  if (!source) throw new InputError('Give the spend file as a path or a stream');
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      byteSize += chunk.length;
      callback(null, chunk);
    },
  });
  const sink = createWriteStream(incoming, { mode: 0o600 });
  try {
    await pipeline(source, hashing, sink);
  } catch (error) {
    // The copy may still be opening when the source fails: wait until it is closed, or it would appear after the removal.
    if (!sink.closed) await new Promise<void>((resolve) => sink.once('close', () => resolve()));
    await fs.rm(incoming, { force: true });
    throw error;
  }
  const sha256 = hash.digest('hex');
  const absolutePath = path.join(folder, sha256);
  // Same content, same name: an earlier copy is identical, so replacing it is harmless.
  await fs.rename(incoming, absolutePath);
  return { sha256, byteSize, storedPath: path.posix.join('spend', sha256), absolutePath };
}

export async function readHead(file: string, bytes: number): Promise<Buffer> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** What a preview needs: a CSV's first 64 KB, or a whole spreadsheet (which cannot be read from its start alone). */
export async function readPreviewBytes(file: string): Promise<Buffer> {
  const head = await readHead(file, 64 * 1024);
  return sniffTabularKind(head) === 'text' ? head : fs.readFile(file);
}

/** How old a `.incoming-*` copy must be (untouched) to be taken for one left by a stopped process. */
const STALE_INCOMING_MS = 10 * 60_000;

/**
 * Removes `.incoming-*` copies that a stopped process left in the files directory (a kill during the copy): those
 * untouched for STALE_INCOMING_MS, since a copy in progress is written to all the time. Returns how many went.
 */
export async function removeStaleIncomingFiles(filesDirectory: string, now: number): Promise<number> {
  const folder = path.join(filesDirectory, 'spend');
  let names: string[];
  try {
    names = await fs.readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  let removed = 0;
  for (const name of names.filter((entry) => entry.startsWith('.incoming-'))) {
    const file = path.join(folder, name);
    const stat = await fs.stat(file).catch(() => null);
    if (stat === null || now - stat.mtimeMs < STALE_INCOMING_MS) continue;
    await fs.rm(file, { force: true });
    removed++;
  }
  return removed;
}
