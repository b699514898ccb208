import type { Kysely } from 'kysely';
import type { IdentityTables } from './identity.tables.js';

/** The queries on joining an organisation: requests to join and invitations. Over 80 lines as a list of queries, each its own short function. */
export function createJoiningQueries(db: Kysely<IdentityTables>) {
  return {
    /** Records a request to join an organisation. */
    insertJoinRequest: (values: { user_id: number; organisation_id: number; message: string | null }) =>
      db.insertInto('join_requests').values(values).returningAll().executeTakeFirstOrThrow(),

    /** A person's pending request to join, if any, with the organisation's name. */
    findPendingJoinRequest: (userId: number) =>
      db
        .selectFrom('join_requests')
        .innerJoin('organisation_directory', 'organisation_directory.id', 'join_requests.organisation_id')
        .selectAll('join_requests')
        .select('organisation_directory.name as organisation_name')
        .where('user_id', '=', userId)
        .where('status', '=', 'pending')
        .executeTakeFirst(),

    /** One join request. */
    findJoinRequest: (id: number) => db.selectFrom('join_requests').selectAll().where('id', '=', id).executeTakeFirst(),

    /** Pending requests to join one organisation. */
    listPendingJoinRequests: (organisationId: number) =>
      db
        .selectFrom('join_requests')
        .innerJoin('users', 'users.id', 'join_requests.user_id')
        .select([
          'join_requests.id',
          'join_requests.message',
          'join_requests.created_at',
          'users.email',
          'users.name',
          'users.id as user_id',
        ])
        .where('join_requests.organisation_id', '=', organisationId)
        .where('join_requests.status', '=', 'pending')
        .orderBy('join_requests.created_at')
        .execute(),

    /** Approves or refuses a pending join request; nothing if it was no longer pending. */
    decideJoinRequest: (id: number, status: 'approved' | 'refused', decidedBy: number, now: Date) =>
      db
        .updateTable('join_requests')
        .set({ status, decided_by: decidedBy, decided_at: now })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .returningAll()
        .executeTakeFirst(),

    /** Records an invitation to join an organisation. */
    insertInvitation: (values: { organisation_id: number; email: string; role: 'member' | 'organisation-admin'; invited_by: number }) =>
      db.insertInto('invitations').values(values).returningAll().executeTakeFirstOrThrow(),

    /** The newest unaccepted invitation for an address. */
    findOpenInvitation: (email: string) =>
      db
        .selectFrom('invitations')
        .selectAll()
        .where('email', '=', email)
        .where('accepted_at', 'is', null)
        .where('declined_at', 'is', null)
        .orderBy('id', 'desc')
        .executeTakeFirst(),

    /** A person's unanswered invitations, with the inviting organisation's name, newest first. */
    listOpenInvitations: (email: string) =>
      db
        .selectFrom('invitations')
        .innerJoin('organisation_directory', 'organisation_directory.id', 'invitations.organisation_id')
        .selectAll('invitations')
        .select('organisation_directory.name as organisation_name')
        .where('invitations.email', '=', email)
        .where('invitations.accepted_at', 'is', null)
        .where('invitations.declined_at', 'is', null)
        .orderBy('invitations.id', 'desc')
        .execute(),

    /** Removes an invitation whose email could not be sent. */
    deleteInvitation: (id: number) => db.deleteFrom('invitations').where('id', '=', id).execute(),

    /** One invitation. */
    findInvitation: (id: number) => db.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirst(),

    /** Records that an invitation was declined; nothing if it was already answered. */
    declineInvitation: (id: number, now: Date) =>
      db
        .updateTable('invitations')
        .set({ declined_at: now })
        .where('id', '=', id)
        .where('accepted_at', 'is', null)
        .where('declined_at', 'is', null)
        .returningAll()
        .executeTakeFirst(),

    /** Withdraws a person's pending request to join, when they join another organisation instead. */
    withdrawPendingJoinRequest: (userId: number, now: Date) =>
      db
        .updateTable('join_requests')
        .set({ status: 'withdrawn', decided_at: now })
        .where('user_id', '=', userId)
        .where('status', '=', 'pending')
        .returning(['id', 'organisation_id'])
        .executeTakeFirst(),

    /** Marks an invitation accepted. */
    acceptInvitation: (id: number, now: Date) =>
      db
        .updateTable('invitations')
        .set({ accepted_at: now })
        .where('id', '=', id)
        .where('accepted_at', 'is', null)
        .where('declined_at', 'is', null)
        .returningAll()
        .executeTakeFirst(),

    /**
     * Every pending request to join, oldest first, with the organisation and whether it has an admin of its own
     * (the platform admins' queue: requests to organisations with no admin wait for them).
     */
    listAllPendingJoinRequests: (limit: number) =>
      db
        .selectFrom('join_requests')
        .innerJoin('users', 'users.id', 'join_requests.user_id')
        .innerJoin('organisation_directory', 'organisation_directory.id', 'join_requests.organisation_id')
        .select((eb) => [
          'join_requests.id',
          'join_requests.message',
          'join_requests.created_at',
          'join_requests.organisation_id',
          'users.email',
          'users.name',
          'organisation_directory.name as organisation_name',
          'organisation_directory.code as organisation_code',
          eb
            .exists(
              eb
                .selectFrom('users as admins')
                .select('admins.id')
                .whereRef('admins.organisation_id', '=', 'join_requests.organisation_id')
                .where('admins.role', '=', 'organisation-admin')
                .where('admins.status', '=', 'active'),
            )
            .as('has_admin'),
        ])
        .where('join_requests.status', '=', 'pending')
        .orderBy('join_requests.created_at')
        .orderBy('join_requests.id')
        .limit(limit)
        .execute(),
  };
}
