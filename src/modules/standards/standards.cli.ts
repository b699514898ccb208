import type { StandardsService } from './standards.service.js';

export const REMIND_ACTIONS_USAGE = `Usage: commons remind actions

Emails the owner of every overdue open action from a standards assessment (or, when the action has no owner's
address, the council's admins). Each action is reminded at most once a week, so it is safe to run daily.`;

/** `commons remind actions`: sends reminders for overdue actions and says how many. Returns the exit code. */
export async function runRemindActionsCommand(
  args: readonly string[],
  { standardsService, stdout }: { standardsService: Pick<StandardsService, 'remindOverdueActions'>; stdout: NodeJS.WritableStream },
): Promise<number> {
  if (args.includes('--help')) {
    stdout.write(`${REMIND_ACTIONS_USAGE}\n`);
    return 0;
  }
  if (args.length > 0) {
    stdout.write(`Unknown option ${args[0] ?? ''}\n\n${REMIND_ACTIONS_USAGE}\n`);
    return 2;
  }
  const reminded = await standardsService.remindOverdueActions();
  stdout.write(`Reminded owners of ${reminded} overdue ${reminded === 1 ? 'action' : 'actions'}.\n`);
  return 0;
}
