import { createHash } from 'node:crypto';

/**
 * A 12-character stand-in for a longer key (96 bits of its SHA-256), for sets that must remember one key per release
 * of a file of any size: two different keys share one with a chance below one in 10^16 for a million releases.
 */
export function compactKey(key: string): string {
  return createHash('sha256').update(key).digest().subarray(0, 12).toString('latin1');
}
