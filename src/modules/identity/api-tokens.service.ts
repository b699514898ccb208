import type { Actor, TokenScope } from '../../platform/actor.js';
import { InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import { hashSecret, type IdentityCore, type IdentityDependencies, newSecret } from './identity.core.js';

/** A person's API tokens: made from the account page, kept only as hashes, revoked one at a time. */
export function createApiTokensService({ transaction, clock }: IdentityDependencies, { audit }: IdentityCore) {
  return {
    /** Creates an API token; its value is returned once and only its hash is kept. */
    async createApiToken(actor: Actor, input: { name: string; scopes: readonly TokenScope[] }): Promise<{ id: number; token: string }> {
      if (actor.via !== 'session') throw new NotAllowedError('API tokens are made from the account page, not with another token');
      const name = input.name.trim();
      const problems = [];
      if (!name || name.length > 100) problems.push({ field: 'name', message: 'Enter a name for the token, up to 100 characters' });
      if (input.scopes.length === 0) problems.push({ field: 'scopes', message: 'Choose what the token may do' });
      if (problems.length > 0) throw new InputError(problems.map((problem) => problem.message).join('. '), problems);
      const token = `ldc_${newSecret()}`;
      const scopes = [...new Set(input.scopes)];
      const created = await transaction(async (repository, trx) => {
        const row = await repository.insertApiToken({ user_id: actor.userId, name, token_hash: hashSecret(token), scopes });
        await audit(trx, actor, {
          action: 'api-token.create',
          subjectType: 'api-token',
          subjectId: row.id,
          organisationId: actor.organisationId,
          before: null,
          after: { name, scopes },
        });
        return row;
      });
      return { id: created.id, token };
    },

    /** Revokes one of the person's own API tokens. */
    async revokeApiToken(actor: Actor, tokenId: number): Promise<void> {
      await transaction(async (repository, trx) => {
        const revoked = await repository.revokeApiToken(tokenId, actor.userId, clock());
        if (!revoked) throw new NotFoundError('You have no such active token');
        await audit(trx, actor, {
          action: 'api-token.revoke',
          subjectType: 'api-token',
          subjectId: tokenId,
          organisationId: actor.organisationId,
          before: { name: revoked.name, revoked: false },
          after: { name: revoked.name, revoked: true },
        });
      });
    },
  };
}
