/**
 * Where each key was first seen, for primary, unique and foreign keys. Whole numbers from 0 up, the usual
 * identifiers, go to a typed array indexed by the number itself (no hashing, nothing allocated per row) while the
 * numbers stay dense enough to be worth it; every other key goes to a Map.
 */

/** The dense array may hold this many slots per key seen (plus a start): sparser numbers go to the Map. */
const SLOTS_PER_KEY = 8;
const INITIAL_SLOTS = 1 << 16;

export class KeyIndex {
  private dense = new Int32Array(0);
  private readonly other = new Map<unknown, number>();
  private count = 0;

  /** The row where the key was first seen, or 0 the first time (then it is remembered as seen at this row). */
  firstRowOrRemember(key: unknown, rowNumber: number): number {
    if (typeof key === 'number' && key >= 0 && Number.isInteger(key) && this.fitsDense(key)) {
      const first = this.dense[key] as number;
      if (first !== 0) return first;
      this.dense[key] = rowNumber;
      this.count++;
      return 0;
    }
    const first = this.other.get(key);
    if (first !== undefined) return first;
    this.other.set(key, rowNumber);
    this.count++;
    return 0;
  }

  /** Whether a key has been seen. */
  has(key: unknown): boolean {
    if (typeof key === 'number' && key >= 0 && Number.isInteger(key) && key < this.dense.length) return this.dense[key] !== 0;
    return this.other.has(key);
  }

  /** Makes room in the dense array for the number when it keeps the array dense enough; false: use the Map. */
  private fitsDense(key: number): boolean {
    if (key < this.dense.length) return true;
    const allowed = INITIAL_SLOTS + SLOTS_PER_KEY * this.count;
    if (key >= allowed || key >= 0x7fffffff) return false;
    let size = Math.max(INITIAL_SLOTS, this.dense.length);
    while (size <= key) size *= 2;
    const grown = new Int32Array(Math.min(size, allowed));
    grown.set(this.dense);
    this.dense = grown;
    // Keys the Map took earlier, before the array reached them, must stay findable there: has() and
    // firstRowOrRemember() look in the array only below its length, so move them in.
    for (const [other, row] of this.other)
      if (typeof other === 'number' && other >= 0 && Number.isInteger(other) && other < grown.length) {
        grown[other] = row;
        this.other.delete(other);
      }
    return key < grown.length;
  }
}
