import { InputError } from '../../platform/errors.js';
import type { IdentityService } from './identity.service.js';

export const ADMIN_USAGE = `Usage: commons admin grant EMAIL

Makes the person with this email address a platform admin, creating their account if there is none. It runs only
on the server's own machine, with the database's configuration, so it is the way back in when no platform admin is
left. The change is recorded in the audit trail as made by the system.`;

/** `commons admin grant EMAIL`: makes a platform admin from the server's command line. Returns the exit code. */
export async function runAdminCommand(
  args: readonly string[],
  {
    identityService,
    stdout,
    stderr,
  }: { identityService: Pick<IdentityService, 'grantPlatformAdmin'>; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<number> {
  if (args.includes('--help')) {
    stdout.write(`${ADMIN_USAGE}\n`);
    return 0;
  }
  const [action, email, ...extra] = args;
  if (action !== 'grant' || email === undefined || extra.length > 0) {
    stderr.write(`${ADMIN_USAGE}\n`);
    return 2;
  }
  try {
    const { user, changed } = await identityService.grantPlatformAdmin(email);
    stdout.write(changed ? `${user.email} is now a platform admin.\n` : `${user.email} is already a platform admin.\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    stderr.write(`${error.message}\n`);
    return 2;
  }
}
