import type { Actor } from '../../platform/actor.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import type { IdentityCore, IdentityDependencies } from './identity.core.js';
import { identityPolicy } from './identity.policy.js';

/** Verified email domains: people signing in with one join its organisation at once. */
export function createEmailDomainsService({ identityRepository, transaction }: IdentityDependencies, { audit }: IdentityCore) {
  async function recordEmailDomain(actor: Actor | null, organisationId: number, domain: string): Promise<void> {
    await transaction(async (repository, trx) => {
      const row = await repository.insertEmailDomain(organisationId, domain);
      await audit(trx, actor, {
        action: 'email-domain.create',
        subjectType: 'email-domain',
        subjectId: row.id,
        organisationId,
        before: null,
        after: { domain },
      });
    });
  }

  return {
    /** Records that an organisation owns an email domain (platform admins only), so its people join it on sign-in. */
    async addEmailDomain(actor: Actor, organisationId: number, rawDomain: string): Promise<void> {
      if (!identityPolicy.canManageDomains(actor)) throw new NotAllowedError('Only platform admins can verify email domains');
      const domain = rawDomain.trim().toLowerCase().replace(/^@/, '');
      if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain))
        throw new InputError('Enter a domain like oxford.gov.uk', [{ field: 'domain', message: 'Enter a domain like oxford.gov.uk' }]);
      if (await identityRepository.findEmailDomain(domain)) throw new ConflictError(`${domain} is already verified for an organisation`);
      await recordEmailDomain(actor, organisationId, domain);
    },

    /** Removes a verified email domain (platform admins only). */
    async removeEmailDomain(actor: Actor, domainId: number): Promise<void> {
      if (!identityPolicy.canManageDomains(actor)) throw new NotAllowedError('Only platform admins can remove email domains');
      await transaction(async (repository, trx) => {
        const removed = await repository.deleteEmailDomain(domainId);
        if (!removed) throw new NotFoundError('No such domain');
        await audit(trx, actor, {
          action: 'email-domain.delete',
          subjectType: 'email-domain',
          subjectId: domainId,
          organisationId: removed.organisation_id,
          before: { domain: removed.domain },
          after: null,
        });
      });
    },

    /** Seeds a verified domain directly (demo content), unless present. */
    async ensureEmailDomain(organisationId: number, domain: string): Promise<void> {
      if (await identityRepository.findEmailDomain(domain)) return;
      await recordEmailDomain(null, organisationId, domain);
    },
  };
}
