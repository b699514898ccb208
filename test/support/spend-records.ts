import type { NewSpendFile } from '../../src/modules/spend/spend.repository.js';

/**
 * A spend file's record as an import first writes it: staging, nothing read from it yet. Tests (and benchmarks) that
 * build what a killed import leaves, or that resolve names by hand, start from this and name only what differs.
 */
export function stagingFileRecord(
  organisationId: number,
  fields: Pick<NewSpendFile, 'file_name' | 'sha256'> & Partial<NewSpendFile>,
): NewSpendFile {
  return {
    organisation_id: organisationId,
    byte_size: 0,
    stored_path: `spend/${fields.sha256}`,
    status: 'staging',
    error: null,
    layout: null,
    mapping: null,
    period_from: null,
    period_to: null,
    warnings: [],
    imported_at: new Date(),
    imported_by: null,
    ...fields,
  };
}
