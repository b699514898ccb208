/** `commons progress snapshot [--quarter YYYY-MM-DD]`: takes the quarter's snapshot of every target (the last ended quarter by default). */
import type { ProgressService } from './progress.service.js';

export const PROGRESS_USAGE = `Usage: commons progress snapshot [--quarter YYYY-MM-DD]

Snapshots every 2030 target for a quarter that has ended (by default the last one). A target already snapshotted
for that quarter keeps its snapshot; if today's records give a different figure, it is recorded as a correction and
shown as a note. Safe to run again.`;

export async function runProgressCommand(
  args: readonly string[],
  { progressService, write }: { progressService: ProgressService; write: (line: string) => void },
): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand !== 'snapshot') {
    write(PROGRESS_USAGE);
    return subcommand === undefined || subcommand === '--help' ? 0 : 2;
  }
  let quarter: string | undefined;
  for (let index = 0; index < rest.length; index += 1) {
    const argument = rest[index];
    if (argument === '--quarter') quarter = rest[++index];
    else if (argument?.startsWith('--quarter=')) quarter = argument.slice('--quarter='.length);
    else {
      write(`Unknown option: ${argument ?? ''}\n\n${PROGRESS_USAGE}`);
      return 2;
    }
  }
  if (quarter !== undefined && !/^\d{4}-(03-31|06-30|09-30|12-31)$/.test(quarter)) {
    write('--quarter must be a quarter’s last day, for example 2026-09-30');
    return 2;
  }
  const result = await progressService.takeSnapshot(quarter);
  write(
    `Quarter ending ${result.quarterEnd}: ${result.taken} snapshot${result.taken === 1 ? '' : 's'} taken, ${result.corrections} correction${result.corrections === 1 ? '' : 's'} noted.`,
  );
  return 0;
}
