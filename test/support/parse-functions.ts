/** Parse functions that misbehave on purpose, for the tests of the bounded parser (they run in its worker). */

/** Never returns: a parse stuck in a loop. */
export function spinForever(): never {
  for (;;) {
    // Busy on purpose.
  }
}

/** Keeps allocating until the heap runs out: a parse whose output grows without bound. */
export function allocateForever(): never {
  const kept: number[][] = [];
  for (;;) kept.push(new Array<number>(1_000_000).fill(kept.length + 0.5));
}

/** Counts how many times it was called in this worker (to show workers are reused). */
let calls = 0;
export function countCalls(): number {
  return ++calls;
}

/** Throws an error that says where. */
export function throwWithLine(line: number): never {
  throw Object.assign(new Error('broken here'), { name: 'SyntaxError', line });
}
