import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/actor.js';
import { NotAllowedError, SignInRequiredError } from '../../platform/errors.js';

/** The signed-in person, or a sign-in-required error (pages redirect to sign in; the API answers 401). */
export function requireSignedIn(request: FastifyRequest): Actor {
  if (!request.actor) throw new SignInRequiredError('Sign in to do this');
  return request.actor;
}

/** A signed-in person who belongs to an organisation. */
export function requireOrganisationMember(request: FastifyRequest): Actor & { organisationId: number } {
  const actor = requireSignedIn(request);
  if (actor.organisationId === null)
    throw new NotAllowedError('You need to belong to an organisation to do this. Ask to join one from your account page.');
  return actor as Actor & { organisationId: number };
}

/** For API writes: a bearer token with the write scope (401 without one, 403 for a read-only token). */
export function requireApiWriter(request: FastifyRequest): Actor {
  const actor = request.actor;
  if (!actor || actor.via !== 'token')
    throw new SignInRequiredError('Send an API token with the write scope: Authorization: Bearer <token>');
  if (!actor.scopes.includes('write')) throw new NotAllowedError('This API token may only read; make one with the write scope');
  return actor;
}
