import { afterAll, describe, expect, it } from 'vitest';
import { createBoundedParser, ParseBudgetError, WorkerParseError } from './bounded-parser.js';

const functions = new URL('../../../test/support/parse-functions.ts', import.meta.url).href;

describe('the bounded parser', () => {
  const parser = createBoundedParser({ timeLimitMs: 3_000, memoryLimitMb: 64 });
  afterAll(() => parser.close());

  it('parses JSON and YAML in a worker', async () => {
    expect(await parser.parseJson('\uFEFF{"a": [1, 2]}')).toEqual({ a: [1, 2] });
    expect(await parser.parseYaml('name: x\nlist:\n  - 1\n')).toEqual({ name: 'x', list: [1] });
  });

  it('refuses a YAML alias bomb, and says where a YAML or JSON error is', async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let level = 1; level < 10; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    await expect(parser.parseYaml(levels.join('\n'))).rejects.toThrow(/alias/i);
    const broken = await parser.parseYaml('a: [1,\nb: 2\n  c: :').catch((error: unknown) => error);
    expect(broken).toBeInstanceOf(WorkerParseError);
    expect((broken as WorkerParseError).details.line).toEqual(expect.any(Number));
    await expect(parser.parseJson('{"a": }')).rejects.toBeInstanceOf(WorkerParseError);
  });

  it('stops a parse that runs past its time, while this thread goes on answering', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const error = await parser.run(functions, 'spinForever', []).catch((caught: unknown) => caught);
    clearInterval(ticker);
    expect(error).toBeInstanceOf(ParseBudgetError);
    expect((error as ParseBudgetError).exceeded).toBe('time');
    // The loop ran in the worker: this thread's timers kept firing throughout.
    expect(ticks).toBeGreaterThan(10);
  });

  it('stops a parse that runs past its memory', async () => {
    const error = await parser.run(functions, 'allocateForever', []).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ParseBudgetError);
    expect((error as ParseBudgetError).exceeded).toBe('memory');
  });

  it('carries the error a parse function throws, with its location, and reuses the worker after it', async () => {
    const error = await parser.run(functions, 'throwWithLine', [42]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WorkerParseError);
    expect(error).toMatchObject({ name: 'SyntaxError', message: 'broken here', details: { line: 42 } });
    const first = await parser.run<number>(functions, 'countCalls', []);
    expect(await parser.run<number>(functions, 'countCalls', [])).toBe(first + 1);
  });
});
