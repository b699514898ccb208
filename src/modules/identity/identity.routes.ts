import type { FastifyInstance } from 'fastify';
import { registerAccountRoutes } from './account.routes.js';
import { registerApiTokenRoutes } from './api-tokens.routes.js';
import { registerAuditRoutes } from './audit.routes.js';
import { registerDevOutboxRoutes } from './dev-outbox.routes.js';
import type { IdentityRouteDependencies } from './identity.http.js';
import { registerJoiningRoutes } from './joining.routes.js';
import { registerMemberRoutes } from './members.routes.js';
import { registerSessionRoutes } from './sessions.routes.js';
import { registerSignInRoutes } from './sign-in.routes.js';

export { SESSION_COOKIE, type IdentityRouteDependencies } from './identity.http.js';
export { registerIdentityResolution } from './sessions.routes.js';

/** Sign-in, the account page, API tokens, organisation membership, the audit trail and the development outbox. */
export function registerIdentityRoutes(app: FastifyInstance, dependencies: IdentityRouteDependencies): void {
  registerSignInRoutes(app, dependencies);
  registerSessionRoutes(app, dependencies);
  registerAccountRoutes(app, dependencies);
  registerApiTokenRoutes(app, dependencies);
  registerJoiningRoutes(app, dependencies);
  registerMemberRoutes(app, dependencies);
  registerAuditRoutes(app, dependencies);
  registerDevOutboxRoutes(app, dependencies);
}
