import { isAscii } from 'node:buffer';
import type * as IconvLite from 'iconv-lite';
import { lazyRequire } from '../../../platform/lazy-require.js';

import { SpendFileError } from './spend-types.js';

/** iconv-lite, loaded when a file first needs Windows-1252 (it takes a tenth of a second to load). */
const requireIconv = lazyRequire<typeof IconvLite>(import.meta.url, 'iconv-lite');

export type SpendEncoding = 'utf-8' | 'windows-1252';

/** Where the first byte that is not valid UTF-8 is, ignoring a sequence cut off by the end of the buffer; -1 if none. */
export function findInvalidUtf8(bytes: Uint8Array, from = 0): number {
  const n = bytes.length;
  let i = from;
  while (i < n) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need >= n) {
      // Truncated at the end: check the bytes we have.
      for (let k = i + 1; k < n; k++) if (((bytes[k] ?? 0) & 0xc0) !== 0x80) return i;
      return -1;
    }
    let codePoint = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const next = bytes[i + k] ?? 0;
      if ((next & 0xc0) !== 0x80) return i;
      codePoint = (codePoint << 6) | (next & 0x3f);
    }
    if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function hasHighByte(bytes: Uint8Array): boolean {
  return !isAscii(bytes);
}

/** ASCII bytes as a string: the same text in UTF-8 and Windows-1252, and several times faster to make than by TextDecoder. */
function asciiText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/**
 * Decodes a byte stream as UTF-8 or Windows-1252, deciding on the evidence.
 *
 * Councils' files are usually pure ASCII for megabytes before the first "é" or
 * "£", so a decision on the first chunk alone is often a guess: while every byte
 * so far is ASCII (identical in both encodings) the decoder stays undecided and
 * settles on the first non-ASCII byte — UTF-8 if it starts a valid sequence,
 * Windows-1252 otherwise. `onSettled` reports the decision.
 */
export class AdaptiveDecoder {
  encoding: SpendEncoding;
  settled: boolean;
  private readonly utf8 = new TextDecoder('utf-8');
  private invalidUtf8Seen = false;
  /** True when the UTF-8 decoder may hold the start of a sequence cut off by the end of the last chunk. */
  private utf8Pending = false;

  constructor(
    initial: SpendEncoding,
    settled: boolean,
    private readonly onSettled: (encoding: SpendEncoding, afterAscii: boolean) => void = () => undefined,
    private readonly onInvalidUtf8: () => void = () => undefined,
  ) {
    this.encoding = initial;
    this.settled = settled;
  }

  /** Decodes the next chunk (streaming: a UTF-8 sequence split across chunks is kept). */
  decode(bytes: Uint8Array): string {
    if (!this.settled) {
      if (!hasHighByte(bytes)) return asciiText(bytes);
      this.encoding = findInvalidUtf8(bytes) === -1 ? 'utf-8' : 'windows-1252';
      this.settled = true;
      this.onSettled(this.encoding, true);
    }
    if (this.encoding === 'windows-1252')
      return requireIconv().decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'win1252');
    if (!this.utf8Pending && isAscii(bytes)) return asciiText(bytes);
    const text = this.utf8.decode(bytes, { stream: true });
    this.utf8Pending = bytes.length > 0 && (bytes[bytes.length - 1] ?? 0) >= 0x80;
    if (!this.invalidUtf8Seen && text.includes('\ufffd') && findInvalidUtf8(bytes) !== -1) {
      this.invalidUtf8Seen = true;
      this.onInvalidUtf8();
    }
    return text;
  }

  /** Flushes a UTF-8 sequence left incomplete at end of input. */
  end(): string {
    return this.settled && this.encoding === 'utf-8' ? this.utf8.decode() : '';
  }
}

export interface EncodingGuess {
  encoding: SpendEncoding;
  bom: boolean;
  /** False while the sample is pure ASCII: the decoder decides later. */
  settled: boolean;
}

/** Detects a BOM and the encoding of a file's first bytes (UTF-16 is refused). */
export function detectEncoding(sample: Uint8Array): EncodingGuess {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', bom: true, settled: true };
  if ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff)) {
    throw new SpendFileError('file is UTF-16; save it as UTF-8 or Windows-1252 CSV');
  }
  if (!hasHighByte(sample)) return { encoding: 'utf-8', bom: false, settled: false };
  return { encoding: findInvalidUtf8(sample) === -1 ? 'utf-8' : 'windows-1252', bom: false, settled: true };
}
