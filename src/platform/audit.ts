import type { ColumnType, Generated, Insertable, Kysely, Selectable } from 'kysely';
import type { Actor } from './actor.js';

export interface AuditEventsTable {
  id: Generated<number>;
  occurred_at: ColumnType<Date, Date | undefined, never>;
  actor_user_id: number | null;
  actor_organisation_id: number | null;
  /** How the change was made: through the browser, the API, or a command on the server. */
  channel: 'web' | 'api' | 'system';
  action: string;
  subject_type: string;
  subject_id: string;
  /** The organisation the changed record belongs to, so its admins can see the event. */
  organisation_id: number | null;
  before: ColumnType<unknown, string | null, never>;
  after: ColumnType<unknown, string | null, never>;
}

export interface AuditTables {
  audit_events: AuditEventsTable;
}

export type AuditEventRow = Selectable<AuditEventsTable>;

export interface AuditEvent {
  action: string;
  subjectType: string;
  subjectId: string | number;
  organisationId: number | null;
  before: unknown;
  after: unknown;
}

/**
 * Appends one audit event in the caller's transaction, so the event exists exactly when the change does.
 * The table refuses updates and deletes (a trigger), so the trail is append-only.
 */
export async function recordAuditEvent<Schema extends AuditTables>(
  trx: Kysely<Schema>,
  actor: Actor | null,
  event: AuditEvent,
): Promise<void> {
  const row: Insertable<AuditEventsTable> = {
    actor_user_id: actor?.userId ?? null,
    actor_organisation_id: actor?.organisationId ?? null,
    channel: actor === null ? 'system' : actor.via === 'token' ? 'api' : 'web',
    action: event.action,
    subject_type: event.subjectType,
    subject_id: String(event.subjectId),
    organisation_id: event.organisationId,
    before: event.before === null || event.before === undefined ? null : JSON.stringify(event.before),
    after: event.after === null || event.after === undefined ? null : JSON.stringify(event.after),
  };
  // Any module's schema includes the audit table (the type parameter says so); Kysely needs the exact schema type.
  await (trx as unknown as Kysely<AuditTables>).insertInto('audit_events').values(row).execute();
}
