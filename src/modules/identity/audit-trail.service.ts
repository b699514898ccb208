import type { Actor } from '../../platform/actor.js';
import { NotAllowedError } from '../../platform/errors.js';
import type { IdentityDependencies } from './identity.core.js';
import { identityPolicy } from './identity.policy.js';

/** The audit trail's reading side. */
export function createAuditTrailService({ identityRepository }: IdentityDependencies) {
  return {
    /** A page of the audit trail: an organisation admin's own organisation, or everything for platform admins. */
    async listAuditEvents(actor: Actor, query: { organisationId: number | null; page: number; pageSize: number }) {
      if (!identityPolicy.canReadAudit(actor, query.organisationId)) throw new NotAllowedError('You cannot read this audit trail');
      return identityRepository.listAuditEvents(query.organisationId, { offset: (query.page - 1) * query.pageSize, limit: query.pageSize });
    },
  };
}
