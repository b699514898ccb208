import type { Kysely, Selectable } from 'kysely';
import { type AuditEvent, recordAuditEvent } from '../../platform/audit.js';
import type { Actor } from '../../platform/actor.js';
import type { ProgressCorrectionsTable, ProgressSnapshotsTable, ProgressTables, RegionalCentreProfilesTable } from './progress.tables.js';

export type SnapshotRow = Selectable<ProgressSnapshotsTable>;
export type CorrectionRow = Selectable<ProgressCorrectionsTable>;
export type CentreProfileRow = Selectable<RegionalCentreProfilesTable>;

export interface SnapshotInsert {
  target_id: string;
  quarter_end: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  breakdowns: string;
}

/**
 * Every query of the progress module: snapshots, corrections, declared figures, centre profiles and centre staff.
 * Over 80 lines as a list of queries, each its own short function.
 */
export function createProgressRepository(db: Kysely<ProgressTables>) {
  return {
    /** Snapshots of every target, oldest quarter first. */
    listSnapshots: () => db.selectFrom('progress_snapshots').selectAll().orderBy('quarter_end').orderBy('target_id').execute(),

    /** Snapshots of one target, oldest first. */
    listSnapshotsOf: (targetId: string) =>
      db.selectFrom('progress_snapshots').selectAll().where('target_id', '=', targetId).orderBy('quarter_end').execute(),

    /** Snapshots of one quarter. */
    listSnapshotsOfQuarter: (quarterEnd: string) =>
      db.selectFrom('progress_snapshots').selectAll().where('quarter_end', '=', quarterEnd).execute(),

    /** Whether any snapshot of a quarter exists. */
    async hasSnapshot(quarterEnd: string): Promise<boolean> {
      const row = await db
        .selectFrom('progress_snapshots')
        .select('target_id')
        .where('quarter_end', '=', quarterEnd)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** Stores snapshots that do not exist yet; an existing snapshot is never changed. Answers how many were new. */
    async insertSnapshots(rows: readonly SnapshotInsert[]): Promise<number> {
      if (rows.length === 0) return 0;
      const inserted = await db
        .insertInto('progress_snapshots')
        .values(rows.map((row) => ({ ...row })))
        .onConflict((oc) => oc.columns(['target_id', 'quarter_end']).doNothing())
        .returning('target_id')
        .execute();
      return inserted.length;
    },

    /** Records a correction (once per differing value). Answers whether it was new. */
    async insertCorrection(row: { target_id: string; quarter_end: string; snapshot_value: number | null; corrected_value: number | null }) {
      const inserted = await db
        .insertInto('progress_corrections')
        .values(row)
        .onConflict((oc) => oc.columns(['target_id', 'quarter_end', 'corrected_value']).doNothing())
        .returning('id')
        .execute();
      return inserted.length > 0;
    },

    /** Corrections, newest first (of one target, or all). */
    listCorrections: (targetId?: string) =>
      db
        .selectFrom('progress_corrections')
        .selectAll()
        .$if(targetId !== undefined, (query) => query.where('target_id', '=', targetId ?? ''))
        .orderBy('noted_at', 'desc')
        .orderBy('id', 'desc')
        .execute(),

    /** The latest declared value of a figure on or before a date. */
    findDeclaredFigure: (figure: 'chief-executives-digital', onDate: string) =>
      db
        .selectFrom('progress_declared_figures')
        .selectAll()
        .where('figure', '=', figure)
        .where('as_of', '<=', onDate)
        .orderBy('as_of', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst(),

    /** Every declaration of a figure, newest first. */
    listDeclaredFigures: (figure: 'chief-executives-digital') =>
      db
        .selectFrom('progress_declared_figures')
        .selectAll()
        .where('figure', '=', figure)
        .orderBy('as_of', 'desc')
        .orderBy('id', 'desc')
        .execute(),

    /** Declares a figure, with one audit event, in one transaction. */
    async insertDeclaredFigure(
      actor: Actor | null,
      values: { figure: 'chief-executives-digital'; value: number; as_of: string; source: string; entered_by: number | null },
    ): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const { id } = await trx.insertInto('progress_declared_figures').values(values).returning('id').executeTakeFirstOrThrow();
        const event: AuditEvent = {
          action: 'progress.declare-figure',
          subjectType: 'progress_declared_figure',
          subjectId: id,
          organisationId: actor?.organisationId ?? null,
          before: null,
          after: { figure: values.figure, value: values.value, asOf: values.as_of, source: values.source },
        };
        await recordAuditEvent<ProgressTables>(trx, actor, event);
        return id;
      });
    },

    /** Profiles of regional centres. */
    listCentreProfiles: () => db.selectFrom('regional_centre_profiles').selectAll().execute(),

    /** Creates or replaces a centre's profile. */
    upsertCentreProfile: (row: { organisation_id: number; regions: string[]; opened_on: string | null; demo: boolean; summary: string }) =>
      db
        .insertInto('regional_centre_profiles')
        .values(row)
        .onConflict((oc) =>
          oc.column('organisation_id').doUpdateSet((eb) => ({
            regions: eb.ref('excluded.regions'),
            opened_on: eb.ref('excluded.opened_on'),
            demo: eb.ref('excluded.demo'),
            summary: eb.ref('excluded.summary'),
          })),
        )
        .execute(),

    /** Active people of each of the given organisations (a centre's staff), from the identity module's read model. */
    async listStaff(organisationIds: readonly number[]): Promise<{ id: number; name: string; organisation_id: number | null }[]> {
      if (organisationIds.length === 0) return [];
      return db
        .selectFrom('person_directory')
        .select(['id', 'name', 'organisation_id'])
        .where('organisation_id', 'in', organisationIds)
        .where('status', '=', 'active')
        .orderBy('name')
        .execute();
    },
  };
}

export type ProgressRepository = ReturnType<typeof createProgressRepository>;
