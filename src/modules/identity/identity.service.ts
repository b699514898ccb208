import { createAccountsService } from './accounts.service.js';
import { createApiTokensService } from './api-tokens.service.js';
import { createAuditTrailService } from './audit-trail.service.js';
import { createEmailDomainsService } from './email-domains.service.js';
import { createIdentityCore, type IdentityDependencies } from './identity.core.js';
import { createInvitationsService } from './invitations.service.js';
import { createJoinRequestsService } from './join-requests.service.js';
import { createMembershipService } from './membership.service.js';
import { createSessionsService } from './sessions.service.js';
import { createSignInService } from './sign-in.service.js';

/** Sign-in by email link, sessions, API tokens, membership of organisations, and the audit trail's reading side. */
export function createIdentityService(deps: IdentityDependencies) {
  const core = createIdentityCore(deps);
  return {
    ...createSignInService(deps, core),
    ...createSessionsService(deps, core),
    ...createAccountsService(deps, core),
    ...createApiTokensService(deps, core),
    ...createJoinRequestsService(deps, core),
    ...createInvitationsService(deps, core),
    ...createMembershipService(deps, core),
    ...createEmailDomainsService(deps, core),
    ...createAuditTrailService(deps),
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
