import type { ChallengesService } from './challenges.service.js';

export const REMIND_CHALLENGES_USAGE = `Usage: commons remind challenges

Emails the owners of challenges nobody has updated for six months, asking them to confirm or close each one.
Each challenge is reminded once until it is updated again; safe to run daily.`;

/** `commons remind challenges`: sends keep-alive reminders and says how many went out. Returns the exit code. */
export async function runRemindChallengesCommand(
  args: readonly string[],
  { challengesService, stdout }: { challengesService: ChallengesService; stdout: NodeJS.WritableStream },
): Promise<number> {
  if (args.includes('--help')) {
    stdout.write(`${REMIND_CHALLENGES_USAGE}\n`);
    return 0;
  }
  const reminded = await challengesService.sendKeepAliveReminders();
  stdout.write(`Reminded the owners of ${reminded} stale challenge${reminded === 1 ? '' : 's'}.\n`);
  return 0;
}
