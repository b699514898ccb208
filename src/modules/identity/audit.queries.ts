import type { Kysely } from 'kysely';
import type { AuditEventRow } from '../../platform/audit.js';
import type { IdentityTables } from './identity.tables.js';

/** The audit trail's reading query (every module writes it through src/platform/audit.ts). */
export function createAuditQueries(db: Kysely<IdentityTables>) {
  return {
    /** A page of audit events, newest first, for one organisation or (null) for all. */
    async listAuditEvents(
      organisationId: number | null,
      page: { offset: number; limit: number },
    ): Promise<{ total: number; rows: (AuditEventRow & { actor_email: string | null })[] }> {
      const base = db
        .selectFrom('audit_events')
        .$if(organisationId !== null, (query) => query.where('audit_events.organisation_id', '=', organisationId));
      const [count, rows] = await Promise.all([
        base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
        base
          .leftJoin('users', 'users.id', 'audit_events.actor_user_id')
          .selectAll('audit_events')
          .select('users.email as actor_email')
          .orderBy('audit_events.id', 'desc')
          .offset(page.offset)
          .limit(page.limit)
          .execute(),
      ]);
      return { total: count.count, rows };
    },
  };
}
