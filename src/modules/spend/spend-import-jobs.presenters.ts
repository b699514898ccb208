import type { SpendImportJobRow } from './spend.repository.js';

/** An import job as its pages and the JSON API show it. */
export interface ImportJobView {
  id: number;
  kind: 'file' | 'manifest';
  parentId: number | null;
  status: SpendImportJobRow['status'];
  fileName: string;
  organisation: { id: number; code: string; name: string } | null;
  totalBytes: number;
  bytesProcessed: number;
  rowsProcessed: number;
  /** 0 to 100. */
  percent: number;
  periodFrom: string | null;
  periodTo: string | null;
  fileId: number | null;
  outcomeStatus: 'imported' | 'duplicate' | 'rejected' | null;
  errors: string[];
  warnings: string[];
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** An import job row as people see it: its organisation, how far it has got (0 to 100) and how it ended. */
export function presentJob(row: SpendImportJobRow): ImportJobView {
  const outcome = row.outcome as { status?: ImportJobView['outcomeStatus']; errors?: string[]; warnings?: string[] } | null;
  const finished = row.status === 'done' || row.status === 'failed';
  return {
    id: row.id,
    kind: row.kind,
    parentId: row.parent_id,
    status: row.status,
    fileName: row.file_name,
    organisation:
      row.organisation_id === null
        ? null
        : { id: row.organisation_id, code: row.organisation_code ?? String(row.organisation_id), name: row.organisation_name ?? '' },
    totalBytes: row.total_bytes,
    bytesProcessed: row.bytes_processed,
    rowsProcessed: row.rows_processed,
    percent: finished ? 100 : row.total_bytes > 0 ? Math.min(99, Math.floor((row.bytes_processed / row.total_bytes) * 100)) : 0,
    periodFrom: row.period_from,
    periodTo: row.period_to,
    fileId: row.file_id,
    outcomeStatus: outcome?.status ?? null,
    errors: outcome?.errors ?? [],
    warnings: outcome?.warnings ?? [],
    error: row.error,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}
