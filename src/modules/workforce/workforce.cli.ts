import type { MentoringService } from './mentoring.service.js';

export const REMIND_MENTORING_USAGE = `Usage: commons remind mentoring

Emails both people of each active mentoring pairing when its one-month and its three-month check-in are due,
with a link to check in, end the pairing or report a partner who does not answer. Each check-in is sent once;
safe to run daily.`;

/** `commons remind mentoring`: sends the check-ins that are due and says how many pairings were reminded. */
export async function runRemindMentoringCommand(
  args: readonly string[],
  { mentoringService, stdout }: { mentoringService: MentoringService; stdout: NodeJS.WritableStream },
): Promise<number> {
  if (args.includes('--help')) {
    stdout.write(`${REMIND_MENTORING_USAGE}\n`);
    return 0;
  }
  const reminded = await mentoringService.sendCheckInReminders();
  stdout.write(`Sent check-ins to ${reminded} mentoring pairing${reminded === 1 ? '' : 's'}.\n`);
  return 0;
}
