import type { Kysely } from 'kysely';
import type { ReturnCounts } from './workforce.categories.js';
import type { StoredContribution, WorkforceTables } from './workforce.tables.js';

/** The queries on returns: workforce leads, returns and their versions, and publications. Over 80 lines as a list of queries, each its own short function. */
export function createReturnsQueries(db: Kysely<WorkforceTables>) {
  return {
    // ---- Workforce leads ----
    isWorkforceLead: async (organisationId: number, userId: number) =>
      (await db
        .selectFrom('workforce_leads')
        .select('user_id')
        .where('organisation_id', '=', organisationId)
        .where('user_id', '=', userId)
        .executeTakeFirst()) !== undefined,

    listLeadUserIds: async (organisationId: number) =>
      (await db.selectFrom('workforce_leads').select('user_id').where('organisation_id', '=', organisationId).execute()).map(
        (row) => row.user_id,
      ),

    addLead: (organisationId: number, userId: number, designatedBy: number | null) =>
      db
        .insertInto('workforce_leads')
        .values({ organisation_id: organisationId, user_id: userId, designated_by: designatedBy })
        .onConflict((conflict) => conflict.columns(['organisation_id', 'user_id']).doNothing())
        .execute(),

    removeLead: (organisationId: number, userId: number) =>
      db.deleteFrom('workforce_leads').where('organisation_id', '=', organisationId).where('user_id', '=', userId).execute(),

    // ---- Returns ----
    findReturn: (organisationId: number, year: number) =>
      db
        .selectFrom('workforce_returns')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('year', '=', year)
        .executeTakeFirst(),

    listReturnVersions: (returnId: number) =>
      db.selectFrom('workforce_return_versions').selectAll().where('return_id', '=', returnId).orderBy('version', 'desc').execute(),

    listOrganisationReturns: (organisationId: number) =>
      db.selectFrom('workforce_returns').selectAll().where('organisation_id', '=', organisationId).orderBy('year', 'desc').execute(),

    insertReturn: async (values: { organisation_id: number; year: number; synthetic: boolean }) =>
      (
        await db
          .insertInto('workforce_returns')
          .values({ ...values, current_version: 1 })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,

    setCurrentVersion: (returnId: number, version: number, updatedAt: Date) =>
      db.updateTable('workforce_returns').set({ current_version: version, updated_at: updatedAt }).where('id', '=', returnId).execute(),

    insertReturnVersion: (values: {
      return_id: number;
      version: number;
      counts: ReturnCounts;
      source: 'form' | 'csv' | 'api' | 'synthetic';
      correction_reason: string;
      submitted_by: number | null;
    }) =>
      db
        .insertInto('workforce_return_versions')
        .values({ ...values, counts: JSON.stringify(values.counts) })
        .execute(),

    /** The current version of every return of a year: what a publication is made from. */
    listCurrentReturns: (year: number) =>
      db
        .selectFrom('workforce_returns as r')
        .innerJoin('workforce_return_versions as v', (join) =>
          join.onRef('v.return_id', '=', 'r.id').onRef('v.version', '=', 'r.current_version'),
        )
        .select(['r.organisation_id', 'r.current_version', 'r.synthetic', 'v.id as version_id', 'v.counts'])
        .where('r.year', '=', year)
        .orderBy('r.organisation_id')
        .execute(),

    listReturnYears: async () =>
      (await db.selectFrom('workforce_returns').select('year').distinct().orderBy('year', 'desc').execute()).map((row) => row.year),

    countReturns: async (year: number) =>
      (
        await db
          .selectFrom('workforce_returns')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('year', '=', year)
          .executeTakeFirstOrThrow()
      ).count,

    // ---- Publications ----
    insertPublication: async (values: {
      year: number;
      contributions: StoredContribution[];
      figures: Record<string, Record<string, number | null>>;
      notes: Record<string, { primary: number; secondary: number }>;
    }) =>
      (
        await db
          .insertInto('workforce_publications')
          .values({
            year: values.year,
            contributions: JSON.stringify(values.contributions),
            figures: JSON.stringify(values.figures),
            notes: JSON.stringify(values.notes),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,

    listPublications: (year: number) =>
      db.selectFrom('workforce_publications').selectAll().where('year', '=', year).orderBy('id').execute(),

    findLatestPublication: (year: number) =>
      db.selectFrom('workforce_publications').selectAll().where('year', '=', year).orderBy('id', 'desc').limit(1).executeTakeFirst(),

    listPublishedYears: async () =>
      (await db.selectFrom('workforce_publications').select('year').distinct().orderBy('year').execute()).map((row) => row.year),
  };
}
