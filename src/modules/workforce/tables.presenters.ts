import type { CsvColumn } from '../../platform/http/lists.js';
import { GRADE_BAND_LABELS, type Dimension, type GradeBand } from './workforce.categories.js';
import type { PublishedTable } from './tables.service.js';

type Row = PublishedTable['rows'][number];

/** CSV columns of a published table: the area, then each category and the total (empty when hidden). */
export function tableCsvColumns(table: PublishedTable): CsvColumn<Row>[] {
  return [
    { header: 'area_code', value: (row) => row.area.code },
    { header: 'area_name', value: (row) => row.area.name },
    ...table.categories.map((category) => ({ header: category, value: (row: Row) => row.cells[category]?.value ?? null })),
    { header: 'total', value: (row) => row.total.value },
  ];
}

/** What was hidden in a table and why, in words. */
export function describeSuppression(hidden: { primary: number; secondary: number }, returns: number, councils: number): string[] {
  const count = hidden.primary + hidden.secondary;
  const lines = [
    `Made from the returns of ${returns} of ${councils} English councils. Counts are rounded to the nearest 5, and totals are rounded from the unrounded figures, so rows and columns may not add up exactly.`,
  ];
  if (count === 0) lines.push('No figure in this table needed to be hidden.');
  else {
    lines.push(
      `${count} figure${count === 1 ? ' is' : 's are'} hidden (shown as “[c]”). ${hidden.primary > 0 ? `Some are counts from 0 to 9, which could point at a few people. ` : ''}${hidden.secondary > 0 ? 'Others are hidden so that those cannot be worked out from the totals, from the council, region, nation and grade tables of the year, or by comparing with tables published earlier.' : ''}`.trim(),
    );
    lines.push('We do not say which hidden figures are small, since that would tell you they are below 10.');
  }
  return lines;
}

/** The heading of a table. */
export function tableTitle(dimension: Dimension, level: string, year: number, grade: GradeBand | undefined): string {
  const where = level === 'council' ? 'by council' : level === 'region' ? 'by region' : 'in England';
  return `${dimension.name} of digital, data and technology staff ${where}, ${year}${grade ? ` (${GRADE_BAND_LABELS[grade].toLowerCase()})` : ''}`;
}
