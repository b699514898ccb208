import { type Kysely, sql } from 'kysely';
import type { ChallengeTables, ComponentRelation, ResponseStatus } from './challenges.tables.js';
import type { ComponentLinkRow, ResponseRow, SharerListRow, SharerRow } from './challenges.repository.js';

/** The queries on who takes part: sharing councils, responses, linked components, collaborations and organisations. Over 80 lines as a list of queries, each its own short function. */
export function createParticipationQueries(db: Kysely<ChallengeTables>) {
  return {
    /** Adds a council to those sharing a challenge. */
    insertSharer: (values: Omit<SharerRow, 'id' | 'joined_at' | 'left_at'>) =>
      db.insertInto('challenge_sharers').values(values).returningAll().executeTakeFirstOrThrow(),

    /** The organisation's current share of a challenge, if it shares it. */
    findActiveSharer: (challengeId: number, organisationId: number) =>
      db
        .selectFrom('challenge_sharers')
        .selectAll()
        .where('challenge_id', '=', challengeId)
        .where('organisation_id', '=', organisationId)
        .where('left_at', 'is', null)
        .executeTakeFirst(),

    /** Marks a council as no longer sharing a challenge. */
    markSharerLeft: (id: number, now: Date) =>
      db.updateTable('challenge_sharers').set({ left_at: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),

    /** The councils currently sharing a challenge, with their tier, region and dates, owner first then by joining. */
    listSharers: (challengeId: number, ownerOrganisationId: number): Promise<SharerListRow[]> =>
      db
        .selectFrom('challenge_sharers')
        .innerJoin('organisation_directory', 'organisation_directory.id', 'challenge_sharers.organisation_id')
        .selectAll('challenge_sharers')
        .select([
          'organisation_directory.name as organisation_name',
          sql<string>`organisation_directory.code`.as('organisation_code'),
          'organisation_directory.council_type',
          'organisation_directory.council_type_name',
          'organisation_directory.region',
          'organisation_directory.start_date',
          'organisation_directory.end_date',
        ])
        .where('challenge_sharers.challenge_id', '=', challengeId)
        .where('challenge_sharers.left_at', 'is', null)
        .orderBy(sql`challenge_sharers.organisation_id = ${ownerOrganisationId} desc`)
        .orderBy('challenge_sharers.joined_at')
        .orderBy('challenge_sharers.id')
        .execute(),

    /**
     * Moves the supporters of a duplicate to the challenge it is merged into. A council that already shares the
     * target keeps its own entry there; its entry on the duplicate is closed, so no council counts twice.
     */
    async moveSharers(fromId: number, toId: number, now: Date): Promise<{ moved: number; alreadySharing: number }> {
      const moved = await db
        .updateTable('challenge_sharers')
        .set({ challenge_id: toId })
        .where('challenge_id', '=', fromId)
        .where('left_at', 'is', null)
        .where(
          'organisation_id',
          'not in',
          db.selectFrom('challenge_sharers').select('organisation_id').where('challenge_id', '=', toId).where('left_at', 'is', null),
        )
        .returning('id')
        .execute();
      const closed = await db
        .updateTable('challenge_sharers')
        .set({ left_at: now })
        .where('challenge_id', '=', fromId)
        .where('left_at', 'is', null)
        .returning('id')
        .execute();
      return { moved: moved.length, alreadySharing: closed.length };
    },

    /** Moves the supplier responses of a duplicate to the challenge it is merged into. */
    moveResponses: (fromId: number, toId: number) =>
      db.updateTable('challenge_responses').set({ challenge_id: toId }).where('challenge_id', '=', fromId).execute(),

    /** Adds a supplier's response, pending moderation. */
    insertResponse: (values: Omit<ResponseRow, 'id' | 'created_at' | 'status' | 'moderated_by' | 'moderated_at' | 'moderation_note'>) =>
      db.insertInto('challenge_responses').values(values).returningAll().executeTakeFirstOrThrow(),

    /** One supplier response. */
    findResponse: (id: number) => db.selectFrom('challenge_responses').selectAll().where('id', '=', id).executeTakeFirst(),

    /** Publishes or rejects a response. */
    moderateResponse: (id: number, values: { status: ResponseStatus; moderated_by: number; moderated_at: Date; moderation_note: string }) =>
      db.updateTable('challenge_responses').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),

    /** A challenge's supplier responses (optionally only published ones), oldest first, with the supplier's name. */
    listResponses: (challengeId: number, onlyPublished: boolean) =>
      db
        .selectFrom('challenge_responses')
        .innerJoin('organisation_directory', 'organisation_directory.id', 'challenge_responses.supplier_organisation_id')
        .selectAll('challenge_responses')
        .select('organisation_directory.name as supplier_name')
        .where('challenge_responses.challenge_id', '=', challengeId)
        .$if(onlyPublished, (query) => query.where('challenge_responses.status', '=', 'published'))
        .orderBy('challenge_responses.created_at')
        .orderBy('challenge_responses.id')
        .execute(),

    /** Links a component to a challenge, or changes how it is linked; returns the link before and after. */
    async upsertComponentLink(values: {
      challenge_id: number;
      component_slug: string;
      relation: ComponentRelation;
      note: string;
      added_by: number | null;
    }): Promise<{ before: ComponentLinkRow | undefined; after: ComponentLinkRow }> {
      const before = await db
        .selectFrom('challenge_components')
        .selectAll()
        .where('challenge_id', '=', values.challenge_id)
        .where('component_slug', '=', values.component_slug)
        .executeTakeFirst();
      const after = await db
        .insertInto('challenge_components')
        .values(values)
        .onConflict((oc) =>
          oc
            .columns(['challenge_id', 'component_slug'])
            .doUpdateSet({ relation: values.relation, note: values.note, added_by: values.added_by }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return { before, after };
    },

    /** The components linked to a challenge. */
    listComponentLinks: (challengeId: number) =>
      db
        .selectFrom('challenge_components')
        .selectAll()
        .where('challenge_id', '=', challengeId)
        .orderBy(sql`relation = 'solved-by' desc`)
        .orderBy('component_slug')
        .execute(),

    /** Records a collaboration proposal. */
    insertCollaboration: (values: {
      challenge_id: number;
      lead_organisation_id: number;
      partner_organisation_ids: number[];
      approach: 'build-together' | 'buy-together' | 'reuse-component';
      component_slug: string | null;
      summary: string;
      created_by: number | null;
    }) => db.insertInto('challenge_collaborations').values(values).returningAll().executeTakeFirstOrThrow(),

    /** A challenge's collaboration proposal, if it has one. */
    findCollaboration: (challengeId: number) =>
      db.selectFrom('challenge_collaborations').selectAll().where('challenge_id', '=', challengeId).executeTakeFirst(),

    /** One organisation's id, name, code, kind and end date. */
    findOrganisationById: (id: number) =>
      db
        .selectFrom('organisation_directory')
        .select(['id', 'name', 'kind', 'end_date', sql<string>`coalesce(gss_code, slug)`.as('code')])
        .where('id', '=', id)
        .executeTakeFirst(),

    /** Organisations by id (partners of a collaboration). */
    listOrganisationsByIds: (ids: readonly number[]) =>
      ids.length === 0
        ? Promise.resolve([])
        : db
            .selectFrom('organisation_directory')
            .select(['id', 'name', sql<string>`coalesce(gss_code, slug)`.as('code')])
            .where('id', 'in', ids)
            .orderBy('name')
            .execute(),
  };
}
