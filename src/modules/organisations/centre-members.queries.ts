import type { Kysely } from 'kysely';
import type { Actor } from '../../platform/actor.js';
import { type AuditEvent, type AuditTables, recordAuditEvent } from '../../platform/audit.js';
import type { OrganisationTables } from './organisations.tables.js';

/** The queries on regional centres' member councils. */
export function createCentreMembersQueries(db: Kysely<OrganisationTables>) {
  return {
    /** Member councils of regional centres (all centres, or the given ones), with their GSS codes. */
    async listCentreMembers(centreIds?: readonly number[]): Promise<{ centre_id: number; council_id: number; gss_code: string | null }[]> {
      if (centreIds && centreIds.length === 0) return [];
      return db
        .selectFrom('regional_centre_members')
        .innerJoin('organisations', 'organisations.id', 'regional_centre_members.council_id')
        .select(['regional_centre_members.centre_id', 'regional_centre_members.council_id', 'organisations.gss_code'])
        .$if(centreIds !== undefined, (query) => query.where('regional_centre_members.centre_id', 'in', centreIds ?? []))
        .orderBy('organisations.gss_code')
        .execute();
    },

    /**
     * Moves one council into a centre (or out of every centre, with null), with its audit event, in one transaction.
     */
    async setCentreMembership(
      councilId: number,
      centreId: number | null,
      joinedOn: string,
      audit: { actor: Actor; event: AuditEvent },
    ): Promise<void> {
      await db.transaction().execute(async (trx) => {
        if (centreId === null) await trx.deleteFrom('regional_centre_members').where('council_id', '=', councilId).execute();
        else
          await trx
            .insertInto('regional_centre_members')
            .values({ council_id: councilId, centre_id: centreId, joined_on: joinedOn })
            .onConflict((oc) => oc.column('council_id').doUpdateSet({ centre_id: centreId, joined_on: joinedOn }))
            .execute();
        await recordAuditEvent(trx as unknown as Kysely<AuditTables>, audit.actor, audit.event);
      });
    },

    /** Makes councils members of a centre, moving any that belonged to another centre (a council has at most one). */
    async assignCentreMembers(centreId: number, councilIds: readonly number[], joinedOn: string): Promise<void> {
      for (let start = 0; start < councilIds.length; start += 200) {
        await db
          .insertInto('regional_centre_members')
          .values(
            councilIds.slice(start, start + 200).map((councilId) => ({ council_id: councilId, centre_id: centreId, joined_on: joinedOn })),
          )
          .onConflict((oc) => oc.column('council_id').doUpdateSet((eb) => ({ centre_id: eb.ref('excluded.centre_id') })))
          .execute();
      }
    },
  };
}
