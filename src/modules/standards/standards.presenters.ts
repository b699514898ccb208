import { type CsvColumn } from '../../platform/http/lists.js';
import type { Adoption, CouncilAdoption } from './standards.types.js';
import type { Reviewer } from './standards.tables.js';

export const TABLES = ['regions', 'council-types', 'quarters', 'councils'] as const;
export type TableName = (typeof TABLES)[number];

export const REVIEWERS: readonly { reviewer: Reviewer; path: string; title: string; action: string }[] = [
  { reviewer: 'self', path: 'self-assessment', title: 'Self-assessment', action: 'Submit self-assessment' },
  { reviewer: 'peer', path: 'peer-review', title: 'Peer review', action: 'Complete peer review' },
  { reviewer: 'audit', path: 'audit', title: 'Audit', action: 'Complete audit' },
];

export const STATUS_LABELS: Record<CouncilAdoption['status'], string> = {
  met: 'Meets the standard',
  'not-met': 'Assessed, not met',
  'out-of-date': 'Assessment out of date',
  none: 'No assessment',
};

export function tableRows(adoption: Adoption, table: TableName): Record<string, string | number | null>[] {
  if (table === 'regions') return Object.entries(adoption.byRegion).map(([region, value]) => ({ region, ...value }));
  if (table === 'council-types') return Object.entries(adoption.byCouncilType).map(([councilType, value]) => ({ councilType, ...value }));
  if (table === 'quarters') return adoption.quarters.map((quarter) => ({ ...quarter }));
  return adoption.councilList.map((council) => ({ ...council }));
}

export function csvColumnsOf(
  rows: readonly Record<string, string | number | null>[],
  table: TableName,
): CsvColumn<Record<string, string | number | null>>[] {
  const headers =
    rows[0] !== undefined
      ? Object.keys(rows[0])
      : table === 'councils'
        ? ['gssCode', 'name', 'region', 'councilType', 'councilTypeName', 'status', 'basis', 'decidedOn']
        : ['councils', 'meeting', 'percentage'];
  return headers.map((header) => ({
    header: header.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`),
    value: (row) => row[header],
  }));
}
