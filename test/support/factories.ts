import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/app/database-schema.js';
import { hashSecret } from '../../src/modules/identity/index.js';
import type { Role } from '../../src/platform/actor.js';

let sequence = 0;

/** A unique suffix for names and emails made by factories. */
export function unique(): string {
  sequence += 1;
  return `${process.pid}-${sequence}-${crypto.randomBytes(3).toString('hex')}`;
}

/** The id of an organisation in the register by GSS code or slug. */
export async function organisationId(db: Kysely<Database>, code: string): Promise<number> {
  const row = await db
    .selectFrom('organisations')
    .select('id')
    .where((eb) => eb.or([eb('gss_code', '=', code), eb('slug', '=', code)]))
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A person, inserted directly (no audit event: factories build the world a test starts from). */
export async function buildUser(
  db: Kysely<Database>,
  values: { organisationId: number | null; role?: Role; email?: string; name?: string; status?: 'active' | 'pending' },
): Promise<{ id: number; email: string }> {
  const email = values.email ?? `person-${unique()}@example.test`;
  return db
    .insertInto('users')
    .values({
      email,
      name: values.name ?? 'Test Person',
      organisation_id: values.organisationId,
      role: values.role ?? 'member',
      status: values.status ?? (values.organisationId === null ? 'pending' : 'active'),
    })
    .returning(['id', 'email'])
    .executeTakeFirstOrThrow();
}

/** A live session for a person; returns the cookie value to send. */
export async function startSession(db: Kysely<Database>, userId: number, now = new Date()): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  await db
    .insertInto('sessions')
    .values({
      token_hash: hashSecret(token),
      user_id: userId,
      expires_at: new Date(now.getTime() + 86_400_000),
      last_seen_at: now,
      user_agent: 'test',
      ip: '127.0.0.1',
    })
    .execute();
  return token;
}

/** An API token for a person with the given scopes; returns the bearer value. */
export async function buildApiToken(
  db: Kysely<Database>,
  userId: number,
  scopes: ('read' | 'write')[] = ['read', 'write'],
): Promise<string> {
  const token = `ldc_${crypto.randomBytes(32).toString('base64url')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: userId, name: `token ${unique()}`, token_hash: hashSecret(token), scopes })
    .execute();
  return token;
}

/** How many audit events exist; compare before and after a request. */
export async function countAuditEvents(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return row.count;
}

/** Audit events written after a given id, oldest first. */
export async function auditEventsAfter(db: Kysely<Database>, lastId: number) {
  return db.selectFrom('audit_events').selectAll().where('id', '>', lastId).orderBy('id').execute();
}

/** The newest audit event id (0 when none). */
export async function lastAuditEventId(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return row?.id ?? 0;
}
