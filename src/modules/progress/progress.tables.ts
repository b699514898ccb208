import type { ColumnType, Generated } from 'kysely';
import type { AuditTables } from '../../platform/audit.js';
import type { IdentityReadModels } from '../identity/index.js';

/** What a regional centre covers and whether it is demo content (migration 0120). */
export interface RegionalCentreProfilesTable {
  organisation_id: number;
  regions: ColumnType<string[], string[] | undefined, string[]>;
  opened_on: string | null;
  demo: ColumnType<boolean, boolean | undefined, boolean>;
  summary: ColumnType<string, string | undefined, string>;
}

/** A target's figure at a quarter's end, never changed once taken. */
export interface ProgressSnapshotsTable {
  target_id: string;
  quarter_end: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  breakdowns: ColumnType<unknown, string | undefined, string>;
  taken_at: ColumnType<Date, Date | undefined, never>;
}

/** A later measurement of a snapshotted quarter that differs from the snapshot: shown as a note, never replacing it. */
export interface ProgressCorrectionsTable {
  id: Generated<number>;
  target_id: string;
  quarter_end: string;
  snapshot_value: number | null;
  corrected_value: number | null;
  noted_at: ColumnType<Date, Date | undefined, never>;
}

/** Figures no record can give (chief executives from digital backgrounds), declared by platform admins. */
export interface ProgressDeclaredFiguresTable {
  id: Generated<number>;
  figure: 'chief-executives-digital';
  value: number;
  as_of: string;
  source: ColumnType<string, string | undefined, string>;
  entered_by: number | null;
  entered_at: ColumnType<Date, Date | undefined, never>;
}

export interface ProgressOwnTables {
  regional_centre_profiles: RegionalCentreProfilesTable;
  progress_snapshots: ProgressSnapshotsTable;
  progress_corrections: ProgressCorrectionsTable;
  progress_declared_figures: ProgressDeclaredFiguresTable;
}

/** The module's tables and the read model it reads (who works at a centre). */
export type ProgressTables = ProgressOwnTables & IdentityReadModels & AuditTables;
