import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runRemindActionsCommand } from './standards.cli.js';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('commons remind actions', () => {
  it('sends the reminders and says how many', async () => {
    const out = capture();
    let calls = 0;
    const code = await runRemindActionsCommand([], {
      standardsService: { remindOverdueActions: () => Promise.resolve(++calls * 3) },
      stdout: out.stream,
    });
    expect(code).toBe(0);
    expect(calls).toBe(1);
    expect(out.text()).toBe('Reminded owners of 3 overdue actions.\n');
  });

  it('explains itself, and refuses options it does not know', async () => {
    const help = capture();
    const service = { remindOverdueActions: () => Promise.reject(new Error('must not run')) };
    expect(await runRemindActionsCommand(['--help'], { standardsService: service, stdout: help.stream })).toBe(0);
    expect(help.text()).toContain('Usage: commons remind actions');
    const wrong = capture();
    expect(await runRemindActionsCommand(['--everything'], { standardsService: service, stdout: wrong.stream })).toBe(2);
    expect(wrong.text()).toContain('Unknown option --everything');
  });
});
