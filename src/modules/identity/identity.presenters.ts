import type { CsvColumn } from '../../platform/http/lists.js';
import type { OutboxMessage } from '../../platform/mail.js';

/** An audit event as the trail lists it. */
export interface AuditEventListRow {
  id: number;
  occurred_at: Date;
  actor_email: string | null;
  channel: string;
  action: string;
  subject_type: string;
  subject_id: string;
  organisation_id: number | null;
  before: unknown;
  after: unknown;
}

export const auditCsvColumns: CsvColumn<AuditEventListRow>[] = [
  { header: 'id', value: (event) => event.id },
  { header: 'occurred_at', value: (event) => event.occurred_at.toISOString() },
  { header: 'actor', value: (event) => event.actor_email },
  { header: 'channel', value: (event) => event.channel },
  { header: 'action', value: (event) => event.action },
  { header: 'subject_type', value: (event) => event.subject_type },
  { header: 'subject_id', value: (event) => event.subject_id },
  { header: 'organisation_id', value: (event) => event.organisation_id },
  { header: 'before', value: (event) => (event.before === null ? null : JSON.stringify(event.before)) },
  { header: 'after', value: (event) => (event.after === null ? null : JSON.stringify(event.after)) },
];

/** An audit event on the trail's page, its before and after as JSON text. */
export function presentAuditEvent<Row extends AuditEventListRow>(row: Row) {
  return {
    ...row,
    beforeText: row.before === null ? '' : JSON.stringify(row.before),
    afterText: row.after === null ? '' : JSON.stringify(row.after),
  };
}

/** An outbox message with its sign-in link as a path, so it works whichever address this development server is reached at. */
export function presentOutboxMessage<Message extends Pick<OutboxMessage, 'body'>>(message: Message) {
  return { ...message, link: /\/sign-in\/link\?\S+/.exec(message.body)?.[0] ?? null };
}
