import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../platform/actor.js';
import { type AuditEvent, recordAuditEvent } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import type { Mailer } from '../../platform/mail.js';
import type { OrganisationsService } from '../organisations/index.js';
import { identityPolicy } from './identity.policy.js';
import type { IdentityRepository, IdentityTransaction, UserRow } from './identity.repository.js';
import type { IdentityTables } from './identity.tables.js';

export interface IdentitySettings {
  publicBaseUrl: string;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
}

/** What the identity module's services are built from, wired once in src/app/services.ts. */
export interface IdentityDependencies {
  identityRepository: IdentityRepository;
  transaction: IdentityTransaction;
  organisationsService: OrganisationsService;
  mailer: Mailer;
  clock: Clock;
  settings: IdentitySettings;
}

/** A secret's SHA-256, the only form in which links, sessions and tokens are stored. */
export function hashSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex');
}

/** A new random secret (a sign-in link, a session, an API token). */
export function newSecret(): string {
  return crypto.randomBytes(32).toString('base64url');
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Lower-cased, trimmed email address, or an input error saying what is wrong. */
export function normaliseEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (!email) throw new InputError('Enter your email address', [{ field: 'email', message: 'Enter your email address' }]);
  if (!EMAIL.test(email) || email.length > 254) {
    throw new InputError('Enter an email address in the correct format, like name@council.gov.uk', [
      { field: 'email', message: 'Enter an email address in the correct format, like name@council.gov.uk' },
    ]);
  }
  return email;
}

/** What the audit trail records of a person. */
export function publicUser(user: UserRow) {
  return { id: user.id, email: user.email, name: user.name, organisationId: user.organisation_id, role: user.role, status: user.status };
}

/** What the identity module's use cases share: the audit writer and the organisation-admin check. */
export function createIdentityCore({ identityRepository }: Pick<IdentityDependencies, 'identityRepository'>) {
  const audit = (trx: Kysely<IdentityTables>, actor: Actor | null, event: AuditEvent) => recordAuditEvent(trx, actor, event);

  async function requireOrganisationAdmin(actor: Actor, organisationId: number): Promise<void> {
    if (!identityPolicy.canManageMembers(actor, organisationId))
      throw new NotAllowedError('Only an admin of this organisation can manage its members');
    if (!(await identityRepository.findOrganisationById(organisationId))) throw new NotFoundError('No such organisation');
  }

  return { audit, requireOrganisationAdmin };
}

export type IdentityCore = ReturnType<typeof createIdentityCore>;
